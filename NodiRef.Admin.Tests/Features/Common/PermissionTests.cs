using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Common;

/// <summary>
/// What each role may do, checked on every service operation: Viewer reads, Operator also writes
/// (but neither moves links between projects nor manages users), Admin does everything, and nobody
/// signed in does nothing.
/// </summary>
public sealed class PermissionTests : ServiceTest
{
    private const string Password = "a long enough password";

    private sealed record World(ProjectRow Project, ProjectRow OtherProject, PartnerRow Partner, LinkRow Link, UserRow User);

    private static readonly Dictionary<string, Func<TestServices, World, CancellationToken, Task<ResultStatus>>> Writes = new()
    {
        ["projects.create"] = async (app, w, ct) => (await app.Projects.CreateAsync(new ProjectInput("New project", "https://new.example.com/"), ct)).Status,
        ["projects.update"] = async (app, w, ct) => (await app.Projects.UpdateAsync(w.Project.Id, new ProjectInput("Renamed", "https://renamed.example.com/"), w.Project.Version, ct)).Status,
        ["projects.set_status"] = async (app, w, ct) => (await app.Projects.SetStatusAsync(w.Project.Id, ProjectStatus.Archived, w.Project.Version, ct)).Status,
        ["partners.create"] = async (app, w, ct) => (await app.Partners.CreateAsync(new CreatePartnerInput("New partner", "new-ext", ProjectId: w.Project.Id), ct)).Status,
        ["partners.update"] = async (app, w, ct) => (await app.Partners.UpdateAsync(w.Partner.Id, new UpdatePartnerInput("Renamed", "renamed", PartnerStatus.Inactive, w.Project.Id), w.Partner.Version, ct)).Status,
        ["partners.set_status"] = async (app, w, ct) => (await app.Partners.SetStatusAsync(w.Partner.Id, PartnerStatus.Inactive, w.Partner.Version, ct)).Status,
        ["partners.set_default_project"] = async (app, w, ct) => (await app.Partners.SetDefaultProjectAsync(w.Partner.Id, w.OtherProject.Id, w.Partner.Version, ct)).Status,
        ["partners.delete"] = async (app, w, ct) => (await app.Partners.DeleteAsync(w.Partner.Id, w.Partner.Version, ct)).Status,
        ["links.create"] = async (app, w, ct) => (await app.Links.CreateAsync(new CreateLinkInput(w.Partner.Id, "brand-new"), ct)).Status,
        ["links.update"] = async (app, w, ct) => (await app.Links.UpdateAsync(w.Link.Id, new UpdateLinkInput(w.Link.Project?.Id, "https://target.example.com/", "{\"k\":1}"), w.Link.Version, ct)).Status,
        ["links.delete"] = async (app, w, ct) => (await app.Links.DeleteAsync(w.Link.Id, w.Link.Version, ct)).Status,
        ["links.change_project"] = async (app, w, ct) => (await app.Links.ChangeProjectAsync(w.Link.Id, w.OtherProject.Id, w.Link.Version, ct)).Status,
        ["links.update_moving_project"] = async (app, w, ct) => (await app.Links.UpdateAsync(w.Link.Id, new UpdateLinkInput(w.OtherProject.Id, null, null), w.Link.Version, ct)).Status,
        ["users.create"] = async (app, w, ct) => (await app.Users.CreateAsync(new CreateUserInput("new@example.com", "New", Roles.Admin, Password), ct)).Status,
        ["users.change_role"] = async (app, w, ct) => (await app.Users.ChangeRoleAsync(w.User.Id, Roles.Admin, ct)).Status,
        ["users.set_disabled"] = async (app, w, ct) => (await app.Users.SetDisabledAsync(w.User.Id, true, ct)).Status,
        ["users.reset_password"] = async (app, w, ct) => (await app.Users.ResetPasswordAsync(w.User.Id, "another long password", ct)).Status,
    };

    private static readonly Dictionary<string, Func<TestServices, World, CancellationToken, Task<ResultStatus>>> Reads = new()
    {
        ["projects.list"] = async (app, w, ct) => (await app.Projects.ListAsync(new ProjectQuery(), ct)).Status,
        ["projects.get"] = async (app, w, ct) => (await app.Projects.GetAsync(w.Project.Id, ct)).Status,
        ["partners.list"] = async (app, w, ct) => (await app.Partners.ListAsync(new PartnerQuery(Search: "part"), ct)).Status,
        ["partners.get"] = async (app, w, ct) => (await app.Partners.GetAsync(w.Partner.Id, ct)).Status,
        ["partners.get_by_external_id"] = async (app, w, ct) => (await app.Partners.GetByExternalIdAsync("partner-ext", ct)).Status,
        ["links.list"] = async (app, w, ct) => (await app.Links.ListAsync(new LinkQuery(PartnerId: w.Partner.Id), ct)).Status,
        ["links.get"] = async (app, w, ct) => (await app.Links.GetAsync(w.Link.Id, ct)).Status,
    };

    /// <summary>Operations an operator may NOT do; every other write is open to operators.</summary>
    private static readonly HashSet<string> AdminOnly =
        ["links.change_project", "links.update_moving_project", "users.create", "users.change_role", "users.set_disabled", "users.reset_password"];

    public static TheoryData<string> WriteNames => new(Writes.Keys);
    public static TheoryData<string> ReadNames => new(Reads.Keys);
    public static TheoryData<string> OperatorWriteNames => new(Writes.Keys.Except(AdminOnly));
    public static TheoryData<string> AdminOnlyNames => new(AdminOnly);

