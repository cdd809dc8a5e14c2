using NodiRef.Admin.Features.Overview;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>The overview's range presets and how a range lives in the URL.</summary>
public sealed class OverviewRangeTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    [Theory]
    [InlineData(RangePreset.Today, "2026-12-04", "2026-12-04")]
    [InlineData(RangePreset.Last7Days, "2026-11-28", "2026-12-04")]
    [InlineData(RangePreset.Last30Days, "2026-11-05", "2026-12-04")]
    [InlineData(RangePreset.Last90Days, "2026-09-06", "2026-12-04")]
    [InlineData(RangePreset.ThisMonth, "2026-12-01", "2026-12-04")]
    [InlineData(RangePreset.LastMonth, "2026-11-01", "2026-11-30")]
    public void A_preset_covers_its_whole_utc_days_up_to_today(RangePreset preset, string from, string to)
    {
        var range = OverviewRange.Of(preset, Today);

        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), (range.From, range.To));
    }

    [Fact]
    public void All_time_reaches_as_far_back_as_one_query_may_and_its_previous_period_has_the_same_length()
    {
        var range = OverviewRange.Of(RangePreset.AllTime, Today);

        Assert.Equal(OverviewQuery.MaxDays, range.ToQuery().Days);
        Assert.Equal(range.ToQuery().Days, range.ToQuery().Previous.Days);
        Assert.Equal(range.From.AddDays(-1), range.ToQuery().Previous.To);
    }

    [Theory]
    [InlineData("http://localhost/?range=last-7-days&project=3", RangePreset.Last7Days, "2026-11-28", "2026-12-04", 3)]
    [InlineData("http://localhost/?range=custom&from=2026-10-01&to=2026-10-15", RangePreset.Custom, "2026-10-01", "2026-10-15", null)]
    [InlineData("http://localhost/?range=custom&from=2026-10-15&to=2026-10-01", RangePreset.Last30Days, "2026-11-05", "2026-12-04", null)]
    [InlineData("http://localhost/?range=fortnight&project=-2", RangePreset.Last30Days, "2026-11-05", "2026-12-04", null)]
    [InlineData("http://localhost/", RangePreset.Last30Days, "2026-11-05", "2026-12-04", null)]
    public void The_url_gives_the_range_and_what_does_not_read_falls_back_to_the_last_30_days(string uri, RangePreset preset, string from, string to, int? project)
    {
        var range = OverviewRange.FromUri(uri, Today);

        Assert.Equal(new OverviewRange(preset, DateOnly.Parse(from), DateOnly.Parse(to), project), range);
    }

    [Fact]
    public void A_range_written_to_the_url_reads_back_the_same()
    {
        var navigation = new Bunit.TestDoubles.BunitNavigationManager(new Bunit.BunitContext());
        var custom = OverviewRange.Of(RangePreset.Custom, Today, 7, new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 9));

        var uri = custom.ToUri(navigation);

        Assert.Equal("http://localhost/?range=custom&from=2026-11-02&to=2026-11-09&project=7", uri);
        Assert.Equal(custom, OverviewRange.FromUri(uri, Today));
        Assert.Equal("http://localhost/?range=this-month", OverviewRange.Of(RangePreset.ThisMonth, Today).ToUri(navigation));
        Assert.Equal("2 Nov 2026 – 9 Nov 2026 (UTC)", custom.Describe());
    }
}
