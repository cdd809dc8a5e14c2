using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// The event rollups against a plain count of the rows they stand for. Every service test ends with it
/// (<see cref="ServiceTest"/>), so a write path that goes around <c>EventRollups</c> fails the test that uses it.
/// </summary>
public static class RollupCheck
{
    public static async Task AssertInStepAsync(TestDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();

        // The rows themselves, grouped here: a test database holds a few.
        var referrals = (await db.Referrals.AsNoTracking().ToListAsync(ct))
            .GroupBy(r => new { r.CreatedAt.Date, r.LinkId, r.ProjectKey, r.Status, r.PartnerId })
            .Select(g => new { g.Key, Count = g.LongCount() })
            .Select(g => $"{DateOnly.FromDateTime(g.Key.Date):O} link {g.Key.LinkId} project {g.Key.ProjectKey} {g.Key.Status} partner {g.Key.PartnerId}: {g.Count}");
        var referralRollups = (await db.ReferralDaily.AsNoTracking().Where(d => d.Count != 0).ToListAsync(ct))
            .Select(d => $"{d.Day:O} link {d.LinkId} project {d.ProjectKey} {d.Status} partner {d.PartnerId}: {d.Count}");
        Assert.Equal(referrals.Order(StringComparer.Ordinal), referralRollups.Order(StringComparer.Ordinal));

        var conversions = (await db.Conversions.AsNoTracking().ToListAsync(ct))
            .GroupBy(c => new { c.CreatedAt.Date, c.LinkId, ProjectKey = c.ProjectId ?? 0, c.EventType, c.Currency, c.Status, c.PartnerId })
            .Select(g => new { g.Key, Count = g.LongCount(), Units = g.Select(c => c.AmountUnits) })
            .Select(g => $"{DateOnly.FromDateTime(g.Key.Date):O} link {g.Key.LinkId} project {g.Key.ProjectKey} {g.Key.EventType} {g.Key.Currency} {g.Key.Status} partner {g.Key.PartnerId}: {g.Count} {g.Units.Sum(u => (decimal)u)}");
        var conversionRollups = (await db.ConversionDaily.AsNoTracking().Where(d => d.Count != 0).ToListAsync(ct))
            .Select(d => $"{d.Day:O} link {d.LinkId} project {d.ProjectKey} {d.EventType} {d.Currency} {d.Status} partner {d.PartnerId}: {d.Count} {MoneyUnits.Combine(d.AmountWhole, d.AmountRest)}");
        Assert.Equal(conversions.Order(StringComparer.Ordinal), conversionRollups.Order(StringComparer.Ordinal));

        var rewards = (await db.Rewards.AsNoTracking().ToListAsync(ct))
            .GroupBy(r => new { r.CreatedAt.Date, r.LinkId, ProjectKey = r.ProjectId ?? 0, r.Currency, r.Status, r.PartnerId })
            .Select(g => new { g.Key, Count = g.LongCount(), Units = g.Select(r => r.AmountUnits) })
            .Select(g => $"{DateOnly.FromDateTime(g.Key.Date):O} link {g.Key.LinkId} project {g.Key.ProjectKey} {g.Key.Currency} {g.Key.Status} partner {g.Key.PartnerId}: {g.Count} {g.Units.Sum(u => (decimal)u)}");
        var rewardRollups = (await db.RewardDaily.AsNoTracking().Where(d => d.Count != 0).ToListAsync(ct))
            .Select(d => $"{d.Day:O} link {d.LinkId} project {d.ProjectKey} {d.Currency} {d.Status} partner {d.PartnerId}: {d.Count} {MoneyUnits.Combine(d.AmountWhole, d.AmountRest)}");
        Assert.Equal(rewards.Order(StringComparer.Ordinal), rewardRollups.Order(StringComparer.Ordinal));

        // The sums over links, against the same rows.
        var referralsPerProject = (await db.Referrals.AsNoTracking().ToListAsync(ct))
            .GroupBy(r => new { r.CreatedAt.Date, r.ProjectKey, r.Status })
            .Select(g => $"{DateOnly.FromDateTime(g.Key.Date):O} project {g.Key.ProjectKey} {g.Key.Status}: {g.LongCount()}");
        var referralProjectRollups = (await db.ReferralDailyProject.AsNoTracking().Where(d => d.Count != 0).ToListAsync(ct))
            .Select(d => $"{d.Day:O} project {d.ProjectKey} {d.Status}: {d.Count}");
        Assert.Equal(referralsPerProject.Order(StringComparer.Ordinal), referralProjectRollups.Order(StringComparer.Ordinal));

        var conversionsPerProject = (await db.Conversions.AsNoTracking().ToListAsync(ct))
            .GroupBy(c => new { c.CreatedAt.Date, ProjectKey = c.ProjectId ?? 0, c.EventType, c.Currency, c.Status })
            .Select(g => $"{DateOnly.FromDateTime(g.Key.Date):O} project {g.Key.ProjectKey} {g.Key.EventType} {g.Key.Currency} {g.Key.Status}: {g.LongCount()} {g.Sum(c => (decimal)c.AmountUnits)}");
        var conversionProjectRollups = (await db.ConversionDailyProject.AsNoTracking().Where(d => d.Count != 0).ToListAsync(ct))
            .Select(d => $"{d.Day:O} project {d.ProjectKey} {d.EventType} {d.Currency} {d.Status}: {d.Count} {MoneyUnits.Combine(d.AmountWhole, d.AmountRest)}");
        Assert.Equal(conversionsPerProject.Order(StringComparer.Ordinal), conversionProjectRollups.Order(StringComparer.Ordinal));

        var rewardsPerProject = (await db.Rewards.AsNoTracking().ToListAsync(ct))
            .GroupBy(r => new { r.CreatedAt.Date, ProjectKey = r.ProjectId ?? 0, r.Currency, r.Status })
            .Select(g => $"{DateOnly.FromDateTime(g.Key.Date):O} project {g.Key.ProjectKey} {g.Key.Currency} {g.Key.Status}: {g.LongCount()} {g.Sum(r => (decimal)r.AmountUnits)}");
        var rewardProjectRollups = (await db.RewardDailyProject.AsNoTracking().Where(d => d.Count != 0).ToListAsync(ct))
            .Select(d => $"{d.Day:O} project {d.ProjectKey} {d.Currency} {d.Status}: {d.Count} {MoneyUnits.Combine(d.AmountWhole, d.AmountRest)}");
        Assert.Equal(rewardsPerProject.Order(StringComparer.Ordinal), rewardProjectRollups.Order(StringComparer.Ordinal));
    }
}
