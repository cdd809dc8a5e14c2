using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Projects;

public sealed class ProjectServiceTests : ServiceTest
{
    private const string Landing = "https://shop.example.com/welcome";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Operator);
    }

    [Fact]
    public async Task Creates_an_active_project_with_trimmed_values()
    {
        var project = Ok(await App.Projects.CreateAsync(new ProjectInput("  Shop  ", $"  {Landing}  "), Ct));

        Assert.Equal("Shop", project.Name);
        Assert.Equal(Landing, project.LandingUrl);
        Assert.Equal(ProjectStatus.Active, project.Status);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, project.CreatedAt);
        Assert.Equal(project, Ok(await App.Projects.GetAsync(project.Id, Ct)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Name_is_required(string? name)
    {
        var result = await App.Projects.CreateAsync(new ProjectInput(name, Landing), Ct);

        Assert.Contains("required", InvalidOn(result, nameof(ProjectInput.Name)));
        Assert.Equal(0, await CountAsync<Project>());
    }

    [Fact]
    public async Task Name_may_be_100_characters_but_not_101()
    {
        var tooLong = await App.Projects.CreateAsync(new ProjectInput(new string('p', 101), Landing), Ct);
        var longest = await App.Projects.CreateAsync(new ProjectInput(new string('p', 100), Landing), Ct);

        Assert.Contains("100", InvalidOn(tooLong, nameof(ProjectInput.Name)));
        Ok(longest);
    }

    [Fact]
    public async Task Name_must_be_unique()
    {
        await GivenProjectAsync("Shop");

        var result = await App.Projects.CreateAsync(new ProjectInput(" Shop ", Landing), Ct);

        Assert.Contains("Shop", ConflictOn(result, nameof(ProjectInput.Name)));
        Assert.Equal(1, await CountAsync<Project>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task Landing_url_is_required(string? url)
    {
        var result = await App.Projects.CreateAsync(new ProjectInput("Shop", url), Ct);

        Assert.Contains("required", InvalidOn(result, nameof(ProjectInput.LandingUrl)));
        Assert.Equal(0, await CountAsync<Project>());
    }

    [Theory]
    [InlineData("shop.example.com")]
    [InlineData("/welcome")]
    [InlineData("ftp://shop.example.com/")]
    [InlineData("javascript:alert(1)")]
    public async Task Landing_url_must_be_an_absolute_http_url(string url)
    {
        var result = await App.Projects.CreateAsync(new ProjectInput("Shop", url), Ct);

        Assert.Contains("http", InvalidOn(result, nameof(ProjectInput.LandingUrl)));
        Assert.Equal(0, await CountAsync<Project>());
    }

    [Fact]
    public async Task Update_renames_and_bumps_the_version_and_may_keep_its_own_name()
    {
        var project = await GivenProjectAsync("Shop");
        App.Clock.Advance(TimeSpan.FromDays(1));

        var renamed = Ok(await App.Projects.UpdateAsync(project.Id, new ProjectInput("Store", Landing), project.Version, Ct));
        var same = Ok(await App.Projects.UpdateAsync(project.Id, new ProjectInput("Store", "http://store.example.com/"), renamed.Version, Ct));

        Assert.Equal("Store", renamed.Name);
        Assert.Equal(project.Version + 1, renamed.Version);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, renamed.UpdatedAt);
        Assert.Equal(project.CreatedAt, renamed.CreatedAt);
        Assert.Equal("http://store.example.com/", same.LandingUrl);
    }

    [Fact]
    public async Task Update_refuses_the_name_of_another_project()
    {
        await GivenProjectAsync("Taken");
        var project = await GivenProjectAsync("Mine");

        var result = await App.Projects.UpdateAsync(project.Id, new ProjectInput("Taken", Landing), project.Version, Ct);

        ConflictOn(result, nameof(ProjectInput.Name));
        Assert.Equal("Mine", Ok(await App.Projects.GetAsync(project.Id, Ct)).Name);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_a_conflict_carrying_the_current_values()
    {
        var project = await GivenProjectAsync("Shop");
        var first = Ok(await App.Projects.UpdateAsync(project.Id, new ProjectInput("Shop by Alice", Landing), project.Version, Ct));

        var second = await App.Projects.UpdateAsync(project.Id, new ProjectInput("Shop by Bob", Landing), project.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, second.Status);
        Assert.Equal(first, second.Value);
        Assert.Equal("Shop by Alice", Ok(await App.Projects.GetAsync(project.Id, Ct)).Name);
    }

    [Fact]
    public async Task Archive_and_restore()
    {
        var project = await GivenProjectAsync("Seasonal");

        var archived = Ok(await App.Projects.SetStatusAsync(project.Id, ProjectStatus.Archived, project.Version, Ct));
        var restored = Ok(await App.Projects.SetStatusAsync(project.Id, ProjectStatus.Active, archived.Version, Ct));

        Assert.Equal(ProjectStatus.Archived, archived.Status);
        Assert.Equal(project.Version + 1, archived.Version);
        Assert.Equal(ProjectStatus.Active, restored.Status);
        Assert.Equal(project.Version + 2, restored.Version);
    }

    [Fact]
    public async Task SetStatus_with_a_stale_version_is_a_conflict()
    {
        var project = await GivenProjectAsync("Seasonal");
        var renamed = Ok(await App.Projects.UpdateAsync(project.Id, new ProjectInput("Seasonal 2", Landing), project.Version, Ct));

        var result = await App.Projects.SetStatusAsync(project.Id, ProjectStatus.Archived, project.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal(renamed, result.Value);
        Assert.Equal(ProjectStatus.Active, Ok(await App.Projects.GetAsync(project.Id, Ct)).Status);
    }

    [Fact]
    public async Task Changes_to_a_missing_project_are_not_found()
    {
        Assert.Equal(ResultStatus.NotFound, (await App.Projects.GetAsync(77, Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await App.Projects.UpdateAsync(77, new ProjectInput("X", Landing), 0, Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await App.Projects.SetStatusAsync(77, ProjectStatus.Archived, 0, Ct)).Status);
    }

    [Fact]
    public async Task A_viewer_cannot_create_a_project()
    {
        App.ActAs(Roles.Viewer);

        var result = await App.Projects.CreateAsync(new ProjectInput("Shop", Landing), Ct);

        Assert.Equal(ResultStatus.Forbidden, result.Status);
        Assert.Equal(0, await CountAsync<Project>());
    }

    [Fact]
    public async Task Options_leave_out_archived_projects_unless_asked()
    {
        var live = await GivenProjectAsync("Live");
        var old = await GivenProjectAsync("Old", ProjectStatus.Archived);
        var another = await GivenProjectAsync("Another");

        var active = await App.Projects.OptionsAsync(ct: Ct);
        var all = await App.Projects.OptionsAsync(includeArchived: true, ct: Ct);

        Assert.Equal([another.Id, live.Id], active.Select(o => o.Id));
        Assert.Equal(
            [new ProjectOption(another.Id, "Another", ProjectStatus.Active), new ProjectOption(live.Id, "Live", ProjectStatus.Active), new ProjectOption(old.Id, "Old", ProjectStatus.Archived)],
            all);
    }

    [Fact]
    public async Task List_filters_searches_sorts_and_pages()
    {
        await GivenProjectAsync("Bravo shop");
        await GivenProjectAsync("Alpha shop");
        await GivenProjectAsync("Charlie", ProjectStatus.Archived);

        var byName = Ok(await App.Projects.ListAsync(new ProjectQuery(), Ct));
        var archived = Ok(await App.Projects.ListAsync(new ProjectQuery(Status: ProjectStatus.Archived), Ct));
        var search = Ok(await App.Projects.ListAsync(new ProjectQuery(Search: "shop") { Sort = new SortSpec(nameof(Project.Name), true) }, Ct));
        var page = Ok(await App.Projects.ListAsync(new ProjectQuery { PageIndex = 1, PageSize = 2 }, Ct));

        Assert.Equal(["Alpha shop", "Bravo shop", "Charlie"], byName.Items.Select(p => p.Name));
        Assert.Equal(["Charlie"], archived.Items.Select(p => p.Name));
        Assert.Equal(["Bravo shop", "Alpha shop"], search.Items.Select(p => p.Name));
        Assert.Equal(3, page.Total);
        Assert.Equal(["Charlie"], page.Items.Select(p => p.Name));
    }
}
