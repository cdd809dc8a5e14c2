using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>The app on Kestrel, which enforces request body limits (the in-memory test server does not).</summary>
public sealed class KestrelApi : IAsyncLifetime
{
    public ApiFactory Api { get; } = new(TestProvider.Current, kestrel: true);

    public ValueTask InitializeAsync() => Api.InitializeAsync();

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>The 64 KB body limit holds on every route, also for a chunked body (no Content-Length to check up front).</summary>
public sealed class BodyLimitTests(KestrelApi kestrel) : IClassFixture<KestrelApi>
{
    private ApiFactory Api => kestrel.Api;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Routes => new()
    {
        { "/v1/referral", "external_id" },
        { "/v1/convert", "event_id" },
        { "/v1/identify", "external_id" },
        { "/api/projects", "name" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_chunked_body_over_64_KB_is_413_and_writes_nothing(string route, string field)
    {
        var before = await CountsAsync();
        var json = $$"""{"{{field}}": "{{new string('x', 70 * 1024)}}", "tracking_id": "{{Guid.NewGuid()}}", "event_type": "purchase", "landing_url": "https://example.com/"}""";

        var answer = await Api.Admin.SendContentAsync(HttpMethod.Post, route, new ChunkedJson(json));

        var problem = answer.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.True(problem.TryGetProperty("detail", out var detail), problem.ToString());
        Assert.Contains("64 KB", detail.GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_small_chunked_body_is_read_as_usual()
    {
        var answer = await Api.Tracking.SendContentAsync(HttpMethod.Post, "/v1/identify", new ChunkedJson("""{"partner_id": 2147483647}"""));

        answer.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task No_response_names_the_server()
    {
        using var response = await Api.Anonymous().GetAsync("/health/live", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"));
    }

    private async Task<string> CountsAsync()
    {
        await using var db = Api.Db();
        return $"{await db.Referrals.CountAsync(Ct)} {await db.Conversions.CountAsync(Ct)} {await db.PartnerSessions.CountAsync(Ct)} {await db.Projects.CountAsync(Ct)} {await db.Partners.CountAsync(Ct)}";
    }

    /// <summary>JSON sent without a length, so HTTP/1.1 sends it chunked.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
