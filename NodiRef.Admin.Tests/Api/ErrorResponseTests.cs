using System.Net;
using System.Text;

namespace NodiRef.Admin.Tests.Api;

/// <summary>Every error class of the API: status, problem+json body, field errors, and no internals.</summary>
public sealed class ErrorResponseTests(ApiFactory api) : ApiTest(api)
{
    /// <summary>The write routes that take a JSON body; {partner}, {project}, {link}, {ext} are filled in per test.</summary>
    public static TheoryData<string, string> BodyRoutes => new()
    {
        { "POST", "/api/projects" },
        { "PATCH", "/api/projects/{project}" },
        { "POST", "/api/partners" },
        { "PATCH", "/api/partners/{partner}" },
        { "PATCH", "/api/partners/external/{ext}" },
        { "POST", "/api/referral-links" },
        { "PATCH", "/api/referral-links/{link}" },
    };

    private sealed record Targets(int ProjectId, int PartnerId, string ExternalId, int LinkId);

    private async Task<Targets> GivenTargetsAsync()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("err-");
        var partner = await GivenPartnerAsync(externalId: externalId);
        var link = await GivenLinkAsync(partner.Int("id"));
        return new Targets(project.Int("id"), partner.Int("id"), externalId, link.Int("id"));
    }

    private static string Url(Targets t, string route) => route
        .Replace("{project}", t.ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{partner}", t.PartnerId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{ext}", t.ExternalId, StringComparison.Ordinal)
        .Replace("{link}", t.LinkId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Counts and the versions of the targets: equal snapshots mean nothing was written.</summary>
    private async Task<string> SnapshotAsync(Targets t)
    {
        var project = (await Admin.GetApiAsync($"/api/projects/{t.ProjectId}")).AssertOne().Long("version");
        var partner = (await Admin.GetApiAsync($"/api/partners/{t.PartnerId}")).AssertOne().Long("version");
        var link = (await Admin.GetApiAsync($"/api/referral-links/{t.LinkId}")).AssertOne().Long("version");
        return $"{await Api.CountsAsync()} {project} {partner} {link}";
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_body_over_64_KB_is_413_and_writes_nothing(string method, string route)
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);
        var body = $$"""{"name": "{{new string('x', 65 * 1024)}}", "partner_id": {{t.PartnerId}}}""";

        var answer = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), body);

        Assert.Contains("64 KB", answer.AssertProblem(HttpStatusCode.RequestEntityTooLarge).Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_body_that_is_not_json_is_415_and_writes_nothing(string method, string route)
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);
        var json = $$"""{"name": "{{Unique()}}", "partner_id": {{t.PartnerId}}, "landing_url": "https://example.com/"}""";

        var plain = await Admin.SendContentAsync(new HttpMethod(method), Url(t, route), new StringContent(json, Encoding.UTF8, "text/plain"));
        var form = await Admin.SendContentAsync(new HttpMethod(method), Url(t, route), new FormUrlEncodedContent([new("name", Unique())]));
        var xml = await Admin.SendContentAsync(new HttpMethod(method), Url(t, route), new StringContent("<name>x</name>", Encoding.UTF8, "application/xml"));

        plain.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        form.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        xml.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Malformed_json_is_400_saying_where_and_writes_nothing(string method, string route)
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);
        string[] bodies =
        [
            """{"name": "x",}""",
            """{name: "x"}""",
            """{"name": "x" """,
            """{"name": 'x'}""",
            """{"name": "x"} // comment""",
            """{"name": "x"}{"name": "y"}""",
            """{"partner_id": NaN}""",
            "{\"name\": \"\u0001\"}",
        ];

        foreach (var body in bodies)
        {
            var answer = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), body);
            var problem = answer.AssertProblem(HttpStatusCode.BadRequest);
            // A field the route does not have ("partner_id" for a project) is refused as soon as it is read, before the syntax error after it.
            var detail = problem.Str("detail");
            Assert.True(detail.Contains("not valid JSON", StringComparison.Ordinal) || detail.StartsWith("Unknown field \"", StringComparison.Ordinal), detail);
        }

        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_missing_body_or_a_body_that_is_not_an_object_is_400(string method, string route)
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);

        var missing = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), null);
        var empty = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), "");
        var array = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), """[{"name": "x"}]""");
        var text = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), "\"name\"");
        var number = await Admin.SendApiAsync(new HttpMethod(method), Url(t, route), "42");

        Assert.Contains("missing", missing.AssertProblem(HttpStatusCode.BadRequest).Str("detail"), StringComparison.Ordinal);
        Assert.Contains("missing", empty.AssertProblem(HttpStatusCode.BadRequest).Str("detail"), StringComparison.Ordinal);
        Assert.Contains("JSON object", array.AssertProblem(HttpStatusCode.BadRequest).Str("detail"), StringComparison.Ordinal);
        Assert.Contains("JSON object", text.AssertProblem(HttpStatusCode.BadRequest).Str("detail"), StringComparison.Ordinal);
        Assert.Contains("JSON object", number.AssertProblem(HttpStatusCode.BadRequest).Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Fact]
    public async Task Wrong_types_on_create_are_400_naming_the_field()
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);

        (await Admin.PostApiAsync("/api/projects", """{"name": 5, "landing_url": "https://example.com/"}""")).AssertFieldError("name");
        (await Admin.PostApiAsync("/api/projects", """{"name": "x", "landing_url": ["https://example.com/"]}""")).AssertFieldError("landing_url");
        (await Admin.PostApiAsync("/api/partners", """{"name": {"first": "Ada"}}""")).AssertFieldError("name");
        (await Admin.PostApiAsync("/api/partners", """{"name": "x", "external_id": 12}""")).AssertFieldError("external_id");
        (await Admin.PostApiAsync("/api/partners", $$"""{"name": "x", "project_id": "{{t.ProjectId}}"}""")).AssertFieldError("project_id");
        (await Admin.PostApiAsync("/api/partners", """{"name": "x", "project_id": 1.5}""")).AssertFieldError("project_id");
        (await Admin.PostApiAsync("/api/partners", """{"name": "x", "project_id": 99999999999}""")).AssertFieldError("project_id");
        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": "{{t.PartnerId}}"}""")).AssertFieldError("partner_id");
        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{t.PartnerId}}, "code": true}""")).AssertFieldError("code");
        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{t.PartnerId}}, "target_url": 1}""")).AssertFieldError("target_url");

        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Fact]
    public async Task Wrong_types_on_update_are_400_and_change_nothing()
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);

        (await Admin.PatchApiAsync($"/api/projects/{t.ProjectId}", """{"name": 5}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PatchApiAsync($"/api/projects/{t.ProjectId}", """{"version": "1"}""")).AssertFieldError("version");
        (await Admin.PatchApiAsync($"/api/partners/{t.PartnerId}", """{"name": ["x"]}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PatchApiAsync($"/api/partners/{t.PartnerId}", """{"default_project_id": "1"}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PatchApiAsync($"/api/partners/external/{t.ExternalId}", """{"external_id": false}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PatchApiAsync($"/api/referral-links/{t.LinkId}", """{"target_url": 3}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PatchApiAsync($"/api/referral-links/{t.LinkId}", """{"version": 1.5}""")).AssertFieldError("version");

        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Fact]
    public async Task An_unknown_enum_value_is_400_naming_the_field()
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);

        var weird = await Admin.PostApiAsync("/api/partners", """{"name": "x", "status": "weird"}""");
        var number = await Admin.PostApiAsync("/api/partners", """{"name": "x", "status": 1}""");
        var numeric = await Admin.PostApiAsync("/api/partners", """{"name": "x", "status": "1"}""");
        var projectStatus = await Admin.PostApiAsync("/api/partners", """{"name": "x", "status": "archived"}""");
        var onUpdate = await Admin.PatchApiAsync($"/api/partners/{t.PartnerId}", """{"status": "weird"}""");
        var onUpdateByExternal = await Admin.PatchApiAsync($"/api/partners/external/{t.ExternalId}", """{"status": "weird"}""");

        Assert.Contains("accepted values", weird.AssertFieldError("status"), StringComparison.Ordinal);
        number.AssertFieldError("status");
        numeric.AssertFieldError("status");
        projectStatus.AssertFieldError("status");
        onUpdate.AssertProblem(HttpStatusCode.BadRequest);
        onUpdateByExternal.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Fact]
    public async Task Huge_strings_are_400_naming_the_field()
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);
        var huge = new string('h', 10_000);

        Assert.Contains("100", (await Admin.PostApiAsync("/api/projects", Body(new { name = huge, landing_url = "https://example.com/" }))).AssertFieldError("name"), StringComparison.Ordinal);
        (await Admin.PostApiAsync("/api/projects", Body(new { name = Unique(), landing_url = $"https://example.com/{huge}" }))).AssertFieldError("landing_url");
        (await Admin.PatchApiAsync($"/api/projects/{t.ProjectId}", Body(new { name = huge }))).AssertFieldError("name");
        Assert.Contains("200", (await Admin.PostApiAsync("/api/partners", Body(new { name = huge }))).AssertFieldError("name"), StringComparison.Ordinal);
        (await Admin.PostApiAsync("/api/partners", Body(new { name = "x", external_id = huge }))).AssertFieldError("external_id");
        (await Admin.PatchApiAsync($"/api/partners/{t.PartnerId}", Body(new { name = huge }))).AssertFieldError("name");
        (await Admin.PatchApiAsync($"/api/partners/external/{t.ExternalId}", Body(new { external_id = huge }))).AssertFieldError("external_id");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = t.PartnerId, code = huge }))).AssertFieldError("code");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = t.PartnerId, target_url = $"https://example.com/{huge}" }))).AssertFieldError("target_url");
        (await Admin.PatchApiAsync($"/api/referral-links/{t.LinkId}", Body(new { target_url = $"https://example.com/{huge}" }))).AssertFieldError("target_url");

        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_400()
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 64);

        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{t.PartnerId}}, "metadata": {{deep}}}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PatchApiAsync($"/api/referral-links/{t.LinkId}", $$"""{"metadata": {{deep}}}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await Admin.PostApiAsync("/api/partners", $$"""{"name": "x", "extra": {{deep}}}""")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.Equal(before, await SnapshotAsync(t));
    }

    [Fact]
    public async Task Unknown_api_paths_and_methods_are_problems_too()
    {
        (await Admin.GetApiAsync("/api/payouts")).AssertProblem(HttpStatusCode.NotFound);
        (await Admin.GetApiAsync("/api/projects/not-a-number")).AssertProblem(HttpStatusCode.NotFound);
        (await Admin.SendApiAsync(HttpMethod.Put, "/api/projects/1", "{}")).AssertProblem(HttpStatusCode.MethodNotAllowed);
        (await Admin.DeleteApiAsync("/api/projects/1")).AssertProblem(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Problems_carry_instance_and_type_and_no_trace_of_the_server_internals()
    {
        var t = await GivenTargetsAsync();
        var answers = new[]
        {
            await Admin.PostApiAsync("/api/partners", """{"name": 5}"""),
            await Admin.PostApiAsync("/api/partners", "{"),
            await Admin.GetApiAsync("/api/partners/987654"),
            await Admin.PostApiAsync("/api/partners", Body(new { name = "x", external_id = t.ExternalId })),
            await Viewer.PostApiAsync("/api/partners", Body(new { name = "x" })),
            await Api.Anonymous().GetApiAsync("/api/partners"),
            await Admin.SendContentAsync(HttpMethod.Post, "/api/partners", new StringContent("{}", Encoding.UTF8, "text/plain")),
        };

        Assert.All(answers, a =>
        {
            a.AssertIsProblem();
            Assert.StartsWith("/api/partners", a.Json.Str("instance"), StringComparison.Ordinal);
            Assert.StartsWith("https://", a.Json.Str("type"), StringComparison.Ordinal);
        });
        Assert.Equal([400, 400, 404, 409, 403, 401, 415], answers.Select(a => a.Code));
    }
}
