namespace NodiRef.Admin.Features.Overview;

/// <summary>
/// What the overview is asked for: whole UTC days <see cref="From"/> to <see cref="To"/> (inclusive), for the whole
/// program or one project, partner or link. The comparison period is the same number of days just before.
/// </summary>
public sealed record OverviewQuery(DateOnly From, DateOnly To, int? ProjectId = null, int? PartnerId = null, int? LinkId = null)
{
    /// <summary>The longest range asked for at once (ten years of days).</summary>
    public const int MaxDays = 3_660;

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
public sealed record Overview(OverviewQuery Query, OverviewTotals Current, OverviewTotals Previous, IReadOnlyList<OverviewDay> Days);
