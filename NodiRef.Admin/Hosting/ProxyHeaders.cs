using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: the scheme the client used (<c>X-Forwarded-Proto</c>) is believed only
/// from <c>Tracking:TrustedProxies</c> (the same list, parsed once by <see cref="TrackingOptions"/>), so cookies
/// are <c>Secure</c> and HSTS is sent when the client spoke https. Only the scheme: the client's address is the
/// tracking code's business (<see cref="ClientInfo"/>).
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrackingOptions>>((options, tracking) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedProto;

            // The defaults trust loopback; a proxy is trusted only when configured.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in tracking.Value.TrustedNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }
}
