using Microsoft.AspNetCore.Components;

namespace NodiRef.Admin.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>Goes to <paramref name="uri"/> when it is a path of this app, else to the home page (no open redirects).</summary>
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(IsLocal(uri) ? uri : "");

    /// <summary>
    /// A relative reference that stays on this site. Browsers read "//host" and "/\host" as another
    /// host, and a scheme ("https:", "javascript:") is never relative.
    /// </summary>
    internal static bool IsLocal([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? uri) =>
        !string.IsNullOrEmpty(uri)
        && Uri.IsWellFormedUriString(uri, UriKind.Relative)
        && !uri.StartsWith("//", StringComparison.Ordinal)
        && !uri.Contains('\\', StringComparison.Ordinal)
        && !uri.Any(char.IsControl);

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }
}
