using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>
/// Client addresses behind the documented proxy: every hop appends the address it was called from, so only
/// the right-most address that is not a trusted proxy is the client's; what a client writes in front of it
/// is neither stored nor a way around the per-address limit.
/// </summary>
public sealed class ForwardedAddressTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private const string ProxyHeader = "X-Test-Connection-From";
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>The app behind proxies 10.0.0.2 and 10.1.0.0/16, with a small per-address limit; requests say which address they connect from.</summary>
    private WebApplicationFactory<Program> BehindProxies(int perMinute) => app.WithWebHostBuilder(b => b
        .UseSetting("Tracking:TrustedProxies:0", "10.0.0.2")
        .UseSetting("Tracking:TrustedProxies:1", "10.1.0.0/16")
        .UseSetting("Tracking:RequestsPerMinutePerIp", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new ConnectionFrom())));

    private static async Task<HttpResponseMessage> HitAsync(HttpClient client, string code, string connectionFrom, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{code}/hit");
        request.Headers.Add(ProxyHeader, connectionFrom);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Forged_entries_through_a_trusted_proxy_are_neither_stored_nor_rate_limited_apart()
    {
        var link = (await app.GivenLinkAsync(targetUrl: null)).Link;
        using var behind = await BehindProxies(perMinute: 5).ReadyAsync();
        var client = behind.CreateClient();

        // nginx with $proxy_add_x_forwarded_for: "<what the client sent>, <the client's address>".
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add((await HitAsync(client, link.Code, "10.0.0.2", $"203.0.113.{i + 1}, 198.51.100.50")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 7)], answers);
        await using var db = app.Db();
        var stored = await db.Clicks.AsNoTracking().Where(c => c.LinkId == link.Id).Select(c => c.IpAddress).ToListAsync(Ct);
        Assert.Equal(Enumerable.Repeat("198.51.100.50", 5), stored);
    }

    [Fact]
    public async Task The_client_is_the_right_most_address_that_is_not_a_trusted_proxy()
    {
        var link = (await app.GivenLinkAsync(targetUrl: null)).Link;
        using var behind = await BehindProxies(perMinute: 0).ReadyAsync();
        var client = behind.CreateClient();

        (string From, string? ForwardedFor, string Stored)[] cases =
        [
            ("10.0.0.2", "198.51.100.1", "198.51.100.1"),                                   // one proxy that overwrites the header
            ("10.0.0.2", "198.51.100.99, 198.51.100.2, 10.1.4.7", "198.51.100.2"),           // two trusted hops, a forged entry in front
            ("10.0.0.2", "garbage, 198.51.100.3", "198.51.100.3"),                          // junk in front of the real entry is never read
            ("10.0.0.2", "198.51.100.4, not-an-ip", "10.0.0.2"),                             // a malformed entry where the client should be: the proxy is all we know
            ("192.0.2.77", "198.51.100.5", "192.0.2.77"),                                    // not a proxy of ours: its header means nothing
            ("::ffff:10.0.0.2", "2001:db8::6", "2001:db8::6"),                               // a proxy seen over IPv6 as a mapped IPv4 address
        ];

        var ids = new List<Guid>();
        foreach (var c in cases)
        {
            var answer = await HitAsync(client, link.Code, c.From, c.ForwardedFor);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            ids.Add((await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(answer.Content, Ct)).GetProperty("tracking_id").GetGuid());
        }

        await using var db = app.Db();
        var stored = await db.Clicks.AsNoTracking().Where(c => c.LinkId == link.Id).ToDictionaryAsync(c => c.TrackingId, c => c.IpAddress, Ct);
        Assert.Equal(cases.Select(c => c.Stored), ids.Select(id => stored[id]));
    }

    [Fact]
    public void A_trusted_proxy_entry_that_is_no_address_or_network_stops_the_start()
    {
        using var typo = app.WithWebHostBuilder(b => b.UseSetting("Tracking:TrustedProxies:0", "10.0.0.300"));

        var refused = Assert.ThrowsAny<Exception>(() => typo.CreateClient());
        Assert.Contains("Tracking:TrustedProxies", refused.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Plays the part of the network: the connection comes from the address the request names.</summary>
    private sealed class ConnectionFrom : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use((HttpContext http, RequestDelegate nextStep) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[ProxyHeader], out var from))
                {
                    http.Connection.RemoteIpAddress = from;
                }

                return nextStep(http);
            });
            next(builder);
        };
    }
}
