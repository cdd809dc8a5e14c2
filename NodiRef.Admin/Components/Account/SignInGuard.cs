using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace NodiRef.Admin.Components.Account;

/// <summary>Settings of the sign-in form (section <c>SignIn</c>; e.g. <c>SignIn__AttemptsPerMinutePerIp</c>).</summary>
public sealed class SignInFormOptions
{
    public const string Section = "SignIn";

    /// <summary>Sign-in attempts per minute per client IP (per app instance); 0 turns the throttle off.</summary>
    public int AttemptsPerMinutePerIp { get; set; } = 10;
}

/// <summary>
/// Guards the sign-in form: a per-address budget of attempts, so one client cannot guess passwords
/// quickly (account lockout limits the guesses per account, from everywhere together), and a password
/// hash for unknown emails, so they take as long to refuse as a wrong password does.
/// </summary>
public sealed class SignInGuard : IDisposable
{
    private readonly PerMinuteBudget _budget;
    private readonly Lazy<string> _dummyHash;
    private readonly IPasswordHasher<ApplicationUser> _hasher;

    public SignInGuard(IOptions<SignInFormOptions> options, IPasswordHasher<ApplicationUser> hasher)
    {
        _hasher = hasher;
        _dummyHash = new Lazy<string>(() => hasher.HashPassword(new ApplicationUser(), Guid.NewGuid().ToString()));
        _budget = new PerMinuteBudget(options.Value.AttemptsPerMinutePerIp, http => http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>Takes one attempt from the caller's budget; when it is spent, answers 429 and the seconds to wait.</summary>
    public int? TryAttempt(HttpContext http)
    {
        if (_budget.TryTake(http) is not { } retryAfter)
        {
            return null;
        }

        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return retryAfter;
    }

    /// <summary>Verifies <paramref name="password"/> against a hash nobody has: the cost of a real check, for no one.</summary>
    public void VerifyForNobody(string password) =>
        _hasher.VerifyHashedPassword(new ApplicationUser(), _dummyHash.Value, password);

    public void Dispose() => _budget.Dispose();
}
