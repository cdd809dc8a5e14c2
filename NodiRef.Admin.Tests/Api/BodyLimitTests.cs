using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace NodiRef.Admin.Tests.Api;

/// <summary>The 64 KB body limit holds on every API and tracking route, also for chunked bodies without a length.</summary>
public sealed class BodyLimitTests(ApiFactory api) : ApiTest(api)
{
    /// <summary>A JSON body of about <paramref name="bytes"/> sent chunked: no Content-Length to refuse up front.</summary>
    private static HttpContent Chunked(int bytes)
    {
        // external_id is a field of every route here, and the big value comes first: the limit is reached before
        // the body could be refused for a field the route does not have.
        var json = "{\"external_id\":\"" + new string('a', bytes) + "\",\"tracking_id\":\"" + Guid.CreateVersion7() + "\"}";
        var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    [Theory]
    [InlineData("/v1/referral", null)]
    [InlineData("/v1/identify", "tracking")]
    [InlineData("/v1/convert", "tracking")]
    [InlineData("/api/partners", "operator")]
    public async Task A_chunked_body_over_64_KB_is_413_and_writes_nothing(string route, string? who)
    {
        var client = who switch { "tracking" => Api.Tracking, "operator" => Operator, _ => Api.Anonymous() };
        var before = await Api.CountsAsync();
        await using (var db = Api.Db())
        {
            var (referrals, sessions, conversions) = (await db.Referrals.CountAsync(Ct), await db.PartnerSessions.CountAsync(Ct), await db.Conversions.CountAsync(Ct));

            using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = Chunked(2 * 1024 * 1024) };
            var response = await client.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Null(request.Content.Headers.ContentLength); // sent chunked
            Assert.Equal((referrals, sessions, conversions), (await db.Referrals.CountAsync(Ct), await db.PartnerSessions.CountAsync(Ct), await db.Conversions.CountAsync(Ct)));
        }

        Assert.Equal(before, await Api.CountsAsync());
    }

    /// <summary>A readable stream that does not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
