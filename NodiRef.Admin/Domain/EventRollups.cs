namespace NodiRef.Admin.Domain;

/// <summary>
/// Referrals per link, day (UTC, of the referral), project and status: the overview's sign-up counts and
/// trends are a small sum over these, however many referrals there are. Kept by every save of a referral
/// (<c>Data/EventRollups</c>), in the same transaction.
/// </summary>
public sealed class ReferralDaily : IDailyRollup
{
    public DateOnly Day { get; set; }
    public int LinkId { get; set; }

    /// <summary>The referral's project; 0 when it had none (part of the key, so not null).</summary>
    public int ProjectKey { get; set; }

    public EventStatus Status { get; set; }
    public int PartnerId { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// Conversions per link, day (UTC, of the conversion), project, kind, currency and current status, with their
/// amount. A conversion moves between rows when its status changes (accepted, rejected, ...), in the same
/// transaction as the change. Amounts are kept as two exact parts (<see cref="MoneyUnits.SumSplit"/>), so a
/// sum over any number of rows never overflows.
/// </summary>
public sealed class ConversionDaily : IDailyRollup, IMoneyRollup
{
    public DateOnly Day { get; set; }
    public int LinkId { get; set; }
    public int ProjectKey { get; set; }
    public string EventType { get; set; } = ConversionTypes.Purchase;
    public string Currency { get; set; } = "USD";
    public ConversionStatus Status { get; set; }
    public int PartnerId { get; set; }
    public long Count { get; set; }
    public long AmountWhole { get; set; }
    public long AmountRest { get; set; }
}

/// <summary>
/// Reward ledger entries per link, day (UTC, when earned), project, currency and current status, with their
/// amount (reversals are entries of their own, with negative amounts). Kept like <see cref="ConversionDaily"/>.
/// </summary>
public sealed class RewardDaily : IDailyRollup, IMoneyRollup
{
    public DateOnly Day { get; set; }
    public int LinkId { get; set; }
    public int ProjectKey { get; set; }
    public string Currency { get; set; } = "USD";
    public RewardStatus Status { get; set; }
    public int PartnerId { get; set; }
    public long Count { get; set; }
    public long AmountWhole { get; set; }
    public long AmountRest { get; set; }
}

/// <summary>
/// <see cref="ReferralDaily"/> summed over links: referrals per day, project and status, a few rows a day in all,
/// so the program's or a project's sign-ups over any range are a small sum. Kept with it, in the same statement batch.
/// </summary>
public sealed class ReferralDailyProject : IProjectDailyRollup
{
    public DateOnly Day { get; set; }
    public int ProjectKey { get; set; }
    public EventStatus Status { get; set; }
    public long Count { get; set; }
}

/// <summary><see cref="ConversionDaily"/> summed over links: per day, project, kind, currency and status.</summary>
public sealed class ConversionDailyProject : IProjectDailyRollup, IMoneyRollup
{
    public DateOnly Day { get; set; }
    public int ProjectKey { get; set; }
    public string EventType { get; set; } = ConversionTypes.Purchase;
    public string Currency { get; set; } = "USD";
    public ConversionStatus Status { get; set; }
    public long Count { get; set; }
    public long AmountWhole { get; set; }
    public long AmountRest { get; set; }
}

/// <summary><see cref="RewardDaily"/> summed over links: per day, project, currency and status.</summary>
public sealed class RewardDailyProject : IProjectDailyRollup, IMoneyRollup
{
    public DateOnly Day { get; set; }
    public int ProjectKey { get; set; }
    public string Currency { get; set; } = "USD";
    public RewardStatus Status { get; set; }
    public long Count { get; set; }
    public long AmountWhole { get; set; }
    public long AmountRest { get; set; }
}

/// <summary>A rollup row of one day and project (0: none), summed over links and partners.</summary>
public interface IProjectDailyRollup
{
    DateOnly Day { get; }
    int ProjectKey { get; }
}

/// <summary>A rollup row's amount in two exact parts: the units are <c>AmountWhole * SumSplit + AmountRest</c>.</summary>
public interface IMoneyRollup
{
    long AmountWhole { get; }
    long AmountRest { get; }
}

/// <summary>A rollup row of one day and link (with the link's partner and project): the keys every range read filters on.</summary>
public interface IDailyRollup
{
    DateOnly Day { get; }
    int LinkId { get; }

    /// <summary>The project as of the events; 0 when there was none.</summary>
    int ProjectKey { get; }

    int PartnerId { get; }
}
