using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using NodiRef.Admin.Data;

namespace NodiRef.Admin.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>Endpoints the static account pages post to.</summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/Logout", async ([FromServices] SignInManager<ApplicationUser> signInManager) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
        return account;
    }
}
