using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Common;

/// <summary>
/// Another user's change that lands between a service's read and its write (simulated with
/// <see cref="SqlHook"/>): the version check in the UPDATE/DELETE must catch it.
/// </summary>
public sealed class ConcurrentEditTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    [Fact]
    public async Task A_partner_edit_racing_another_edit_is_a_conflict_with_the_other_edit_shown()
    {
        var partner = await GivenPartnerAsync("Original");
        WritesAroundTheAuditTrail("the racing edit is raw SQL, standing in for another instance's save");
        App.SqlHook.OnceBeforeTransaction($"""UPDATE partners SET "Name" = 'Sneaky', "NameSearch" = 'sneaky', "Version" = "Version" + 1 WHERE "Id" = {partner.Id}""");

        var result = await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Mine", null, PartnerStatus.Active, null), partner.Version, Ct);

        Assert.True(App.SqlHook.Fired);
        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal("Sneaky", result.Value?.Partner.Name);
        Assert.Equal(partner.Version + 1, result.Value?.Partner.Version);
    }

    [Fact]
    public async Task A_partner_delete_racing_an_edit_is_a_conflict_and_its_links_are_kept()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Original", projectId: project.Id);
        // The edit lands after the delete's checks, as its first statement starts (the memberships' delete).
        App.SqlHook.OnceBefore("DELETE FROM \"partner_projects\"", $"""UPDATE partners SET "Version" = "Version" + 1 WHERE "Id" = {partner.Id}""");

        var result = await App.Partners.DeleteAsync(partner.Id, partner.Version, Ct);

        Assert.True(App.SqlHook.Fired);
        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal(1, await CountAsync<Partner>());
        Assert.Single(await LinksOfAsync(partner.Id)); // the links' deletion was rolled back
    }

    [Fact]
    public async Task A_project_edit_racing_another_edit_is_a_conflict_with_the_other_edit_shown()
    {
        var project = await GivenProjectAsync("Original");
        WritesAroundTheAuditTrail("the racing edit is raw SQL, standing in for another instance's save");
        App.SqlHook.OnceBeforeTransaction($"""UPDATE projects SET "Name" = 'Sneaky', "Version" = "Version" + 1 WHERE "Id" = {project.Id}""");

        var result = await App.Projects.UpdateAsync(project.Id, new ProjectInput("Mine", "https://mine.example.com/"), project.Version, Ct);

        Assert.True(App.SqlHook.Fired);
        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal("Sneaky", result.Value?.Name);
    }

    [Fact]
    public async Task A_link_edit_racing_another_edit_is_a_conflict_with_the_other_edit_shown()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "raced");
        WritesAroundTheAuditTrail("the racing edit is raw SQL, standing in for another instance's save");
        App.SqlHook.OnceBeforeTransaction($"""UPDATE referral_links SET "TargetUrl" = 'https://sneaky.example.com/', "Version" = "Version" + 1 WHERE "Id" = {link.Id}""");

        var result = await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, "https://mine.example.com/", null), link.Version, Ct);

        Assert.True(App.SqlHook.Fired);
        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal("https://sneaky.example.com/", result.Value?.TargetUrl);
        await using var db = App.Database.CreateContext();
        Assert.Equal("https://sneaky.example.com/", (await db.ReferralLinks.SingleAsync(Ct)).TargetUrl);
    }
}
