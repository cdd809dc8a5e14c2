using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features;

/// <summary>
/// Regression tests for bugs found by review: each failed before its fix
/// (concurrent deletes, metadata encoding, prefix bounds, enum values, search case).
/// </summary>
public sealed class RegressionTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    // Bug 1: ReferralLinkService.DeleteAsync ignores the row count of its version-guarded DELETE.
    [Fact]
    public async Task Link_delete_racing_an_edit_is_a_conflict_not_a_success()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "raced-delete");
        App.SqlHook.OnceBefore("DELETE FROM \"referral_links\"", $"""UPDATE referral_links SET "Version" = "Version" + 1 WHERE "Id" = {link.Id}""");

        var result = await App.Links.DeleteAsync(link.Id, link.Version, Ct);

        Assert.True(App.SqlHook.Fired);
        Assert.Equal(1, await CountAsync<ReferralLink>()); // the link was NOT deleted...
        Assert.Equal(ResultStatus.Conflict, result.Status); // ...so the service must not say it was
    }

    // Bug 2: ReferralLinkService.DeleteAsync counts clicks and deletes outside one guarded step.
    [Fact]
    public async Task Link_delete_racing_a_click_is_a_conflict_not_an_exception()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "raced-click");
        App.SqlHook.OnceBefore(
            "DELETE FROM \"referral_links\"",
            // What a click batch writes (on PostgreSQL its rollup in the same transaction; on SQLite the rollup trails it).
            $"""
            INSERT INTO clicks ("TrackingId", "LinkId", "PartnerId", "ProjectId", "CreatedAt", "Status") VALUES ('{Guid.NewGuid()}', {link.Id}, {partner.Id}, NULL, '2026-11-25 12:00:00', 'Recorded');
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count") VALUES ('2026-11-25', {link.Id}, 0, 'Recorded', {partner.Id}, 1)
            """);

        var result = await App.Links.DeleteAsync(link.Id, link.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal(1, await CountAsync<ReferralLink>());
    }

    // Bug 3: ProjectService.SetStatusAsync stores any enum value.
    [Fact]
    public async Task Project_status_outside_the_enum_is_refused()
    {
        var project = await GivenProjectAsync("Shop");

        var result = await App.Projects.SetStatusAsync(project.Id, (ProjectStatus)42, project.Version, Ct);

        InvalidOn(result, nameof(Project.Status));
        Assert.Equal(ProjectStatus.Active, Ok(await App.Projects.GetAsync(project.Id, Ct)).Status);
    }

    // Bug 4: ReferralLinkService.CheckMetadata re-serialises with the default (escaping) encoder.
    [Fact]
    public async Task Metadata_keeps_non_ascii_text_as_typed()
    {
        var partner = await GivenPartnerAsync("Owner");

        var link = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "meta-utf8", Metadata: "{\"city\": \"Zürich\", \"note\": \"<b>café</b>\"}"), Ct));

        Assert.Equal("{\"city\":\"Zürich\",\"note\":\"<b>café</b>\"}", link.Metadata);
    }

    // Bug 4, consequence: the length limit is checked before escaping, so the stored value can exceed the column's max length.
    [Fact]
    public async Task Stored_metadata_never_exceeds_its_maximum_length()
    {
        var partner = await GivenPartnerAsync("Owner");
        var metadata = "{\"note\":\"" + new string('é', 3000) + "\"}"; // 3,011 characters as typed

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "meta-long", Metadata: metadata), Ct);

        if (result.Succeeded)
        {
            await using var db = App.Database.CreateContext();
            var stored = await db.ReferralLinks.AsNoTracking().SingleAsync(Ct);
            Assert.True(stored.Metadata!.Length <= ReferralLink.MetadataMaxLength, $"Stored metadata is {stored.Metadata.Length} characters; the column allows {ReferralLink.MetadataMaxLength}.");
        }
        else
        {
            InvalidOn(result, nameof(CreateLinkInput.Metadata));
        }
    }

    // Bug 5: PartnerService.PrefixRange uses char.MaxValue (U+FFFF) as the upper bound, which sorts
    // below every character outside the Basic Multilingual Plane (emoji...) in SQLite's byte order.
    [Fact]
    public async Task Prefix_search_finds_names_continuing_with_an_emoji()
    {
        await GivenPartnerAsync("Rosa🌹 Flowers");

        var page = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "rosa"), Ct));
        var byName = Ok(await App.Partners.ListAsync(new PartnerQuery(Name: "rosa"), Ct));

        Assert.Equal(["Rosa🌹 Flowers"], page.Items.Select(p => p.Name));
        Assert.Equal(["Rosa🌹 Flowers"], byName.Items.Select(p => p.Name));
    }

    // Bug 6 (minor): ProjectService.ListAsync search is case-sensitive (SQLite instr), unlike the partner search.
    [Fact]
    public async Task Project_search_ignores_case()
    {
        await GivenProjectAsync("Alpha Shop");

        var page = Ok(await App.Projects.ListAsync(new ProjectQuery(Search: "shop"), Ct));

        Assert.Equal(["Alpha Shop"], page.Items.Select(p => p.Name));
    }
}
