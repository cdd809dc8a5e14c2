using System.Net;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>Behind a TLS proxy: X-Forwarded-Proto is believed from trusted proxies (addresses or networks) only.</summary>
public sealed class ProxyHeadersTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("127.0.0.1", false)]
    public async Task Https_seen_by_a_trusted_proxy_makes_cookies_secure_and_sends_hsts(string remote, bool trusted)
    {
        await using var api = new ApiFactory(TestProvider.Current, settings: new Dictionary<string, string?>
        {
            ["Tracking:TrustedProxies:0"] = "10.0.0.0/8",
            ["Tracking:TrustedProxies:1"] = "192.0.2.1",
        });
        await api.InitializeAsync();
        using var client = new HttpClient(api.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Parse(remote)))
        {
            BaseAddress = new Uri("http://admin.example.com/"),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/setup");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Equal(trusted, c.Contains("; secure", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(trusted, response.Headers.Contains("Strict-Transport-Security"));
    }
}
