using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace NodiRef.Admin.Features.Webhooks;

/// <summary>
/// Where webhooks may go. By default only to public addresses: an endpoint whose name resolves to a loopback, private,
/// link-local (cloud metadata), shared or multicast address is refused when it is saved, and again at every connection
/// (the name is resolved when connecting, so a name that later points inside is refused too). Redirects are never
/// followed. <see cref="WebhookOptions.AllowPrivateAddresses"/> lifts the address rule (a receiver on the same network, tests).
/// </summary>
public sealed class OutboundAddresses(IOptions<WebhookOptions> options)
{
    /// <summary>A problem with <paramref name="url"/> as an endpoint, or null when it may be used.</summary>
    public async Task<string?> ProblemAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            return "URL must be an absolute http:// or https:// address.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "URL must not hold a user name or password.";
        }

        if (options.Value.AllowPrivateAddresses)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return $"URL's host {uri.Host} could not be resolved.";
        }

        return addresses.Length > 0 && addresses.All(IsPublic)
            ? null
            : $"URL's host {uri.Host} resolves to a loopback, private or link-local address; webhooks go to public addresses only.";
    }

    /// <summary>The handler every delivery goes through: no redirects, no proxy, and the address rule at each connection.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = options.Value.AllowPrivateAddresses ? addresses : [.. addresses.Where(IsPublic)];
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{host} resolves to no public address; webhooks go to public addresses only.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether an address is on the public internet (not loopback, private, link-local, shared, multicast or unspecified).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }
}
