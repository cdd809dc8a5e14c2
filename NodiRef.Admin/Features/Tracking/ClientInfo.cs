using System.Net;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>Who is on the other end of a tracking request.</summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent)
{
    /// <summary>
    /// The request's own IP and user agent. X-Forwarded-For / X-Real-IP / X-User-Agent are believed
    /// only from a configured trusted proxy or from a caller holding a valid API token (a server
    /// forwarding its visitor's details); a browser cannot forge them.
    /// </summary>
    public static ClientInfo From(HttpContext http, TrackingOptions options, bool callerHasToken)
    {
        var remote = http.Connection.RemoteIpAddress;
        var ip = remote?.ToString();
        var userAgent = (string?)http.Request.Headers.UserAgent;
        if (callerHasToken || IsTrustedProxy(remote, options))
        {
            var forwarded = ((string?)http.Request.Headers["X-Forwarded-For"])?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var real = (string?)http.Request.Headers["X-Real-IP"];
            ip = Valid(forwarded) ?? Valid(real) ?? ip;
            userAgent = (string?)http.Request.Headers["X-User-Agent"] is { Length: > 0 } forwardedAgent ? forwardedAgent : userAgent;
        }

        return new ClientInfo(ip, string.IsNullOrEmpty(userAgent) ? null : userAgent).Bounded();
    }

    /// <summary>The details a server sent in the body for its visitor, believed only from a trusted caller.</summary>
    public ClientInfo WithReported(string? ipAddress, string? userAgent, bool trusted) =>
        trusted
            ? new ClientInfo(Valid(ipAddress) ?? IpAddress, string.IsNullOrWhiteSpace(userAgent) ? UserAgent : userAgent).Bounded()
            : this;

    private ClientInfo Bounded() => new(
        IpAddress is { Length: > Domain.Click.IpMaxLength } ip ? ip[..Domain.Click.IpMaxLength] : IpAddress,
        UserAgent is { Length: > Domain.Click.UserAgentMaxLength } ua ? ua[..Domain.Click.UserAgentMaxLength] : UserAgent);

    /// <summary>The IP to rate-limit by: the connection's, or the forwarded one behind a trusted proxy.</summary>
    public static string RateLimitKey(HttpContext http, TrackingOptions options)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (IsTrustedProxy(remote, options)
            && ((string?)http.Request.Headers["X-Forwarded-For"])?.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault() is { } forwarded
            && Valid(forwarded) is { } ip)
        {
            return ip;
        }

        return remote?.ToString() ?? "unknown";
    }

    private static bool IsTrustedProxy(IPAddress? remote, TrackingOptions options) =>
        remote is not null && options.TrustedProxies.Any(p => IPAddress.TryParse(p, out var proxy) && proxy.Equals(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote));

    private static string? Valid(string? ip) => IPAddress.TryParse(ip, out var parsed) ? parsed.ToString() : null;
}
