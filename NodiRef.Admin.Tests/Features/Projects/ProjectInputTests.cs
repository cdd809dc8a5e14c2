using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Projects;

/// <summary>What the project service accepts and finds.</summary>
public sealed class ProjectInputTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    /// <summary>A project status outside the enum is refused and nothing changes.</summary>
    [Fact]
    public async Task Project_status_outside_the_enum_is_refused()
    {
        var project = await GivenProjectAsync("Shop");

        var result = await App.Projects.SetStatusAsync(project.Id, (ProjectStatus)42, project.Version, Ct);

        InvalidOn(result, nameof(Project.Status));
        Assert.Equal(ProjectStatus.Active, Ok(await App.Projects.GetAsync(project.Id, Ct)).Status);
    }

    /// <summary>Project search ignores case, as the partner search does.</summary>
    [Fact]
    public async Task Project_search_ignores_case()
    {
        await GivenProjectAsync("Alpha Shop");

        var page = Ok(await App.Projects.ListAsync(new ProjectQuery(Search: "shop"), Ct));

        Assert.Equal(["Alpha Shop"], page.Items.Select(p => p.Name));
    }
}
