using System.Net;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Webhooks;

/// <summary><c>/api/webhook-endpoints</c>: the secret answered once, changes, test events and the delivery list, for admin tokens only.</summary>
public sealed class WebhookApiTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task An_endpoint_is_made_with_its_secret_once_changed_tested_and_its_deliveries_listed()
    {
        var created = (await Admin.PostApiAsync("/api/webhook-endpoints", Body(new { url = "https://93.184.216.34/hooks", event_types = new[] { "reward.paid" } })))
            .AssertOne(HttpStatusCode.Created);
        var id = created.GetProperty("endpoint").Int("id");
        Assert.StartsWith("whsec_", created.Str("secret"), StringComparison.Ordinal);

        var fetched = (await Admin.GetApiAsync($"/api/webhook-endpoints/{id}")).AssertOne();
        Assert.False(fetched.TryGetProperty("secret", out _));
        Assert.Equal(["reward.paid"], fetched.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));

        var changed = (await Admin.PatchApiAsync($"/api/webhook-endpoints/{id}", Body(new { description = "Billing" }))).AssertOne();
        Assert.Equal(("Billing", "https://93.184.216.34/hooks"), (changed.Str("description"), changed.Str("url")));

        var test = (await Admin.PostApiAsync($"/api/webhook-endpoints/{id}/test", null)).AssertOne();
        Assert.StartsWith("msg_", test.Str("message_id"), StringComparison.Ordinal);
        var rotated = (await Admin.PostApiAsync($"/api/webhook-endpoints/{id}/rotate-secret", null)).AssertOne();
        Assert.NotEqual(created.Str("secret"), rotated.Str("secret"));
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetApiAsync($"/api/webhook-endpoints/{id}/deliveries?filter[status]=failed")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteApiAsync($"/api/webhook-endpoints/{id}")).Response.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("not a url")]
    public async Task A_url_that_is_not_public_http_is_a_400_on_url(string url)
    {
        var problem = (await Admin.PostApiAsync("/api/webhook-endpoints", Body(new { url }))).AssertProblem(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.GetRawText());
    }

    [Fact]
    public async Task An_unknown_event_type_is_a_400_on_event_types()
    {
        var problem = (await Admin.PostApiAsync("/api/webhook-endpoints", Body(new { url = "https://93.184.216.34/hooks", event_types = new[] { "partner.eaten" } })))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("event_types", out _), problem.GetRawText());
    }

    [Fact]
    public async Task Only_admins_manage_webhooks()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Operator.GetApiAsync("/api/webhook-endpoints")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Viewer.PostApiAsync("/api/webhook-endpoints", Body(new { url = "https://93.184.216.34/hooks" }))).Response.StatusCode);
    }
}
