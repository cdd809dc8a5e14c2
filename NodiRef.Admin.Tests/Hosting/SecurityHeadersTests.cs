using System.Net;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>Every kind of response carries the security headers: pages, the API, the hit routes (run from routing), the API reference.</summary>
public sealed class SecurityHeadersTests(ApiFactory api) : ApiTest(api)
{
    public static TheoryData<string, string, string> Responses => new()
    {
        { "page", "/setup", SecurityHeaders.PagePolicy },
        { "missing page", "/no-such-page", SecurityHeaders.PagePolicy },
        { "api", "/api/projects", SecurityHeaders.ApiPolicy },
        { "api error", "/api/projects/2147483647", SecurityHeaders.ApiPolicy },
        { "hit", "/v1/nosuchcode/hit", SecurityHeaders.ApiPolicy },
        { "short link", "/r/nosuchcode", SecurityHeaders.PagePolicy },
        { "api reference", "/api-reference", SecurityHeaders.ApiReferencePolicy },
        { "health", "/health/live", SecurityHeaders.PagePolicy },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task A_response_carries_the_security_headers(string kind, string path, string policy)
    {
        using var response = await Admin.GetAsync(path, Ct);

        Assert.True(response.Headers.Contains("Content-Security-Policy"), kind);
        Assert.Equal(policy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task No_strict_transport_security_over_plain_http()
    {
        using var response = await Admin.GetAsync("/setup", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
