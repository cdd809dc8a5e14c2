using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>The leaderboards of a range: ranked by revenue in one currency, conversions or clicks, each row with every figure.</summary>
public sealed class LeaderboardTests : OverviewTest
{
    private OverviewService Service => App.Get<OverviewService>();

    [Fact]
    public async Task Revenue_ranks_in_the_most_used_currency_and_every_row_keeps_all_its_currencies_apart()
    {
        var (shop, other) = await GivenTwoDaysAsync();
        await TestClicks.RollUpAsync(App.Provider, Ct);
        App.ActAs(Roles.Viewer);

        var board = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(new OverviewQuery(Today, Today), LeaderboardKind.Partners), Ct));

        Assert.Equal("USD", board.Currency);
        Assert.Equal(["Partner of " + shop.Name, "Partner of " + other.Name], board.Rows.Select(r => r.Name));
        var top = board.Rows[0];
        Assert.Equal((2L, 1L, 2L), (top.Clicks, top.Referrals, top.Conversions));
        Assert.Equal([new Money("EUR", 30m), new Money("USD", 100m)], top.Revenue);
        // Rewards are earned when the processor decides (today), also for yesterday's sale: 10 + 5 USD.
        Assert.Equal([new Money("EUR", 6m), new Money("USD", 15m)], top.RewardsEarned);
        Assert.Equal(top.Id, top.PartnerId);

        var inEuros = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(new OverviewQuery(Today, Today), LeaderboardKind.Partners, Currency: "eur"), Ct));
        Assert.Equal("EUR", inEuros.Currency);
        Assert.Equal(["Partner of " + shop.Name], inEuros.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task Links_and_projects_rank_by_clicks_or_conversions_and_a_link_names_its_partner()
    {
        var (shop, other) = await GivenTwoDaysAsync();
        await TestClicks.RollUpAsync(App.Provider, Ct);
        App.ActAs(Roles.Viewer);
        var range = new OverviewQuery(Today, Today);

        var byConversions = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Projects, LeaderboardMetric.Conversions), Ct));
        var byClicks = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Links, LeaderboardMetric.Clicks, Take: 1), Ct));

        Assert.Equal([(shop.Name, 2L), (other.Name, 1L)], byConversions.Rows.Select(r => (r.Name, r.Conversions)));
        Assert.Null(byConversions.Currency);
        var link = Assert.Single(byClicks.Rows);
        Assert.Equal(2L, link.Clicks);
        Assert.NotNull(link.PartnerId);
        Assert.StartsWith("Partner of ", link.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_row_from_the_per_project_sums_holds_what_its_only_partners_row_holds_and_the_newest_clicks()
    {
        var (shop, _) = await GivenTwoDaysAsync();
        await TestClicks.RollUpAsync(App.Provider, Ct);
        ReferralLink link;
        await using (var db = App.Database.CreateContext())
        {
            link = await db.ReferralLinks.AsNoTracking().SingleAsync(l => l.ProjectId == shop.Id, Ct);
        }

        await TestClicks.WriteAsync(App.Provider, link.Id, link.PartnerId, link.ProjectId, App.Clock.GetUtcNow().UtcDateTime, EventStatus.Recorded, ct: Ct);
        App.ActAs(Roles.Viewer);
        var range = new OverviewQuery(Today.AddDays(-1), Today);

        var projects = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Projects), Ct));
        var partners = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Partners), Ct));
        var byClicks = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Projects, LeaderboardMetric.Clicks), Ct));

        var project = projects.Rows[0];
        var partner = partners.Rows[0];
        Assert.Equal((shop.Id, shop.Name), (project.Id, project.Name));
        Assert.Equal(link.PartnerId, partner.Id);
        Assert.Equal((partner.Referrals, partner.Conversions), (project.Referrals, project.Conversions));
        Assert.Equal([new Money("EUR", 30m), new Money("USD", 150m)], project.Revenue);
        Assert.Equal(partner.Revenue, project.Revenue);
        Assert.Equal(partner.RewardsEarned, project.RewardsEarned);
        // The click written after the rollup counts in both, as the log holds them (the bot's does not).
        await using (var db = App.Database.CreateContext())
        {
            Assert.Equal(await db.Clicks.LongCountAsync(c => c.LinkId == link.Id && c.Status == EventStatus.Recorded, Ct), project.Clicks);
        }

        Assert.Equal(partner.Clicks, project.Clicks);
        Assert.Equal(shop.Id, byClicks.Rows[0].Id);
    }

    [Fact]
    public async Task Who_is_in_the_running_is_kept_a_while_their_figures_are_counted_now_and_a_new_ranking_takes_in_a_newcomer()
    {
        await GivenTwoDaysAsync();
        var (_, newcomer, fresh) = await GivenProgramAsync("Fresh");
        await TestClicks.RollUpAsync(App.Provider, Ct);
        App.ActAs(Roles.Viewer);
        var range = new OverviewQuery(Today, Today);
        var byClicks = new LeaderboardQuery(range, LeaderboardKind.Partners, LeaderboardMetric.Clicks);
        var before = Ok(await Service.LeaderboardAsync(byClicks, Ct));
        Assert.DoesNotContain(newcomer.Id, before.Rows.Select(r => r.Id));
        var second = before.Rows[1];

        // Five clicks for the newcomer and one for the second row, all rolled up.
        var now = App.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 5; i++)
        {
            await TestClicks.WriteAsync(App.Provider, fresh, now, ct: Ct);
        }

        ReferralLink secondLink;
        await using (var db = App.Database.CreateContext())
        {
            secondLink = await db.ReferralLinks.AsNoTracking().FirstAsync(l => l.PartnerId == second.Id, Ct);
        }

        await TestClicks.WriteAsync(App.Provider, secondLink, now, ct: Ct);
        await TestClicks.RollUpAsync(App.Provider, Ct);

        var kept = Ok(await Service.LeaderboardAsync(byClicks, Ct));
        Assert.Equal(before.Rows.Select(r => r.Id).Order(), kept.Rows.Select(r => r.Id).Order());
        Assert.Equal(second.Clicks + 1, kept.Rows.Single(r => r.Id == second.Id).Clicks);

        await App.Get<OverviewStandings>().ForgetAsync();
        var fresher = Ok(await Service.LeaderboardAsync(byClicks, Ct));
        Assert.Equal((newcomer.Id, 5L), (fresher.Rows[0].Id, fresher.Rows[0].Clicks));
    }

    [Fact]
    public async Task A_range_without_sales_has_an_empty_revenue_board_and_bad_requests_name_their_field()
    {
        App.ActAs(Roles.Viewer);
        var range = new OverviewQuery(Today, Today);

        var empty = Ok(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Partners), Ct));

        Assert.Empty(empty.Rows);
        InvalidOn(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Partners, Take: 0), Ct), nameof(LeaderboardQuery.Take));
        InvalidOn(await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Partners, Currency: "ZZZ"), Ct), nameof(LeaderboardQuery.Currency));
        InvalidOn(await Service.LeaderboardAsync(new LeaderboardQuery(range, (LeaderboardKind)9), Ct), nameof(LeaderboardQuery.Kind));
        App.ActAnonymously();
        Assert.Equal(ResultStatus.Forbidden, (await Service.LeaderboardAsync(new LeaderboardQuery(range, LeaderboardKind.Partners), Ct)).Status);
    }
}
