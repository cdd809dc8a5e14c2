using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Partners;

/// <summary>Editing, status changes and deletion of partners, with optimistic concurrency.</summary>
public sealed class PartnerChangeTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Operator);
    }

    private async Task<Partner> StoredAsync(int id)
    {
        await using var db = App.Database.CreateContext();
        return await db.Partners.AsNoTracking().SingleAsync(p => p.Id == id, Ct);
    }

    [Fact]
    public async Task Update_saves_the_changes_and_bumps_the_version()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Old Name", "old-ext");
        App.Clock.Advance(TimeSpan.FromHours(1));

        var updated = Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput(" New Name ", " new-ext ", PartnerStatus.Inactive, project.Id), partner.Version, Ct)).Partner;

        Assert.Equal("New Name", updated.Name);
        Assert.Equal("new-ext", updated.ExternalId);
        Assert.Equal(PartnerStatus.Inactive, updated.Status);
        Assert.Equal(new ProjectRef(project.Id, "Shop"), updated.DefaultProject);
        Assert.Equal(partner.Version + 1, updated.Version);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, updated.UpdatedAt);
        Assert.Equal(partner.CreatedAt, updated.CreatedAt);
        var stored = await StoredAsync(partner.Id);
        Assert.Equal("new name", stored.NameSearch);
        Assert.Equal(updated.Version, stored.Version);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_a_conflict_carrying_the_current_values()
    {
        var partner = await GivenPartnerAsync("Original", "ext-1");
        var first = Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Changed by Alice", "ext-1", PartnerStatus.Active, null), partner.Version, Ct)).Partner;

        var second = await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Changed by Bob", "ext-1", PartnerStatus.Inactive, null), partner.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, second.Status);
        Assert.NotNull(second.Value);
        Assert.Equal(first.Version, second.Value.Partner.Version);
        Assert.Equal("Changed by Alice", second.Value.Partner.Name);
        Assert.Equal(PartnerStatus.Active, second.Value.Partner.Status);
        var stored = await StoredAsync(partner.Id);
        Assert.Equal("Changed by Alice", stored.Name);
        Assert.Equal(first.Version, stored.Version);
    }

    [Fact]
    public async Task Update_validates_like_create()
    {
        var partner = await GivenPartnerAsync("Valid", "ext-valid");

        var result = await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput(" ", new string('e', 201), PartnerStatus.Active, null), partner.Version, Ct);

        InvalidOn(result, nameof(UpdatePartnerInput.Name));
        InvalidOn(result, nameof(UpdatePartnerInput.ExternalId));
        Assert.Equal("Valid", (await StoredAsync(partner.Id)).Name);
    }

    [Fact]
    public async Task Update_refuses_an_external_id_of_another_partner_but_keeps_its_own()
    {
        await GivenPartnerAsync("Owner", "taken");
        var partner = await GivenPartnerAsync("Mine", "mine");

        var clash = await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Mine", "taken", PartnerStatus.Active, null), partner.Version, Ct);
        var same = await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Mine renamed", "mine", PartnerStatus.Active, null), partner.Version, Ct);

        Assert.Contains("Owner", ConflictOn(clash, nameof(UpdatePartnerInput.ExternalId)));
        Assert.Equal("Mine renamed", Ok(same).Partner.Name);
    }

    [Fact]
    public async Task Update_refuses_a_new_default_project_that_is_archived()
    {
        var archived = await GivenProjectAsync("Archived", ProjectStatus.Archived);
        var partner = await GivenPartnerAsync("Partner");

        var result = await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Partner", null, PartnerStatus.Active, archived.Id), partner.Version, Ct);

        InvalidOn(result, nameof(UpdatePartnerInput.DefaultProjectId));
        Assert.Null((await StoredAsync(partner.Id)).DefaultProjectId);
    }

    [Fact]
    public async Task Update_of_a_missing_partner_is_not_found()
    {
        var result = await App.Partners.UpdateAsync(555, new UpdatePartnerInput("Ghost", null, PartnerStatus.Active, null), 0, Ct);

        Assert.Equal(ResultStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task SetStatus_deactivates_and_reactivates()
    {
        var partner = await GivenPartnerAsync("Toggle");

        var inactive = Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, partner.Version, Ct)).Partner;
        var active = Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Active, inactive.Version, Ct)).Partner;

        Assert.Equal(PartnerStatus.Inactive, inactive.Status);
        Assert.Equal(PartnerStatus.Active, active.Status);
        Assert.Equal(partner.Version + 2, active.Version);
    }

    [Fact]
    public async Task SetStatus_with_an_old_version_is_a_conflict_and_changes_nothing()
    {
        var partner = await GivenPartnerAsync("Contested");
        var renamed = Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Renamed meanwhile", null, PartnerStatus.Active, null), partner.Version, Ct)).Partner;

        var result = await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, partner.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.NotNull(result.Value);
        Assert.Equal(renamed.Version, result.Value.Partner.Version);
        Assert.Equal("Renamed meanwhile", result.Value.Partner.Name);
        Assert.Equal(PartnerStatus.Active, (await StoredAsync(partner.Id)).Status);
    }

    [Fact]
    public async Task SetStatus_without_a_version_applies_to_whatever_is_current()
    {
        var partner = await GivenPartnerAsync("Unversioned");
        Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Renamed", null, PartnerStatus.Active, null), partner.Version, Ct));

        var result = Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, null, Ct));

        Assert.Equal(PartnerStatus.Inactive, result.Partner.Status);
    }

    [Fact]
    public async Task SetDefaultProject_changes_only_the_default_not_the_links()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Mover", projectId: a.Id);

        var moved = Ok(await App.Partners.SetDefaultProjectAsync(partner.Id, b.Id, partner.Version, Ct)).Partner;

        Assert.Equal(new ProjectRef(b.Id, "Bravo"), moved.DefaultProject);
        Assert.Equal([a.Id, b.Id], moved.Projects.Select(p => p.Id));
        Assert.Equal(a.Id, Assert.Single(await LinksOfAsync(partner.Id)).ProjectId);
    }

    [Fact]
    public async Task SetDefaultProject_refuses_a_missing_project()
    {
        var partner = await GivenPartnerAsync("Mover");

        var result = await App.Partners.SetDefaultProjectAsync(partner.Id, 31337, partner.Version, Ct);

        InvalidOn(result, nameof(UpdatePartnerInput.DefaultProjectId));
        Assert.Null((await StoredAsync(partner.Id)).DefaultProjectId);
    }

    [Fact]
    public async Task Delete_removes_an_unused_partner_and_its_links()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Unused", projectId: project.Id);
        await GivenLinkAsync(partner.Id, "unused-2");
        var keeper = await GivenPartnerAsync("Keeper", projectId: project.Id);

        var result = await App.Partners.DeleteAsync(partner.Id, partner.Version, Ct);

        Assert.True(Ok(result));
        Assert.Equal(ResultStatus.NotFound, (await App.Partners.GetAsync(partner.Id, Ct)).Status);
        Assert.Empty(await LinksOfAsync(partner.Id));
        Assert.Single(await LinksOfAsync(keeper.Id));
        Assert.Equal(1, await CountAsync<Partner>());
        Assert.Equal(1, await CountAsync<Project>());
    }

    [Fact]
    public async Task Delete_of_a_used_partner_is_refused_with_the_reason_and_nothing_is_deleted()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Used", projectId: project.Id);
        var link = await GivenLinkAsync(partner.Id, "used-2");
        await GivenClickAsync(link.Id);
        await GivenClickAsync(link.Id);

        var details = Ok(await App.Partners.GetAsync(partner.Id, Ct));
        var result = await App.Partners.DeleteAsync(partner.Id, partner.Version, Ct);

        Assert.Equal(2, details.ClickCount);
        Assert.True(details.WasUsed);
        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Contains("click(s)", result.Message);
        Assert.Contains("2", result.Message);
        Assert.Contains("deactivated", result.Message);
        Assert.Equal(1, await CountAsync<Partner>());
        Assert.Equal(2, (await LinksOfAsync(partner.Id)).Count);
        Assert.Equal(2, await CountAsync<Click>());
    }

    [Fact]
    public async Task Delete_with_a_stale_version_is_a_conflict()
    {
        var partner = await GivenPartnerAsync("Stale");
        Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, partner.Version, Ct));

        var result = await App.Partners.DeleteAsync(partner.Id, partner.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal(1, await CountAsync<Partner>());
    }

    [Fact]
    public async Task Delete_of_a_missing_partner_is_not_found()
    {
        var result = await App.Partners.DeleteAsync(404, null, Ct);

        Assert.Equal(ResultStatus.NotFound, result.Status);
    }
}
