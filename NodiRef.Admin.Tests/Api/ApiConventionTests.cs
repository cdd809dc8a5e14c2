using System.Net;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// The API's conventions on every route that could miss them: optional fields name their errors, replays carry
/// the first answer's ETag, unknown query parameters are refused, a null body is described, escaped ids route.
/// </summary>
public sealed class ApiConventionTests(ApiFactory api) : ApiTest(api)
{
    /// <summary>A wrong type or unknown enum value in an optional (PATCH) field is refused naming that field, not "the body".</summary>
    [Fact]
    public async Task A_wrong_type_in_an_optional_field_names_the_field()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("optional-");
        var partner = await GivenPartnerAsync(externalId: externalId);
        var link = await GivenLinkAsync(partner.Int("id"));

        Assert.Contains("status", (await Admin.PatchApiAsync($"/api/partners/{partner.Int("id")}", """{"status": "weird"}""")).AssertFieldError("status"), StringComparison.Ordinal);
        (await Admin.PatchApiAsync($"/api/partners/external/{externalId}", """{"status": 1}""")).AssertFieldError("status");
        (await Admin.PatchApiAsync($"/api/projects/{project.Int("id")}", """{"name": 5}""")).AssertFieldError("name");
        (await Admin.PatchApiAsync($"/api/partners/{partner.Int("id")}", """{"default_project_id": "1"}""")).AssertFieldError("default_project_id");
        (await Admin.PatchApiAsync($"/api/referral-links/{link.Int("id")}", """{"target_url": 3}""")).AssertFieldError("target_url");
        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{partner.Int("id")}}, "project_id": "x"}""")).AssertFieldError("project_id");
    }

    /// <summary>An idempotent replay carries the first answer's ETag.</summary>
    [Fact]
    public async Task A_replayed_answer_carries_the_etag_of_the_first()
    {
        var body = Body(new { name = Unique("Replay "), landing_url = "https://example.com/" });
        var key = ("Idempotency-Key", Unique("key-"));

        var first = await Admin.PostApiAsync("/api/projects", body, key);
        var retry = await Admin.PostApiAsync("/api/projects", body, key);

        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal("W/\"0\"", first.ETag);
        Assert.Equal(first.ETag, retry.ETag);
    }

    /// <summary>Every single-resource GET refuses unknown query parameters and includes, projects too.</summary>
    [Fact]
    public async Task Get_project_refuses_unknown_query_parameters_like_the_other_resources()
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync();

        (await Viewer.GetApiAsync($"/api/partners/{partner.Int("id")}?colour=red")).AssertFieldError("colour");
        (await Viewer.GetApiAsync($"/api/projects/{project.Int("id")}?colour=red")).AssertFieldError("colour");
        (await Viewer.GetApiAsync($"/api/projects/{project.Int("id")}?include=partners")).AssertFieldError("include");
    }

    /// <summary>A body that is the JSON literal null gets a message for the client, not ASP.NET Core's for the developer.</summary>
    [Fact]
    public async Task A_null_body_is_described_to_the_client_not_to_the_developer()
    {
        var answer = await Admin.PostApiAsync("/api/projects", "null");

        var detail = answer.AssertProblem(HttpStatusCode.BadRequest).Str("detail");
        Assert.Contains("JSON object", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Service", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter", detail, StringComparison.Ordinal);
    }

    /// <summary>An external id containing "/" is addressable under /api/partners/external/{external_id} when URL-encoded.</summary>
    [Fact]
    public async Task An_external_id_with_a_slash_is_addressable_when_url_encoded()
    {
        var externalId = $"org/{Unique()}";
        var partner = await GivenPartnerAsync(externalId: externalId);
        var url = $"/api/partners/external/{Uri.EscapeDataString(externalId)}";

        Assert.Equal(partner.Int("id"), (await Admin.GetApiAsync(url)).AssertOne().Int("id"));
        Assert.Equal("inactive", (await Admin.PostApiAsync($"{url}/deactivate", null)).AssertOne().Str("status"));
        Assert.Equal("Renamed", (await Admin.PatchApiAsync(url, Body(new { name = "Renamed" }))).AssertOne().Str("name"));
    }
}
