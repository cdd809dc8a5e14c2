using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>Endpoints the static account pages post to.</summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/Logout", async (
            HttpContext context,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] SignInManager<ApplicationUser> signInManager) =>
        {
            // The layout's form carries a token; another site's form must not sign anyone out.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                // With a body, so the status-code pages leave the 400 alone.
                return Results.Text("The sign-out form has expired: reload the page and sign out again.", statusCode: StatusCodes.Status400BadRequest);
            }

            // A new security stamp makes every copy of this session's cookie invalid (see the cookie's
            // stamp validation interval), not only the one this browser deletes now.
            var user = await signInManager.UserManager.GetUserAsync(context.User);
            if (user is not null)
            {
                await signInManager.UserManager.UpdateSecurityStampAsync(user);
            }

            await signInManager.SignOutAsync();
            return Results.LocalRedirect("~/Account/Login");
        });
        return account;
    }
}
