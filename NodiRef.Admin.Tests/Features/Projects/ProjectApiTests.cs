using System.Net;
using System.Text.Json;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Projects;

/// <summary><c>/api/projects</c>: every route's success path, its filters and sorts, and its errors.</summary>
public sealed class ProjectApiTests(ApiFactory api) : ApiTest(api)
{
    private static readonly string[] ProjectFields = ["id", "name", "landing_url", "status", "created_at", "updated_at", "version"];

    private static string ETagOf(long version) => $"W/\"{version}\"";

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_project_in_snake_case()
    {
        var name = Unique("Shop ");

        var answer = await Admin.PostApiAsync("/api/projects", Body(new { name = $"  {name} ", landing_url = "https://shop.example.com/welcome" }));

        var project = answer.AssertOne(HttpStatusCode.Created);
        Assert.Equal(ProjectFields.Order(), project.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(name, project.Str("name"));
        Assert.Equal("https://shop.example.com/welcome", project.Str("landing_url"));
        Assert.Equal("active", project.Str("status"));
        Assert.Equal(0, project.Long("version"));
        Assert.Equal(Api.Clock.GetUtcNow().UtcDateTime, project.GetProperty("created_at").GetDateTime());
        Assert.EndsWith("Z", project.Str("created_at"), StringComparison.Ordinal);
        Assert.Equal($"/api/projects/{project.Int("id")}", answer.Location);
        Assert.Equal(ETagOf(0), answer.ETag);

        var fetched = await Admin.GetApiAsync(answer.Location!);
        Assert.Equal(project.GetRawText(), fetched.AssertOne().GetRawText());
        Assert.Equal(ETagOf(0), fetched.ETag);
    }

    [Fact]
    public async Task Get_unknown_is_404_problem()
    {
        var answer = await Viewer.GetApiAsync("/api/projects/987654");

        Assert.Contains("987654", answer.AssertProblem(HttpStatusCode.NotFound).Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_and_bumps_the_version_and_etag()
    {
        var project = await GivenProjectAsync();
        var newName = Unique("Renamed ");
        Tick();

        var answer = await Operator.PatchApiAsync($"/api/projects/{project.Int("id")}", Body(new { name = newName }));

        var changed = answer.AssertOne();
        Assert.Equal(newName, changed.Str("name"));
        Assert.Equal(project.Str("landing_url"), changed.Str("landing_url"));
        Assert.Equal(1, changed.Long("version"));
        Assert.Equal(ETagOf(1), answer.ETag);
        Assert.True(changed.GetProperty("updated_at").GetDateTime() > project.GetProperty("updated_at").GetDateTime());
        Assert.Equal(project.Str("created_at"), changed.Str("created_at"));

        var url = (await Admin.PatchApiAsync($"/api/projects/{project.Int("id")}", Body(new { landing_url = "https://moved.example.com/" }))).AssertOne();
        Assert.Equal(newName, url.Str("name"));
        Assert.Equal("https://moved.example.com/", url.Str("landing_url"));
    }

    [Fact]
    public async Task Patch_with_the_current_etag_succeeds_and_with_a_stale_one_is_409_without_a_change()
    {
        var project = await GivenProjectAsync();
        var url = $"/api/projects/{project.Int("id")}";
        var first = await Admin.PatchApiAsync(url, Body(new { name = Unique("First ") }), ("If-Match", ETagOf(0)));
        var firstName = first.AssertOne().Str("name");

        var stale = await Admin.PatchApiAsync(url, Body(new { name = Unique("Second ") }), ("If-Match", ETagOf(0)));
        var staleByBody = await Admin.PatchApiAsync(url, Body(new { name = Unique("Third "), version = 0 }));

        Assert.Contains("changed by someone else", stale.AssertProblem(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);
        staleByBody.AssertProblem(HttpStatusCode.Conflict);
        var current = (await Admin.GetApiAsync(url)).AssertOne();
        Assert.Equal(firstName, current.Str("name"));
        Assert.Equal(1, current.Long("version"));

        var withCurrentBodyVersion = await Admin.PatchApiAsync(url, Body(new { name = Unique("Fourth "), version = 1 }));
        Assert.Equal(2, withCurrentBodyVersion.AssertOne().Long("version"));
    }

    [Fact]
    public async Task Patch_with_an_if_match_that_is_not_an_etag_is_400_naming_the_header()
    {
        var project = await GivenProjectAsync();

        var answer = await Admin.PatchApiAsync($"/api/projects/{project.Int("id")}", Body(new { name = Unique() }), ("If-Match", "\"abc\""));

        answer.AssertFieldError("If-Match");
        Assert.Equal(0, (await Admin.GetApiAsync($"/api/projects/{project.Int("id")}")).AssertOne().Long("version"));
    }

    [Fact]
    public async Task Patch_unknown_is_404()
    {
        (await Admin.PatchApiAsync("/api/projects/987654", Body(new { name = Unique() }))).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Archive_and_restore_change_the_status_and_unknown_ids_are_404()
    {
        var project = await GivenProjectAsync();
        var id = project.Int("id");

        var archived = await Operator.PostApiAsync($"/api/projects/{id}/archive", null);
        var archivedData = archived.AssertOne();
        Assert.Equal("archived", archivedData.Str("status"));
        Assert.Equal(ETagOf(archivedData.Long("version")), archived.ETag);
        Assert.Equal(1, archivedData.Long("version"));

        var again = (await Operator.PostApiAsync($"/api/projects/{id}/archive", null)).AssertOne();
        Assert.Equal(1, again.Long("version"));

        var restored = (await Operator.PostApiAsync($"/api/projects/{id}/restore", null)).AssertOne();
        Assert.Equal("active", restored.Str("status"));
        Assert.Equal(2, restored.Long("version"));

        (await Admin.PostApiAsync("/api/projects/987654/archive", null)).AssertProblem(HttpStatusCode.NotFound);
        (await Admin.PostApiAsync("/api/projects/987654/restore", null)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_duplicate_name_is_409_on_create_and_on_rename()
    {
        var taken = await GivenProjectAsync();
        var other = await GivenProjectAsync();
        var before = await Api.CountsAsync();

        var create = await Admin.PostApiAsync("/api/projects", Body(new { name = taken.Str("name"), landing_url = "https://example.com/" }));
        var rename = await Admin.PatchApiAsync($"/api/projects/{other.Int("id")}", Body(new { name = taken.Str("name") }));

        Assert.Contains(taken.Str("name"), create.AssertFieldError("name", HttpStatusCode.Conflict), StringComparison.Ordinal);
        rename.AssertFieldError("name", HttpStatusCode.Conflict);
        Assert.Equal(before, await Api.CountsAsync());
        Assert.Equal(other.Str("name"), (await Admin.GetApiAsync($"/api/projects/{other.Int("id")}")).AssertOne().Str("name"));
    }

    [Fact]
    public async Task Create_validation_errors_are_400_per_field()
    {
        var before = await Api.CountsAsync();

        var empty = await Admin.PostApiAsync("/api/projects", "{}");
        var badUrl = await Admin.PostApiAsync("/api/projects", Body(new { name = Unique(), landing_url = "ftp://files.example.com/" }));
        var longName = await Admin.PostApiAsync("/api/projects", Body(new { name = new string('n', 101), landing_url = "https://example.com/" }));
        var blank = await Admin.PostApiAsync("/api/projects", Body(new { name = "   ", landing_url = "https://example.com/" }));

        var emptyProblem = empty.AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(emptyProblem.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(emptyProblem.GetProperty("errors").TryGetProperty("landing_url", out _));
        Assert.Contains("http", badUrl.AssertFieldError("landing_url"), StringComparison.Ordinal);
        Assert.Contains("100", longName.AssertFieldError("name"), StringComparison.Ordinal);
        blank.AssertFieldError("name");
        Assert.Equal(before, await Api.CountsAsync());
    }

    [Fact]
    public async Task List_is_an_envelope_with_meta_sorted_by_name_by_default()
    {
        var tag = Unique("lst");
        var names = new[] { $"b {tag}", $"c {tag}", $"a {tag}" };
        foreach (var name in names)
        {
            await GivenProjectAsync(name);
        }

        var answer = await Viewer.GetApiAsync($"/api/projects?filter[name]={tag}");

        var items = answer.AssertList(page: 1, pageSize: 10, total: 3);
        Assert.Equal(names.Order(StringComparer.Ordinal), items.Select(i => i.Str("name")));
        Assert.All(items, i => Assert.Equal(ProjectFields.Order(), i.EnumerateObject().Select(p => p.Name).Order()));
    }

    [Fact]
    public async Task Filter_name_matches_part_of_the_name_case_insensitively()
    {
        var tag = Unique("flt");
        await GivenProjectAsync($"Alpha {tag} shop");
        await GivenProjectAsync($"Beta {tag}");
        await GivenProjectAsync(Unique("Gamma "));

        var items = (await Viewer.GetApiAsync($"/api/projects?filter[name]={tag.ToUpperInvariant()}")).AssertList(total: 2);

        Assert.Equal([$"Alpha {tag} shop", $"Beta {tag}"], items.Select(i => i.Str("name")));
    }

    [Fact]
    public async Task Filter_status_returns_only_that_status()
    {
        var tag = Unique("sts");
        var active = await GivenProjectAsync($"Active {tag}");
        var archived = await GivenProjectAsync($"Archived {tag}", archived: true);

        var onlyArchived = (await Viewer.GetApiAsync($"/api/projects?filter[status]=archived&filter[name]={tag}")).AssertList(total: 1);
        var onlyActive = (await Viewer.GetApiAsync($"/api/projects?filter[status]=active&filter[name]={tag}")).AssertList(total: 1);

        Assert.Equal([archived.Int("id")], onlyArchived.Ids());
        Assert.Equal([active.Int("id")], onlyActive.Ids());
        Assert.Contains("filter[status]", (await Viewer.GetApiAsync("/api/projects?filter[status]=weird")).AssertFieldError("filter[status]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_sort_field_sorts_both_ways()
    {
        var tag = Unique("srt");
        // Created in the order c, a, b; then a is updated last and b archived.
        var c = await GivenProjectAsync($"c {tag}");
        Tick();
        var a = await GivenProjectAsync($"a {tag}");
        Tick();
        var b = await GivenProjectAsync($"b {tag}", archived: true);
        Tick();
        (await Admin.PatchApiAsync($"/api/projects/{a.Int("id")}", Body(new { landing_url = "https://later.example.com/" }))).AssertOne();
        int A = a.Int("id"), B = b.Int("id"), C = c.Int("id");

        async Task<List<int>> Sorted(string sort) =>
            (await Viewer.GetApiAsync($"/api/projects?filter[name]={tag}&sort={sort}")).AssertList(total: 3).Ids();

        Assert.Equal([A, B, C], await Sorted("name"));
        Assert.Equal([C, B, A], await Sorted("-name"));
        Assert.Equal([C, A, B], await Sorted("created_at"));
        Assert.Equal([B, A, C], await Sorted("-created_at"));
        Assert.Equal([C, B, A], await Sorted("updated_at"));
        Assert.Equal([A, B, C], await Sorted("-updated_at"));
        Assert.Equal(B, (await Sorted("-status"))[0]);
        Assert.Equal(B, (await Sorted("status"))[2]);
    }

    [Fact]
    public async Task Ids_and_versions_are_numbers_and_dates_are_utc()
    {
        var project = await GivenProjectAsync();

        Assert.Equal(JsonValueKind.Number, project.GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Number, project.GetProperty("version").ValueKind);
        Assert.Equal(DateTimeKind.Utc, project.GetProperty("updated_at").GetDateTime().Kind);
    }
}
