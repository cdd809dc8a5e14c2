using System.Net;
using System.Text.Json;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.ReferralLinks;

/// <summary><c>/api/referral-links</c>: every route's success path, its filters, sorts and includes, and its errors.</summary>
public sealed class ReferralLinkApiTests(ApiFactory api) : ApiTest(api)
{
    private static readonly string[] LinkFields =
        ["id", "code", "partner_id", "project_id", "target_url", "metadata", "created_at", "updated_at", "version"];

    private static string ETagOf(long version) => $"W/\"{version}\"";

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_link_in_snake_case()
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync();
        var code = Unique("Spring_");

        var answer = await Operator.PostApiAsync("/api/referral-links", $$$"""
            {"partner_id": {{{partner.Int("id")}}}, "code": "{{{code}}}", "project_id": {{{project.Int("id")}}},
             "target_url": "https://shop.example.com/spring", "metadata": {"campaign": "Zürich", "tier": 2, "tags": ["a", "b"]}}
            """);

        var link = answer.AssertOne(HttpStatusCode.Created);
        Assert.Equal(LinkFields.Order(), link.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(code, link.Str("code"));
        Assert.Equal(partner.Int("id"), link.Int("partner_id"));
        Assert.Equal(project.Int("id"), link.Int("project_id"));
        Assert.Equal("https://shop.example.com/spring", link.Str("target_url"));
        var metadata = link.GetProperty("metadata");
        Assert.Equal("Zürich", metadata.Str("campaign"));
        Assert.Equal(2, metadata.Int("tier"));
        Assert.Equal(2, metadata.GetProperty("tags").GetArrayLength());
        Assert.Equal($"/api/referral-links/{link.Int("id")}", answer.Location);
        Assert.Equal(ETagOf(0), answer.ETag);

        var fetched = await Viewer.GetApiAsync(answer.Location!);
        Assert.Equal(link.GetRawText(), fetched.AssertOne().GetRawText());
        Assert.Equal(ETagOf(0), fetched.ETag);
        var owner = (await Viewer.GetApiAsync($"/api/partners/{partner.Int("id")}")).AssertOne();
        Assert.Equal(1, owner.Int("link_count"));
        Assert.Contains(project.Int("id"), owner.GetProperty("project_ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Without_a_code_one_is_generated_and_without_project_id_the_partners_default_applies()
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync(projectId: project.Int("id"));

        var generated = (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = partner.Int("id") }))).AssertOne(HttpStatusCode.Created);
        var noProject = (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{partner.Int("id")}}, "project_id": null}""")).AssertOne(HttpStatusCode.Created);

        Assert.Matches("^[0-9A-Za-z]{10}$", generated.Str("code"));
        Assert.Equal(project.Int("id"), generated.Int("project_id"));
        Assert.Equal(JsonValueKind.Null, generated.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Null, generated.GetProperty("target_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, noProject.GetProperty("project_id").ValueKind);
        Assert.NotEqual(generated.Str("code"), noProject.Str("code"));
    }

    [Fact]
    public async Task A_duplicate_code_is_409_whatever_its_case()
    {
        var partner = await GivenPartnerAsync();
        var code = Unique("Dup");
        await GivenLinkAsync(partner.Int("id"), code);
        var before = await Api.CountsAsync();

        var same = await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = partner.Int("id"), code }));
        var upper = await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = partner.Int("id"), code = code.ToUpperInvariant() }));
        var lower = await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = partner.Int("id"), code = $" {code.ToLowerInvariant()} " }));

        Assert.Contains(code, same.AssertFieldError("code", HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("regardless of case", upper.AssertFieldError("code", HttpStatusCode.Conflict), StringComparison.Ordinal);
        lower.AssertFieldError("code", HttpStatusCode.Conflict);
        Assert.Equal(before, await Api.CountsAsync());
    }

    [Fact]
    public async Task Create_validation_errors_are_400_per_field_and_write_nothing()
    {
        var partner = await GivenPartnerAsync();
        var archived = await GivenProjectAsync(archived: true);
        var id = partner.Int("id");
        var before = await Api.CountsAsync();

        (await Admin.PostApiAsync("/api/referral-links", "{}")).AssertFieldError("partner_id");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = 987654 }))).AssertFieldError("partner_id");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = id, code = "has space" }))).AssertFieldError("code");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = id, code = "ab" }))).AssertFieldError("code");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = id, code = new string('c', 65) }))).AssertFieldError("code");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = id, target_url = "javascript:alert(1)" }))).AssertFieldError("target_url");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = id, project_id = archived.Int("id") }))).AssertFieldError("project_id");
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = id, project_id = 987654 }))).AssertFieldError("project_id");
        Assert.Contains("JSON object", (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{id}}, "metadata": [1, 2]}""")).AssertFieldError("metadata"), StringComparison.Ordinal);
        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{id}}, "metadata": "campaign=spring"}""")).AssertFieldError("metadata");
        (await Admin.PostApiAsync("/api/referral-links", $$$"""{"partner_id": {{{id}}}, "metadata": {"blob": "{{{new string('m', 17 * 1024)}}}"}}""")).AssertFieldError("metadata");

        Assert.Equal(before, await Api.CountsAsync());
    }

    [Fact]
    public async Task Get_includes_partner_and_project_only_when_asked_and_unknown_is_404()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("lnk-");
        var partner = await GivenPartnerAsync(name: "Linus", externalId: externalId);
        var link = await GivenLinkAsync(partner.Int("id"), projectId: project.Int("id"));
        var url = $"/api/referral-links/{link.Int("id")}";

        var plain = (await Viewer.GetApiAsync(url)).AssertOne();
        var both = (await Viewer.GetApiAsync($"{url}?include=partner,project")).AssertOne();

        Assert.False(plain.TryGetProperty("partner", out _));
        Assert.False(plain.TryGetProperty("project", out _));
        var embeddedPartner = both.GetProperty("partner");
        Assert.Equal(partner.Int("id"), embeddedPartner.Int("id"));
        Assert.Equal("Linus", embeddedPartner.Str("name"));
        Assert.Equal(externalId, embeddedPartner.Str("external_id"));
        Assert.Equal(project.Str("name"), both.GetProperty("project").Str("name"));
        Assert.Equal(project.Int("id"), both.GetProperty("project").Int("id"));
        (await Viewer.GetApiAsync($"{url}?include=clicks")).AssertFieldError("include");
        (await Viewer.GetApiAsync("/api/referral-links/987654")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_changes_target_url_and_metadata_and_clears_them_with_null()
    {
        var partner = await GivenPartnerAsync();
        var link = await GivenLinkAsync(partner.Int("id"), targetUrl: "https://example.com/old");
        var url = $"/api/referral-links/{link.Int("id")}";
        Tick();

        var answer = await Operator.PatchApiAsync(url, """{"target_url": "https://example.com/new", "metadata": {"source": "newsletter"}}""");

        var changed = answer.AssertOne();
        Assert.Equal("https://example.com/new", changed.Str("target_url"));
        Assert.Equal("newsletter", changed.GetProperty("metadata").Str("source"));
        Assert.Equal(link.Str("code"), changed.Str("code"));
        Assert.Equal(1, changed.Long("version"));
        Assert.Equal(ETagOf(1), answer.ETag);
        Assert.True(changed.GetProperty("updated_at").GetDateTime() > link.GetProperty("updated_at").GetDateTime());

        var metadataOnly = (await Operator.PatchApiAsync(url, """{"metadata": {"source": "blog"}}""")).AssertOne();
        Assert.Equal("https://example.com/new", metadataOnly.Str("target_url"));

        var cleared = (await Operator.PatchApiAsync(url, """{"target_url": null, "metadata": null}""")).AssertOne();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("target_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("metadata").ValueKind);

        (await Operator.PatchApiAsync(url, """{"metadata": 42}""")).AssertFieldError("metadata");
        (await Operator.PatchApiAsync(url, """{"target_url": "not a url"}""")).AssertFieldError("target_url");
        (await Operator.PatchApiAsync("/api/referral-links/987654", """{"target_url": null}""")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_by_an_admin_moves_the_link_and_the_partners_membership()
    {
        var from = await GivenProjectAsync();
        var to = await GivenProjectAsync();
        var archived = await GivenProjectAsync(archived: true);
        var partner = await GivenPartnerAsync();
        var link = await GivenLinkAsync(partner.Int("id"), projectId: from.Int("id"));
        var url = $"/api/referral-links/{link.Int("id")}";

        (await Admin.PatchApiAsync(url, Body(new { project_id = archived.Int("id") }))).AssertFieldError("project_id");
        var moved = (await Admin.PatchApiAsync(url, Body(new { project_id = to.Int("id") }))).AssertOne();

        Assert.Equal(to.Int("id"), moved.Int("project_id"));
        var owner = (await Admin.GetApiAsync($"/api/partners/{partner.Int("id")}")).AssertOne();
        Assert.Equal([to.Int("id")], owner.GetProperty("project_ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Patch_and_delete_with_a_stale_if_match_are_409_without_a_change()
    {
        var partner = await GivenPartnerAsync();
        var link = await GivenLinkAsync(partner.Int("id"));
        var url = $"/api/referral-links/{link.Int("id")}";
        (await Admin.PatchApiAsync(url, """{"target_url":"https://example.com/v1"}""", ("If-Match", ETagOf(0)))).AssertOne();

        var stale = await Admin.PatchApiAsync(url, """{"target_url":"https://example.com/v2"}""", ("If-Match", ETagOf(0)));
        var staleBody = await Admin.PatchApiAsync(url, """{"target_url":"https://example.com/v2","version":0}""");
        var staleDelete = await Admin.DeleteApiAsync(url, ("If-Match", ETagOf(0)));
        var badIfMatch = await Admin.DeleteApiAsync(url, ("If-Match", "yesterday"));

        stale.AssertProblem(HttpStatusCode.Conflict);
        staleBody.AssertProblem(HttpStatusCode.Conflict);
        staleDelete.AssertProblem(HttpStatusCode.Conflict);
        badIfMatch.AssertFieldError("If-Match");
        var current = (await Admin.GetApiAsync(url)).AssertOne();
        Assert.Equal("https://example.com/v1", current.Str("target_url"));
        Assert.Equal(1, current.Long("version"));
    }

    [Fact]
    public async Task Delete_removes_an_unused_link_and_refuses_one_with_clicks()
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync();
        var unused = await GivenLinkAsync(partner.Int("id"), projectId: project.Int("id"));
        var used = await GivenLinkAsync(partner.Int("id"));
        await Api.AddClickAsync(used.Int("id"));

        var deleted = await Operator.DeleteApiAsync($"/api/referral-links/{unused.Int("id")}");
        var refused = await Operator.DeleteApiAsync($"/api/referral-links/{used.Int("id")}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        (await Admin.GetApiAsync($"/api/referral-links/{unused.Int("id")}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Empty((await Admin.GetApiAsync($"/api/partners/{partner.Int("id")}")).AssertOne().GetProperty("project_ids").EnumerateArray());
        Assert.Contains("click", refused.AssertProblem(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);
        (await Admin.GetApiAsync($"/api/referral-links/{used.Int("id")}")).AssertOne();
        (await Operator.DeleteApiAsync("/api/referral-links/987654")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Each_filter_selects_the_matching_links_and_list_includes_embed_relations()
    {
        var project = await GivenProjectAsync();
        var p1 = await GivenPartnerAsync();
        var p2 = await GivenPartnerAsync();
        var code = Unique("Flt");
        var a = await GivenLinkAsync(p1.Int("id"), code, project.Int("id"));
        var b = await GivenLinkAsync(p1.Int("id"));
        var c = await GivenLinkAsync(p2.Int("id"), projectId: project.Int("id"));

        async Task<List<JsonElement>> Items(string query) =>
            (await Viewer.GetApiAsync($"/api/referral-links?{query}&sort=created_at")).AssertList();

        Assert.Equal([a.Int("id"), b.Int("id")], (await Items($"filter[partner_id]={p1.Int("id")}")).Ids());
        Assert.Equal([a.Int("id"), c.Int("id")], (await Items($"filter[project_id]={project.Int("id")}")).Ids());
        Assert.Equal([a.Int("id")], (await Items($"filter[code]={code.ToLowerInvariant()}")).Ids());
        Assert.Equal([c.Int("id")], (await Items($"filter[partner_id]={p2.Int("id")}&filter[project_id]={project.Int("id")}")).Ids());
        Assert.Empty(await Items($"filter[code]={code[..^1]}"));

        var included = await Items($"filter[project_id]={project.Int("id")}&include=partner,project");
        Assert.Equal([p1.Int("id"), p2.Int("id")], included.Select(l => l.GetProperty("partner").Int("id")));
        Assert.All(included, l => Assert.Equal(project.Str("name"), l.GetProperty("project").Str("name")));
        var plain = await Items($"filter[project_id]={project.Int("id")}");
        Assert.All(plain, l => Assert.False(l.TryGetProperty("partner", out _) || l.TryGetProperty("project", out _)));

        (await Viewer.GetApiAsync("/api/referral-links?filter[partner_id]=abc")).AssertFieldError("filter[partner_id]");
        (await Viewer.GetApiAsync("/api/referral-links?filter[project_id]=0")).AssertFieldError("filter[project_id]");
    }

    [Fact]
    public async Task Every_sort_field_sorts_both_ways_and_the_default_is_newest_first()
    {
        var tag = Unique("ls");
        var pa = await GivenProjectAsync($"a {tag}");
        var pb = await GivenProjectAsync($"b {tag}");
        var pc = await GivenProjectAsync($"c {tag}");
        var partner = await GivenPartnerAsync();
        var l1 = await GivenLinkAsync(partner.Int("id"), $"{tag}b", pb.Int("id"), "https://a.example.com/");
        Tick();
        var l2 = await GivenLinkAsync(partner.Int("id"), $"{tag}C", pa.Int("id"), "https://c.example.com/");
        Tick();
        var l3 = await GivenLinkAsync(partner.Int("id"), $"{tag}a", pc.Int("id"), "https://b.example.com/");
        Tick();
        (await Admin.PatchApiAsync($"/api/referral-links/{l1.Int("id")}", """{"metadata":{"touched":true}}""")).AssertOne();
        int L1 = l1.Int("id"), L2 = l2.Int("id"), L3 = l3.Int("id");

        async Task<List<int>> Sorted(string sort) =>
            (await Viewer.GetApiAsync($"/api/referral-links?filter[partner_id]={partner.Int("id")}{sort}")).AssertList(total: 3).Ids();

        Assert.Equal([L3, L2, L1], await Sorted(""));
        Assert.Equal([L3, L1, L2], await Sorted("&sort=code"));
        Assert.Equal([L2, L1, L3], await Sorted("&sort=-code"));
        Assert.Equal([L2, L1, L3], await Sorted("&sort=project"));
        Assert.Equal([L3, L1, L2], await Sorted("&sort=-project"));
        Assert.Equal([L1, L3, L2], await Sorted("&sort=target_url"));
        Assert.Equal([L2, L3, L1], await Sorted("&sort=-target_url"));
        Assert.Equal([L1, L2, L3], await Sorted("&sort=created_at"));
        Assert.Equal([L3, L2, L1], await Sorted("&sort=-created_at"));
        Assert.Equal([L2, L3, L1], await Sorted("&sort=updated_at"));
        Assert.Equal([L1, L3, L2], await Sorted("&sort=-updated_at"));

        // By partner name, within one project.
        var shared = await GivenProjectAsync();
        var zed = await GivenPartnerAsync($"Zed {tag}");
        var amy = await GivenPartnerAsync($"amy {tag}");
        var zedLink = await GivenLinkAsync(zed.Int("id"), projectId: shared.Int("id"));
        var amyLink = await GivenLinkAsync(amy.Int("id"), projectId: shared.Int("id"));
        async Task<List<int>> ByPartner(string sort) =>
            (await Viewer.GetApiAsync($"/api/referral-links?filter[project_id]={shared.Int("id")}&sort={sort}")).AssertList(total: 2).Ids();
        Assert.Equal([amyLink.Int("id"), zedLink.Int("id")], await ByPartner("partner"));
        Assert.Equal([zedLink.Int("id"), amyLink.Int("id")], await ByPartner("-partner"));
    }
}
