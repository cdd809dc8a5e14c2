using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>The overview's other parts: the hours of a short range, new and idle partners, a partner's links, and the analytics groups.</summary>
public sealed class OverviewDetailTests : OverviewTest
{
    private OverviewService Service => App.Get<OverviewService>();

    [Fact]
    public async Task A_day_has_24_hours_that_add_up_to_its_totals_with_each_event_in_its_own_hour()
    {
        await GivenTwoDaysAsync();
        App.ActAs(Roles.Viewer);

        var overview = Ok(await Service.GetAsync(new OverviewQuery(Today, Today), Ct));
        var week = Ok(await Service.GetAsync(new OverviewQuery(Today.AddDays(-6), Today), Ct));

        var hours = Assert.IsAssignableFrom<IReadOnlyList<OverviewHour>>(overview.Hours);
        Assert.Equal(24, hours.Count);
        Assert.Equal(Today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), hours[0].Start);
        Assert.Equal((overview.Current.Clicks, overview.Current.Referrals, overview.Current.Conversions),
            (hours.Sum(h => h.Clicks), hours.Sum(h => h.Referrals), hours.Sum(h => h.Conversions)));
        var busy = Assert.Single(hours, h => h.Clicks > 0);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime.Hour, busy.Start.Hour);
        Assert.Equal(overview.Current.Revenue, busy.Revenue);
        Assert.Null(week.Hours);
    }

    [Fact]
    public async Task New_partners_are_those_created_in_the_range_and_idle_ones_have_clicks_without_a_conversion()
    {
        var (shop, _) = await GivenTwoDaysAsync();
        var idle = await GivenPartnerAsync("Only clicks", projectId: shop.Id);
        var idleLink = (await LinksOfAsync(idle.Id)).Single();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        await TestClicks.WriteAsync(App.Provider, idleLink.Id, idle.Id, shop.Id, now, EventStatus.Recorded, ct: Ct);
        await TestClicks.WriteAsync(App.Provider, idleLink.Id, idle.Id, shop.Id, now, EventStatus.Recorded, ct: Ct);
        await TestClicks.RollUpAsync(App.Provider, Ct);
        App.ActAs(Roles.Viewer);

        var today = Ok(await Service.PartnersAsync(new OverviewQuery(Today, Today), ct: Ct));
        var yesterday = Ok(await Service.PartnersAsync(new OverviewQuery(Today.AddDays(-1), Today.AddDays(-1)), ct: Ct));

        await using var db = App.Database.CreateContext();
        Assert.Equal(await db.Partners.LongCountAsync(Ct), today.NewCount);
        Assert.Equal(idle.Id, today.Newest[0].Id);
        Assert.Equal(2L, today.Newest[0].Clicks);
        var mention = Assert.Single(today.ClicksWithoutConversion);
        Assert.Equal((idle.Id, 2L), (mention.Id, mention.Clicks));
        Assert.Equal(0L, yesterday.NewCount);
        Assert.Empty(yesterday.ClicksWithoutConversion);
    }

    [Fact]
    public async Task A_partners_links_show_their_own_clicks_referrals_and_conversions_of_the_range()
    {
        var (shop, _) = await GivenTwoDaysAsync();
        App.ActAs(Roles.Viewer);
        await using var db = App.Database.CreateContext();
        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Name == "Partner of " + shop.Name, Ct);
        var link = await db.ReferralLinks.AsNoTracking().SingleAsync(l => l.PartnerId == partner.Id, Ct);

        var activity = Ok(await Service.LinkActivityAsync(new OverviewQuery(Today, Today, PartnerId: partner.Id), Ct));
        var both = Ok(await Service.LinkActivityAsync(new OverviewQuery(Today.AddDays(-1), Today, PartnerId: partner.Id), Ct));

        Assert.Equal(new LinkActivity(link.Id, 2, 1, 2), Assert.Single(activity).Value);
        Assert.Equal(new LinkActivity(link.Id, 3, 2, 3), Assert.Single(both).Value);
        InvalidOn(await Service.LinkActivityAsync(new OverviewQuery(Today, Today), Ct), nameof(OverviewQuery.PartnerId));
    }

    [Fact]
    public async Task Analytics_groups_by_day_hour_event_and_partner_and_their_groups_add_up_to_the_totals()
    {
        await GivenTwoDaysAsync();
        await TestClicks.RollUpAsync(App.Provider, Ct);
        App.ActAs(Roles.Viewer);
        var range = new OverviewQuery(Today.AddDays(-1), Today);

        var byDay = Ok(await Service.AnalyticsAsync(new AnalyticsQuery(range), Ct));
        var byHour = Ok(await Service.AnalyticsAsync(new AnalyticsQuery(range, AnalyticsGrouping.Hour), Ct));
        var byEvent = Ok(await Service.AnalyticsAsync(new AnalyticsQuery(range, AnalyticsGrouping.Event), Ct));
        var byPartner = Ok(await Service.AnalyticsAsync(new AnalyticsQuery(range, AnalyticsGrouping.Partner, LeaderboardMetric.Conversions), Ct));

        Assert.Equal([Today.AddDays(-1).ToString("yyyy-MM-dd"), Today.ToString("yyyy-MM-dd")], byDay.Groups.Select(g => g.Key));
        Assert.Equal(48, byHour.Groups.Count);
        foreach (var grouped in new[] { byDay, byHour, byPartner })
        {
            Assert.Equal((grouped.Totals.Clicks, grouped.Totals.Referrals, grouped.Totals.Conversions),
                (grouped.Groups.Sum(g => g.Clicks), grouped.Groups.Sum(g => g.Referrals), grouped.Groups.Sum(g => g.Conversions)));
        }

        Assert.Equal(["click", "referral", "purchase", "subscription", "refund"], byEvent.Groups.Select(g => g.Key));
        Assert.Equal(byDay.Totals.Conversions, byEvent.Groups.Single(g => g.Key == "purchase").Conversions);
        Assert.Equal(byDay.Totals.Revenue, byEvent.Groups.Single(g => g.Key == "purchase").Revenue);
        InvalidOn(await Service.AnalyticsAsync(new AnalyticsQuery(new OverviewQuery(Today.AddDays(-7), Today), AnalyticsGrouping.Hour), Ct), nameof(AnalyticsQuery.GroupBy));
        InvalidOn(await Service.AnalyticsAsync(new AnalyticsQuery(new OverviewQuery(OverviewQuery.LastDay.AddDays(1), OverviewQuery.LastDay.AddDays(1))), Ct), nameof(OverviewQuery.To));
    }
}
