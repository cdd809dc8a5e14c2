using System.Net;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>Who is on the other end of a tracking request.</summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent)
{
    /// <summary>
    /// The request's client IP and user agent. Behind trusted proxies (<see cref="TrackingOptions.TrustedProxies"/>)
    /// the client is the right-most <c>X-Forwarded-For</c> address that is not a trusted proxy: each proxy appends
    /// the address it was called from, so entries left of that one are whatever the client chose to send. A caller
    /// holding an API token (a server forwarding its visitor) is trusted too: the origin it forwarded (the left-most
    /// of the entries it sent, or <c>X-Real-IP</c>) is believed, and so is its <c>X-User-Agent</c>.
    /// </summary>
    public static ClientInfo From(HttpContext http, TrackingOptions options, bool callerHasToken)
    {
        var headers = http.Request.Headers;
        var userAgent = (string?)headers.UserAgent;
        var viaProxy = options.IsTrustedProxy(http.Connection.RemoteIpAddress);
        if (!callerHasToken && !viaProxy)
        {
            // A browser talking to us directly (every hit without a proxy): its forwarding headers mean nothing.
            return new ClientInfo(Normalize(http.Connection.RemoteIpAddress)?.ToString(), string.IsNullOrEmpty(userAgent) ? null : userAgent).Bounded();
        }

        var hop = Walk(http, options);
        var ip = hop.Client;
        if (callerHasToken)
        {
            ip = hop.ClaimedByClient ?? Valid(headers["X-Real-IP"]) ?? ip;
            userAgent = (string?)headers["X-User-Agent"] is { Length: > 0 } forwardedAgent ? forwardedAgent : userAgent;
        }
        else if (!hop.HadForwardedFor && Valid(headers["X-Real-IP"]) is { } real)
        {
            // A trusted proxy that names its client in X-Real-IP only (no X-Forwarded-For).
            ip = real;
        }

        return new ClientInfo(ip?.ToString(), string.IsNullOrEmpty(userAgent) ? null : userAgent).Bounded();
    }

    /// <summary>The details a server sent in the body for its visitor, believed only from a trusted caller.</summary>
    public ClientInfo WithReported(string? ipAddress, string? userAgent, bool trusted) =>
        trusted
            ? new ClientInfo(Valid(ipAddress)?.ToString() ?? IpAddress, string.IsNullOrWhiteSpace(userAgent) ? UserAgent : userAgent).Bounded()
            : this;

    private ClientInfo Bounded() => new(
        IpAddress is { Length: > Domain.Click.IpMaxLength } ip ? ip[..Domain.Click.IpMaxLength] : IpAddress,
        UserAgent is { Length: > Domain.Click.UserAgentMaxLength } ua ? ua[..Domain.Click.UserAgentMaxLength] : UserAgent);

    /// <summary>
    /// The IP to rate-limit by: the connection's, or behind trusted proxies the right-most forwarded address that
    /// is not one of them, so entries a client forges in front of the real ones change nothing.
    /// </summary>
    public static string RateLimitKey(HttpContext http, TrackingOptions options)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return "unknown";
        }

        // The common case (no proxy configured, or a direct client) parses no header at all.
        if (!options.IsTrustedProxy(remote))
        {
            return remote.ToString();
        }

        var hop = Walk(http, options);
        return hop.Client?.ToString() ?? remote.ToString();
    }

    /// <summary>
    /// Walks <c>X-Forwarded-For</c> from the right while the address on hand is a trusted proxy: the result is the
    /// first untrusted address (the client of the outermost trusted proxy) and the origin that client forwarded.
    /// </summary>
    private static Hop Walk(HttpContext http, TrackingOptions options)
    {
        var current = Normalize(http.Connection.RemoteIpAddress);
        var header = http.Request.Headers["X-Forwarded-For"];
        string[]? entries = null;
        if (header.Count > 0)
        {
            entries = string.Join(',', header.ToArray()).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (entries.Length == 0)
            {
                entries = null;
            }
        }

        var next = entries is null ? -1 : entries.Length - 1;
        while (current is not null && next >= 0 && options.IsTrustedProxy(current))
        {
            var parsed = Valid(entries![next]);
            if (parsed is null)
            {
                // A malformed entry ends what can be believed; the proxy in front of it is what we know.
                return new Hop(current, null, HadForwardedFor: true);
            }

            current = parsed;
            next--;
        }

        // What the client itself forwarded (entries no proxy of ours added): the origin is its left-most one.
        IPAddress? claimed = null;
        for (var i = 0; i <= next && claimed is null; i++)
        {
            claimed = Valid(entries![i]);
        }

        return new Hop(current, claimed, entries is not null);
    }

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static IPAddress? Valid(string? ip) => IPAddress.TryParse(ip, out var parsed) ? Normalize(parsed) : null;

    /// <param name="Client">The first address that is not a trusted proxy (the direct client without proxies).</param>
    /// <param name="ClaimedByClient">The origin that client says it forwards: the left-most of the entries it sent.</param>
    /// <param name="HadForwardedFor">Whether the request carried any X-Forwarded-For entry.</param>
    private readonly record struct Hop(IPAddress? Client, IPAddress? ClaimedByClient, bool HadForwardedFor);
}
