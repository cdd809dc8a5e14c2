using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>Every figure of the overview against a plain count over the same rows, on the database under test.</summary>
public sealed class OverviewServiceTests : OverviewTest
{
    [Fact]
    public async Task Every_figure_of_a_range_and_of_the_period_before_it_equals_a_plain_count()
    {
        await GivenTwoDaysAsync();
        App.ActAs(Roles.Viewer);

        var overview = Ok(await App.Get<OverviewService>().GetAsync(new OverviewQuery(Today, Today), Ct));

        AssertSame(await CountedAsync(Today, Today), overview.Current);
        AssertSame(await CountedAsync(Today.AddDays(-1), Today.AddDays(-1)), overview.Previous);
        Assert.Equal((4L, 3L, 3L), (overview.Current.Clicks, overview.Current.Referrals, overview.Current.Conversions));
        Assert.Equal([new Money("EUR", 30m), new Money("USD", 110m)], overview.Current.Revenue);
        Assert.Equal([new Money("USD", 50m)], overview.Previous.Revenue);
        Assert.Equal(overview.Current.Referrals / (decimal)overview.Current.Clicks, overview.Current.ClickToReferralRate);
        Assert.Equal([Today], overview.Days.Select(d => d.Day));
    }

    [Fact]
    public async Task A_project_sees_only_its_own_events_and_every_day_of_the_range_has_its_point()
    {
        var (shop, _) = await GivenTwoDaysAsync();
        App.ActAs(Roles.Viewer);

        var overview = Ok(await App.Get<OverviewService>().GetAsync(new OverviewQuery(Today.AddDays(-6), Today, ProjectId: shop.Id), Ct));

        AssertSame(await CountedAsync(Today.AddDays(-6), Today, shop.Id), overview.Current);
        Assert.Equal(7, overview.Days.Count);
        Assert.Equal(overview.Current.Conversions, overview.Days.Sum(d => d.Conversions));
        Assert.Equal(overview.Current.Clicks, overview.Days.Sum(d => d.Clicks));
        Assert.Equal([new Money("USD", 50m)], overview.Days[^2].Revenue);
        // Rewards are earned when the processor decides (today), also for yesterday's sale: 10 + 5 USD.
        Assert.Equal([new Money("EUR", 6m), new Money("USD", 15m)], overview.Days[^1].RewardsEarned);
    }

    [Fact]
    public async Task Clicks_not_rolled_up_yet_are_counted_and_once_rolled_up_are_not_counted_twice()
    {
        var (_, _, link) = await GivenProgramAsync("Shop");
        var now = App.Clock.GetUtcNow().UtcDateTime;
        await TestClicks.WriteAsync(App.Provider, link.Id, link.PartnerId, link.ProjectId, now, EventStatus.Recorded, ct: Ct);
        App.ActAs(Roles.Viewer);
        var before = Ok(await App.Get<OverviewService>().GetAsync(new OverviewQuery(Today, Today), Ct));

        await TestClicks.RollUpAsync(App.Provider, Ct);
        var after = Ok(await App.Get<OverviewService>().GetAsync(new OverviewQuery(Today, Today), Ct));

        Assert.Equal((1L, 1L), (before.Current.Clicks, after.Current.Clicks));
    }

    [Fact]
    public async Task A_backwards_or_too_long_range_is_refused_with_the_field_named()
    {
        App.ActAs(Roles.Viewer);
        var service = App.Get<OverviewService>();

        InvalidOn(await service.GetAsync(new OverviewQuery(Today, Today.AddDays(-1)), Ct), nameof(OverviewQuery.To));
        InvalidOn(await service.GetAsync(new OverviewQuery(Today.AddDays(-OverviewQuery.MaxDays), Today), Ct), nameof(OverviewQuery.To));
        InvalidOn(await service.GetAsync(new OverviewQuery(Today, Today, ProjectId: 0), Ct), nameof(OverviewQuery.ProjectId));
    }
}
