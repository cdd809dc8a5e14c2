namespace NodiRef.Admin.Features.Overview;

/// <summary>
/// What the overview is asked for: whole UTC days <see cref="From"/> to <see cref="To"/> (inclusive), for the whole
/// program or one project, partner or link. The comparison period is the same number of days just before.
/// </summary>
public sealed record OverviewQuery(DateOnly From, DateOnly To, int? ProjectId = null, int? PartnerId = null, int? LinkId = null)
{
    /// <summary>The longest range asked for at once (ten years of days).</summary>
    public const int MaxDays = 3_660;

    /// <summary>The days a range can reach: far enough for any data, near enough that its previous period and its end stay valid dates.</summary>
    public static readonly DateOnly FirstDay = new(1970, 1, 1), LastDay = new(9999, 12, 30);

    /// <summary>Ranges of up to this many days also get an hourly series.</summary>
    public const int HourlyUpToDays = 2;

    public int Days => To.DayNumber - From.DayNumber + 1;

    public OverviewQuery Previous => this with { From = From.AddDays(-Days), To = From.AddDays(-1) };
}

/// <summary>An amount in one currency; amounts in different currencies are never added together.</summary>
public sealed record Money(string Currency, decimal Amount);

/// <summary>The totals of one period.</summary>
public sealed record OverviewTotals(
    long Clicks,
    long Referrals,
    long Conversions,
    long WaitingForReview,
    IReadOnlyList<Money> Revenue,
    IReadOnlyList<Money> Refunded,
    IReadOnlyList<Money> RewardsEarned,
    IReadOnlyList<Money> RewardsOwed,
    IReadOnlyList<Money> RewardsPaid)
{
    /// <summary>Referrals per click, null without clicks.</summary>
    public decimal? ClickToReferralRate => Clicks == 0 ? null : (decimal)Referrals / Clicks;

    /// <summary>Accepted conversions per referral, null without referrals.</summary>
    public decimal? ConversionRate => Referrals == 0 ? null : (decimal)Conversions / Referrals;
}

/// <summary>One day of the series: counts, and money per currency.</summary>
public sealed record OverviewDay(DateOnly Day, long Clicks, long Referrals, long Conversions, IReadOnlyList<Money> Revenue, IReadOnlyList<Money> RewardsEarned);

/// <summary>The overview of a range: its totals, the previous period's, and the days of the range.</summary>
/// <param name="Hours">The hours of the range, for ranges of up to <see cref="OverviewQuery.HourlyUpToDays"/> days; null for longer ones.</param>
public sealed record Overview(OverviewQuery Query, OverviewTotals Current, OverviewTotals Previous, IReadOnlyList<OverviewDay> Days, IReadOnlyList<OverviewHour>? Hours = null);

/// <summary>A point of the hourly series (ranges of up to <see cref="OverviewQuery.HourlyUpToDays"/> days): the hour starting at <see cref="Start"/> (UTC).</summary>
public sealed record OverviewHour(DateTime Start, long Clicks, long Referrals, long Conversions, IReadOnlyList<Money> Revenue, IReadOnlyList<Money> RewardsEarned);

/// <summary>What a leaderboard ranks.</summary>
public enum LeaderboardKind
{
    Partners,
    Links,
    Projects,
}

/// <summary>What a leaderboard ranks by.</summary>
public enum LeaderboardMetric
{
    Revenue,
    Conversions,
    Clicks,
}

/// <summary>
/// A leaderboard of the range: the top <see cref="Take"/> partners, links or projects by a metric. Revenue ranks in one
/// currency (<see cref="Currency"/>, or the range's most used one): amounts in different currencies are never compared.
/// </summary>
public sealed record LeaderboardQuery(OverviewQuery Range, LeaderboardKind Kind, LeaderboardMetric Metric = LeaderboardMetric.Revenue, string? Currency = null, int Take = 10)
{
    public const int MaxTake = 100;
}

/// <summary>One row of a leaderboard, with all three figures whatever it was ranked by.</summary>
/// <param name="Detail">A partner's external id, a link's partner; nothing for a project.</param>
/// <param name="PartnerId">The partner (of a link: its owner); null for a project.</param>
public sealed record LeaderboardRow(int Id, string Name, string? Detail, int? PartnerId, long Clicks, long Referrals, long Conversions, IReadOnlyList<Money> Revenue, IReadOnlyList<Money> RewardsEarned);

public sealed record Leaderboard(LeaderboardKind Kind, LeaderboardMetric Metric, string? Currency, IReadOnlyList<LeaderboardRow> Rows);

/// <summary>A partner listed beside the figures: joined in the range, or with clicks but no conversion in it.</summary>
public sealed record PartnerMention(int Id, string Name, string? ExternalId, DateTime CreatedAt, long Clicks);

/// <summary>Who joined in the range (the newest first, and how many in all), and who brought clicks but no conversion.</summary>
public sealed record OverviewPartners(long NewCount, IReadOnlyList<PartnerMention> Newest, IReadOnlyList<PartnerMention> ClicksWithoutConversion);

/// <summary>A link's figures in a range (a partner's page lists its links with these).</summary>
public sealed record LinkActivity(int LinkId, long Clicks, long Referrals, long Conversions);

/// <summary>How the analytics API groups a range.</summary>
public enum AnalyticsGrouping
{
    Day,
    Hour,
    Partner,
    Link,
    Project,
    Event,
}

/// <summary>
/// What the analytics API is asked for: the range's totals (and the previous period's), grouped by day, hour (ranges of up
/// to <see cref="MaxHourDays"/> days), partner, link or project (the top <see cref="Limit"/> by <see cref="OrderBy"/>), or event.
/// </summary>
public sealed record AnalyticsQuery(OverviewQuery Range, AnalyticsGrouping GroupBy = AnalyticsGrouping.Day, LeaderboardMetric OrderBy = LeaderboardMetric.Revenue, string? Currency = null, int Limit = 10)
{
    public const int MaxHourDays = 7;
}

/// <summary>One group of an analytics answer: a day ("2026-11-30"), an hour ("2026-11-30T14:00:00Z"), an id, or an event kind.</summary>
public sealed record AnalyticsGroup(string Key, string? Name, long Clicks, long Referrals, long Conversions, IReadOnlyList<Money> Revenue, IReadOnlyList<Money> RewardsEarned);

public sealed record Analytics(OverviewQuery Range, AnalyticsGrouping GroupBy, OverviewTotals Totals, OverviewTotals Previous, IReadOnlyList<AnalyticsGroup> Groups);

/// <summary>The event kinds of <see cref="AnalyticsGrouping.Event"/>.</summary>
public static class AnalyticsEvents
{
    public const string Click = "click", Referral = "referral";
}
