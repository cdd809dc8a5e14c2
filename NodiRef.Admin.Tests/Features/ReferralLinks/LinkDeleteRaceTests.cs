using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.ReferralLinks;

/// <summary>Deleting a link while someone else writes to it.</summary>
public sealed class LinkDeleteRaceTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    /// <summary>A delete that loses the race to an edit (its version-guarded DELETE removes nothing) answers a conflict, never success.</summary>
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

    /// <summary>A delete that loses the race to a click batch answers a conflict, and the link with its clicks stays.</summary>
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
}
