using System.Net;
using System.Text.Json;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Partners;

/// <summary><c>/api/partners</c> and <c>/api/partners/external/{external_id}</c>.</summary>
public sealed class PartnerApiTests(ApiFactory api) : ApiTest(api)
{
    private static readonly string[] PartnerFields =
        ["id", "name", "external_id", "status", "default_project_id", "project_ids", "link_count", "created_at", "updated_at", "version"];

    private static string ETagOf(long version) => $"W/\"{version}\"";

    private static string ByExternal(string externalId) => $"/api/partners/external/{Uri.EscapeDataString(externalId)}";

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_partner_in_snake_case()
    {
        var externalId = Unique("crm-");

        var answer = await Operator.PostApiAsync("/api/partners", Body(new { name = " Ada Lovelace ", external_id = $" {externalId} " }));

        var partner = answer.AssertOne(HttpStatusCode.Created);
        Assert.Equal(PartnerFields.Order(), partner.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Ada Lovelace", partner.Str("name"));
        Assert.Equal(externalId, partner.Str("external_id"));
        Assert.Equal("active", partner.Str("status"));
        Assert.Equal(JsonValueKind.Null, partner.GetProperty("default_project_id").ValueKind);
        Assert.Empty(partner.GetProperty("project_ids").EnumerateArray());
        Assert.Equal(0, partner.Int("link_count"));
        Assert.Equal($"/api/partners/{partner.Int("id")}", answer.Location);
        Assert.Equal(ETagOf(0), answer.ETag);

        var fetched = await Viewer.GetApiAsync(answer.Location!);
        Assert.Equal(partner.GetRawText(), fetched.AssertOne().GetRawText());
        Assert.Equal(ETagOf(0), fetched.ETag);
        Assert.Empty((await Viewer.GetApiAsync($"/api/referral-links?filter[partner_id]={partner.Int("id")}")).AssertList(total: 0));
    }

    [Fact]
    public async Task Create_with_a_project_generates_the_first_link_in_it()
    {
        var project = await GivenProjectAsync();

        var partner = (await Admin.PostApiAsync("/api/partners", Body(new { name = Unique("With project "), project_id = project.Int("id"), status = "inactive" })))
            .AssertOne(HttpStatusCode.Created);

        Assert.Equal("inactive", partner.Str("status"));
        Assert.Equal(project.Int("id"), partner.Int("default_project_id"));
        Assert.Equal([project.Int("id")], partner.GetProperty("project_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1, partner.Int("link_count"));
        var link = Assert.Single((await Viewer.GetApiAsync($"/api/referral-links?filter[partner_id]={partner.Int("id")}")).AssertList(total: 1));
        Assert.Equal(project.Int("id"), link.Int("project_id"));
        Assert.Matches("^[0-9A-Za-z]{10}$", link.Str("code"));
    }

    [Fact]
    public async Task Create_into_a_missing_or_archived_project_is_400_and_writes_nothing()
    {
        var archived = await GivenProjectAsync(archived: true);
        var before = await Api.CountsAsync();

        var missing = await Admin.PostApiAsync("/api/partners", Body(new { name = Unique(), project_id = 987654 }));
        var intoArchived = await Admin.PostApiAsync("/api/partners", Body(new { name = Unique(), project_id = archived.Int("id") }));

        Assert.Contains("987654", missing.AssertFieldError("project_id"), StringComparison.Ordinal);
        Assert.Contains("archived", intoArchived.AssertFieldError("project_id"), StringComparison.Ordinal);
        Assert.Equal(before, await Api.CountsAsync());
    }

    [Fact]
    public async Task A_duplicate_external_id_is_409_on_create_and_on_update()
    {
        var externalId = Unique("dup-");
        var owner = await GivenPartnerAsync(externalId: externalId);
        var other = await GivenPartnerAsync(externalId: Unique("other-"));
        var before = await Api.CountsAsync();

        var create = await Admin.PostApiAsync("/api/partners", Body(new { name = Unique(), external_id = externalId }));
        var update = await Admin.PatchApiAsync($"/api/partners/{other.Int("id")}", Body(new { external_id = externalId }));

        Assert.Contains(externalId, create.AssertFieldError("external_id", HttpStatusCode.Conflict), StringComparison.Ordinal);
        update.AssertFieldError("external_id", HttpStatusCode.Conflict);
        Assert.Equal(before, await Api.CountsAsync());
        Assert.Equal(owner.Int("id"), (await Admin.GetApiAsync(ByExternal(externalId))).AssertOne().Int("id"));
        Assert.Equal(other.Str("external_id"), (await Admin.GetApiAsync($"/api/partners/{other.Int("id")}")).AssertOne().Str("external_id"));
    }

    [Fact]
    public async Task Get_by_external_id_finds_the_same_partner_as_by_id()
    {
        var externalId = $"{Unique("ada")}+ref@example.com";
        var partner = await GivenPartnerAsync(externalId: externalId);

        var byExternal = await Viewer.GetApiAsync(ByExternal(externalId));
        var byId = await Viewer.GetApiAsync($"/api/partners/{partner.Int("id")}");

        Assert.Equal(byId.AssertOne().GetRawText(), byExternal.AssertOne().GetRawText());
        Assert.Equal(ETagOf(0), byExternal.ETag);
    }

    [Fact]
    public async Task Unknown_partners_are_404_on_every_single_partner_route()
    {
        var missing = Unique("missing-");
        var answers = new List<(string What, ApiAnswer Answer)>
        {
            ("get id", await Admin.GetApiAsync("/api/partners/987654")),
            ("patch id", await Admin.PatchApiAsync("/api/partners/987654", Body(new { name = "x" }))),
            ("delete id", await Admin.DeleteApiAsync("/api/partners/987654")),
            ("activate id", await Admin.PostApiAsync("/api/partners/987654/activate", null)),
            ("deactivate id", await Admin.PostApiAsync("/api/partners/987654/deactivate", null)),
            ("get ext", await Admin.GetApiAsync(ByExternal(missing))),
            ("patch ext", await Admin.PatchApiAsync(ByExternal(missing), Body(new { name = "x" }))),
            ("delete ext", await Admin.DeleteApiAsync(ByExternal(missing))),
            ("activate ext", await Admin.PostApiAsync($"{ByExternal(missing)}/activate", null)),
            ("deactivate ext", await Admin.PostApiAsync($"{ByExternal(missing)}/deactivate", null)),
        };

        Assert.All(answers, a => a.Answer.AssertProblem(HttpStatusCode.NotFound));
        Assert.Contains(missing, answers[5].Answer.Json.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Includes_embed_links_and_projects_on_get_and_list_only_when_asked()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("inc-");
        var partner = await GivenPartnerAsync(externalId: externalId, projectId: project.Int("id"));
        var id = partner.Int("id");
        var extra = await GivenLinkAsync(id, targetUrl: "https://example.com/extra");

        var plain = (await Viewer.GetApiAsync($"/api/partners/{id}")).AssertOne();
        var both = (await Viewer.GetApiAsync($"/api/partners/{id}?include=referral_links,projects")).AssertOne();
        var linksOnly = (await Viewer.GetApiAsync($"{ByExternal(externalId)}?include=referral_links")).AssertOne();
        var listed = Assert.Single((await Viewer.GetApiAsync($"/api/partners?filter[external_id]={externalId}&include=projects,referral_links")).AssertList(total: 1));

        Assert.False(plain.TryGetProperty("referral_links", out _));
        Assert.False(plain.TryGetProperty("projects", out _));
        foreach (var withIncludes in new[] { both, listed })
        {
            var links = withIncludes.GetProperty("referral_links").EnumerateArray().ToList();
            Assert.Equal(2, links.Count);
            Assert.Contains(links, l => l.Int("id") == extra.Int("id") && l.Str("target_url") == "https://example.com/extra");
            Assert.All(links, l => Assert.Equal(id, l.Int("partner_id")));
            var embedded = Assert.Single(withIncludes.GetProperty("projects").EnumerateArray());
            Assert.Equal(project.Int("id"), embedded.Int("id"));
            Assert.Equal(project.Str("name"), embedded.Str("name"));
        }

        Assert.Equal(2, linksOnly.GetProperty("referral_links").GetArrayLength());
        Assert.False(linksOnly.TryGetProperty("projects", out _));
        Assert.Contains("clicks", (await Viewer.GetApiAsync($"/api/partners/{id}?include=clicks")).AssertFieldError("include"), StringComparison.Ordinal);
        Assert.Contains("\"name\"", (await Viewer.GetApiAsync($"/api/partners/{id}?filter[name]=x")).AssertFieldError("filter[name]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_by_id_changes_the_fields_sent_and_bumps_version_and_etag()
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync(externalId: Unique("p-"));
        var newExternal = Unique("moved-");
        Tick();

        var answer = await Operator.PatchApiAsync($"/api/partners/{partner.Int("id")}",
            Body(new { name = "Grace Hopper", external_id = newExternal, status = "inactive", default_project_id = project.Int("id") }));

        var changed = answer.AssertOne();
        Assert.Equal("Grace Hopper", changed.Str("name"));
        Assert.Equal(newExternal, changed.Str("external_id"));
        Assert.Equal("inactive", changed.Str("status"));
        Assert.Equal(project.Int("id"), changed.Int("default_project_id"));
        Assert.Equal([project.Int("id")], changed.GetProperty("project_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1, changed.Long("version"));
        Assert.Equal(ETagOf(1), answer.ETag);
        Assert.True(changed.GetProperty("updated_at").GetDateTime() > partner.GetProperty("updated_at").GetDateTime());
        (await Admin.GetApiAsync(ByExternal(partner.Str("external_id")))).AssertProblem(HttpStatusCode.NotFound);

        var nameOnly = (await Operator.PatchApiAsync($"/api/partners/{partner.Int("id")}", Body(new { name = "Grace B. Hopper" }))).AssertOne();
        Assert.Equal(newExternal, nameOnly.Str("external_id"));
        Assert.Equal("inactive", nameOnly.Str("status"));

        var cleared = (await Operator.PatchApiAsync($"/api/partners/{partner.Int("id")}", """{"external_id":null,"default_project_id":null}""")).AssertOne();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("external_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("default_project_id").ValueKind);
        Assert.Equal("Grace B. Hopper", cleared.Str("name"));
    }

    [Fact]
    public async Task Patch_by_external_id_changes_the_partner()
    {
        var externalId = Unique("byext-");
        var partner = await GivenPartnerAsync(externalId: externalId);

        var answer = await Operator.PatchApiAsync(ByExternal(externalId), Body(new { name = "Renamed by external id" }));

        var changed = answer.AssertOne();
        Assert.Equal(partner.Int("id"), changed.Int("id"));
        Assert.Equal("Renamed by external id", changed.Str("name"));
        Assert.Equal(ETagOf(1), answer.ETag);
    }

    [Fact]
    public async Task Patch_with_null_status_or_name_is_400_and_changes_nothing()
    {
        var partner = await GivenPartnerAsync();
        var url = $"/api/partners/{partner.Int("id")}";

        (await Admin.PatchApiAsync(url, """{"status":null}""")).AssertFieldError("status");
        (await Admin.PatchApiAsync(url, """{"name":null}""")).AssertFieldError("name");
        (await Admin.PatchApiAsync(url, Body(new { name = new string('x', 201) }))).AssertFieldError("name");
        (await Admin.PatchApiAsync(url, Body(new { default_project_id = 987654 }))).AssertFieldError("default_project_id");

        Assert.Equal(partner.GetRawText(), (await Admin.GetApiAsync(url)).AssertOne().GetRawText());
    }

    [Fact]
    public async Task Patch_and_delete_with_a_stale_if_match_are_409_without_a_change()
    {
        var partner = await GivenPartnerAsync();
        var url = $"/api/partners/{partner.Int("id")}";
        (await Admin.PatchApiAsync(url, Body(new { name = Unique("v1 ") }), ("If-Match", ETagOf(0)))).AssertOne();

        var stalePatch = await Admin.PatchApiAsync(url, Body(new { name = Unique("v2 ") }), ("If-Match", ETagOf(0)));
        var staleBody = await Admin.PatchApiAsync(url, Body(new { name = Unique("v2 "), version = 0 }));
        var staleDelete = await Admin.DeleteApiAsync(url, ("If-Match", ETagOf(0)));

        stalePatch.AssertProblem(HttpStatusCode.Conflict);
        staleBody.AssertProblem(HttpStatusCode.Conflict);
        staleDelete.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(1, (await Admin.GetApiAsync(url)).AssertOne().Long("version"));

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteApiAsync(url, ("If-Match", ETagOf(1)))).Status);
    }

    [Fact]
    public async Task Delete_removes_a_never_used_partner_with_its_links_by_id_and_by_external_id()
    {
        var project = await GivenProjectAsync();
        var byId = await GivenPartnerAsync(projectId: project.Int("id"));
        var externalId = Unique("del-");
        var byExternal = await GivenPartnerAsync(externalId: externalId);
        await GivenLinkAsync(byExternal.Int("id"));
        var before = await Api.CountsAsync();

        var deletedById = await Operator.DeleteApiAsync($"/api/partners/{byId.Int("id")}");
        var deletedByExternal = await Operator.DeleteApiAsync(ByExternal(externalId));

        Assert.Equal(HttpStatusCode.NoContent, deletedById.Status);
        Assert.Equal("", deletedById.Text);
        Assert.Equal(HttpStatusCode.NoContent, deletedByExternal.Status);
        Assert.Equal((before.Projects, before.Partners - 2, before.Links - 2), await Api.CountsAsync());
        (await Admin.GetApiAsync($"/api/partners/{byId.Int("id")}")).AssertProblem(HttpStatusCode.NotFound);
        (await Admin.GetApiAsync(ByExternal(externalId))).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_partner_with_clicks_is_409_with_the_reason_and_keeps_it()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("used-");
        var partner = await GivenPartnerAsync(externalId: externalId, projectId: project.Int("id"));
        var link = Assert.Single((await Admin.GetApiAsync($"/api/referral-links?filter[partner_id]={partner.Int("id")}")).AssertList());
        await Api.AddClickAsync(link.Int("id"));
        var before = await Api.CountsAsync();

        var byId = await Admin.DeleteApiAsync($"/api/partners/{partner.Int("id")}");
        var byExternal = await Admin.DeleteApiAsync(ByExternal(externalId));

        Assert.Contains("click", byId.AssertProblem(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);
        Assert.Contains("deactivated", byExternal.AssertProblem(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await Api.CountsAsync());
        (await Admin.GetApiAsync($"/api/partners/{partner.Int("id")}")).AssertOne();

        var deactivated = (await Admin.PostApiAsync($"/api/partners/{partner.Int("id")}/deactivate", null)).AssertOne();
        Assert.Equal("inactive", deactivated.Str("status"));
    }

    [Fact]
    public async Task Activate_and_deactivate_by_id_and_by_external_id()
    {
        var externalId = Unique("act-");
        var partner = await GivenPartnerAsync(externalId: externalId);
        var id = partner.Int("id");

        var off = await Operator.PostApiAsync($"/api/partners/{id}/deactivate", null);
        Assert.Equal("inactive", off.AssertOne().Str("status"));
        Assert.Equal(ETagOf(1), off.ETag);
        Assert.Equal("active", (await Operator.PostApiAsync($"/api/partners/{id}/activate", null)).AssertOne().Str("status"));
        Assert.Equal("inactive", (await Operator.PostApiAsync($"{ByExternal(externalId)}/deactivate", null)).AssertOne().Str("status"));
        var again = (await Operator.PostApiAsync($"{ByExternal(externalId)}/deactivate", null)).AssertOne();
        Assert.Equal(3, again.Long("version"));
        var on = (await Operator.PostApiAsync($"{ByExternal(externalId)}/activate", null)).AssertOne();
        Assert.Equal("active", on.Str("status"));
        Assert.Equal(4, on.Long("version"));
    }

    [Fact]
    public async Task List_defaults_to_newest_first_with_the_envelope_and_meta()
    {
        var tag = Unique("new");
        var first = await GivenPartnerAsync($"{tag} one");
        Tick();
        var second = await GivenPartnerAsync($"{tag} two");

        var items = (await Viewer.GetApiAsync($"/api/partners?filter[name]={tag}")).AssertList(page: 1, pageSize: 10, total: 2);

        Assert.Equal([second.Int("id"), first.Int("id")], items.Ids());
        Assert.All(items, i => Assert.Equal(PartnerFields.Order(), i.EnumerateObject().Select(p => p.Name).Order()));
    }

    [Fact]
    public async Task Each_filter_selects_the_matching_partners()
    {
        var tag = Unique("fl");
        var project = await GivenProjectAsync();
        var other = await GivenProjectAsync();
        var inProject = await GivenPartnerAsync($"{tag} alpha", externalId: $"{tag}-ext-1", projectId: project.Int("id"));
        var inactive = await GivenPartnerAsync($"{tag} beta", externalId: $"{tag}-ext-2", status: "inactive");
        var byLink = await GivenPartnerAsync($"Someone {tag}", projectId: other.Int("id"));
        var movedLink = await GivenLinkAsync(byLink.Int("id"), code: $"q{tag}", projectId: project.Int("id"));

        async Task<List<int>> Ids(string query) =>
            (await Viewer.GetApiAsync($"/api/partners?{query}&sort=name&page[size]=100")).AssertList().Ids();

        Assert.Equal([inProject.Int("id")], await Ids($"filter[external_id]={tag}-ext-1"));
        Assert.Equal([inactive.Int("id")], await Ids($"filter[status]=inactive&filter[name]={tag}"));
        Assert.Equal([inProject.Int("id")], await Ids($"filter[status]=active&filter[name]={tag}"));
        Assert.Equal([inProject.Int("id"), byLink.Int("id")], await Ids($"filter[project_id]={project.Int("id")}"));
        Assert.Equal([byLink.Int("id")], await Ids($"filter[project_id]={other.Int("id")}"));
        Assert.Equal([inProject.Int("id"), inactive.Int("id")], await Ids($"filter[name]={tag.ToUpperInvariant()}"));
        // Search finds the tag anywhere in a name, so "Someone {tag}" too.
        Assert.Equal([inProject.Int("id"), inactive.Int("id"), byLink.Int("id")], await Ids($"filter[search]={tag}"));
        Assert.Equal([byLink.Int("id")], await Ids($"filter[search]={movedLink.Str("code").ToLowerInvariant()}"));
        Assert.Empty(await Ids($"filter[external_id]={tag}-ext"));

        Assert.Contains("filter[project_id]", (await Viewer.GetApiAsync("/api/partners?filter[project_id]=abc")).AssertFieldError("filter[project_id]"), StringComparison.Ordinal);
        (await Viewer.GetApiAsync("/api/partners?filter[project_id]=-1")).AssertFieldError("filter[project_id]");
        (await Viewer.GetApiAsync("/api/partners?filter[status]=weird")).AssertFieldError("filter[status]");
    }

    [Fact]
    public async Task Every_sort_field_sorts_both_ways()
    {
        var tag = Unique("so");
        var b = await GivenPartnerAsync($"{tag} b", externalId: $"{tag}-3", status: "inactive");
        Tick();
        var c = await GivenPartnerAsync($"{tag} c", externalId: $"{tag}-1");
        Tick();
        var a = await GivenPartnerAsync($"{tag} a", externalId: $"{tag}-2");
        Tick();
        (await Admin.PatchApiAsync($"/api/partners/{b.Int("id")}", Body(new { name = $"{tag} B" }))).AssertOne();
        int A = a.Int("id"), B = b.Int("id"), C = c.Int("id");

        async Task<List<int>> Sorted(string sort) =>
            (await Viewer.GetApiAsync($"/api/partners?filter[name]={tag}&sort={sort}")).AssertList(total: 3).Ids();

        Assert.Equal([A, B, C], await Sorted("name"));
        Assert.Equal([C, B, A], await Sorted("-name"));
        Assert.Equal([C, A, B], await Sorted("external_id"));
        Assert.Equal([B, A, C], await Sorted("-external_id"));
        Assert.Equal([C, A, B], await Sorted("status"));
        Assert.Equal([B, A, C], await Sorted("-status"));
        Assert.Equal([B, C, A], await Sorted("created_at"));
        Assert.Equal([A, C, B], await Sorted("-created_at"));
        Assert.Equal([C, A, B], await Sorted("updated_at"));
        Assert.Equal([B, A, C], await Sorted("-updated_at"));
    }
}