    private async Task<World> GivenWorldAsync()
    {
        var project = await GivenProjectAsync("Main");
        var other = await GivenProjectAsync("Other");
        var partner = await GivenPartnerAsync("Partner", "partner-ext", project.Id);
        var link = await GivenLinkAsync(partner.Id, "partner-code");
        App.ActAs(Roles.Admin);
        var user = Ok(await App.Users.CreateAsync(new CreateUserInput("operator@example.com", "Operator", Roles.Operator, Password), Ct));
        App.ActAnonymously();
        return new World(project, other, partner, link, user);
    }

    /// <summary>Everything a write could change, as one comparable string.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = App.Database.CreateContext();
        var projects = await db.Projects.OrderBy(p => p.Id).Select(p => $"{p.Id}:{p.Name}:{p.LandingUrl}:{p.Status}:{p.Version}").ToListAsync(Ct);
        var partners = await db.Partners.OrderBy(p => p.Id).Select(p => $"{p.Id}:{p.Name}:{p.ExternalId}:{p.Status}:{p.DefaultProjectId}:{p.Version}").ToListAsync(Ct);
        var links = await db.ReferralLinks.OrderBy(l => l.Id).Select(l => $"{l.Id}:{l.Code}:{l.ProjectId}:{l.TargetUrl}:{l.Metadata}:{l.Version}").ToListAsync(Ct);
        var users = await db.Users.OrderBy(u => u.Id).Select(u => $"{u.Id}:{u.Email}:{u.IsDisabled}:{u.PasswordHash}:{u.SecurityStamp}").ToListAsync(Ct);
        var roles = await db.UserRoles.OrderBy(r => r.UserId).ThenBy(r => r.RoleId).Select(r => $"{r.UserId}:{r.RoleId}").ToListAsync(Ct);
        return string.Join("\n", projects.Concat(partners).Concat(links).Concat(users).Concat(roles));
    }

    [Theory]
    [MemberData(nameof(WriteNames))]
    public async Task A_viewer_is_forbidden_every_write_and_nothing_changes(string operation)
    {
        var world = await GivenWorldAsync();
        var before = await SnapshotAsync();
        App.ActAs(Roles.Viewer);

        var status = await Writes[operation](App, world, Ct);

        Assert.Equal(ResultStatus.Forbidden, status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ReadNames))]
    public async Task A_viewer_can_read(string operation)
    {
        var world = await GivenWorldAsync();
        App.ActAs(Roles.Viewer);

        Assert.Equal(ResultStatus.Ok, await Reads[operation](App, world, Ct));
    }

    [Fact]
    public async Task A_viewer_sees_project_options_but_not_users()
    {
        await GivenWorldAsync();
        App.ActAs(Roles.Viewer);

        Assert.Equal(2, (await App.Projects.OptionsAsync(ct: Ct)).Count);
        Assert.Equal(ResultStatus.Forbidden, (await App.Users.ListAsync(Ct)).Status);
    }

    [Theory]
    [MemberData(nameof(OperatorWriteNames))]
    public async Task An_operator_may_create_and_edit_projects_partners_and_links(string operation)
    {
        var world = await GivenWorldAsync();
        var before = await SnapshotAsync();
        App.ActAs(Roles.Operator);

        Assert.Equal(ResultStatus.Ok, await Writes[operation](App, world, Ct));
        Assert.NotEqual(before, await SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(AdminOnlyNames))]
    public async Task An_operator_is_forbidden_to_move_links_and_to_manage_users(string operation)
    {
        var world = await GivenWorldAsync();
        var before = await SnapshotAsync();
        App.ActAs(Roles.Operator);

        Assert.Equal(ResultStatus.Forbidden, await Writes[operation](App, world, Ct));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(ResultStatus.Forbidden, (await App.Users.ListAsync(Ct)).Status);
    }

    [Theory]
    [MemberData(nameof(WriteNames))]
    public async Task An_admin_may_do_every_write(string operation)
    {
        var world = await GivenWorldAsync();
        var before = await SnapshotAsync();
        App.ActAs(Roles.Admin);

        Assert.Equal(ResultStatus.Ok, await Writes[operation](App, world, Ct));
        Assert.NotEqual(before, await SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ReadNames))]
    public async Task Nobody_signed_in_is_forbidden_to_read(string operation)
    {
        var world = await GivenWorldAsync();
        App.CurrentUser.Set(new ClaimsPrincipal());

        Assert.Equal(ResultStatus.Forbidden, await Reads[operation](App, world, Ct));
        Assert.Empty(await App.Projects.OptionsAsync(includeArchived: true, ct: Ct));
    }

    [Theory]
    [MemberData(nameof(WriteNames))]
    public async Task Nobody_signed_in_is_forbidden_to_write(string operation)
    {
        var world = await GivenWorldAsync();
        var before = await SnapshotAsync();
        App.ActAnonymously();

        Assert.Equal(ResultStatus.Forbidden, await Writes[operation](App, world, Ct));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_role_claim_without_authentication_grants_nothing()
    {
        var world = await GivenWorldAsync();
        // An identity without an authentication type is not authenticated, whatever claims it carries.
        App.CurrentUser.Set(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Admin)])));

        Assert.Equal(ResultStatus.Forbidden, (await App.Partners.GetAsync(world.Partner.Id, Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.Projects.CreateAsync(new ProjectInput("X", "https://x.example.com/"), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.Users.ListAsync(Ct)).Status);
    }

    [Fact]
    public async Task An_unknown_role_grants_nothing()
    {
        var world = await GivenWorldAsync();
        App.ActAs("Guest");

        Assert.Equal(ResultStatus.Forbidden, (await App.Partners.GetAsync(world.Partner.Id, Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.Links.CreateAsync(new CreateLinkInput(world.Partner.Id), Ct)).Status);
    }
}
