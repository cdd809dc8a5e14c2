using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>A small program to count: projects with rule sets, referrals and conversions on given days, and the plain counts to compare with.</summary>
public abstract class OverviewTest : ServiceTest
{
    protected static readonly ClientInfo Client = new("192.0.2.10", "Test/1.0");
    protected static readonly DateOnly Today = DateOnly.FromDateTime(FakeTimeProvider.DefaultStart.UtcDateTime);

    protected async Task<(ProjectRow Project, PartnerRow Partner, ReferralLink Link)> GivenProgramAsync(string name)
    {
        var project = await GivenProjectAsync(name + " " + Guid.NewGuid().ToString("N")[..6]);
        var partner = await GivenPartnerAsync("Partner of " + project.Name, projectId: project.Id);
        var link = (await LinksOfAsync(partner.Id)).Single();
        App.ActAs(Roles.Operator);
        var set = Ok(await App.RuleSets.CreateAsync(new RuleSetInput("Rules " + project.Name, null, null, null, RewardScope.Project, project.Id, true), Ct));
        Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 10m, null, "USD"), Ct));
        Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 20m, null, "EUR"), Ct));
        return (project, partner, link);
    }

    protected async Task<Referral> GivenReferralAsync(ReferralLink link, DateTime at, EventStatus status = EventStatus.Recorded)
    {
        var click = await TestClicks.WriteAsync(App.Provider, link.Id, link.PartnerId, link.ProjectId, at, status, ct: Ct);
        await using var db = App.Database.CreateContext();
        var referral = new Referral
        {
            PublicId = Guid.NewGuid(), TrackingId = click.TrackingId, ClickId = click.Id, LinkId = link.Id, PartnerId = link.PartnerId,
            ProjectId = link.ProjectId, ProjectKey = link.ProjectId ?? 0, CreatedAt = at, Status = status,
            DiscardReason = status == EventStatus.Discarded ? DiscardReasons.Bot : null,
        };
        db.Referrals.Add(referral);
        await db.SaveChangesAsync(Ct);
        return referral;
    }

    protected async Task ConvertAsync(Referral referral, decimal amount, string currency)
    {
        var input = new ConversionInput(referral.PublicId, null, null, "purchase", new ConversionPayload(ProductId: "p", Amount: amount, Currency: currency), null, "hash", Client);
        Ok(await App.Conversions.RecordAsync(input, Ct));
    }

    /// <summary>Two days of a two-project program: yesterday is the comparison period of a one-day range today.</summary>
    protected async Task<(ProjectRow Shop, ProjectRow Other)> GivenTwoDaysAsync()
    {
        var (shop, _, shopLink) = await GivenProgramAsync("Shop");
        var (other, _, otherLink) = await GivenProgramAsync("Other");
        var now = App.Clock.GetUtcNow().UtcDateTime;

        // Yesterday: one sale in the shop.
        App.Clock.Advance(TimeSpan.FromDays(-1));
        await ConvertAsync(await GivenReferralAsync(shopLink, now.AddDays(-1)), 50m, "USD");
        App.Clock.Advance(TimeSpan.FromDays(1));

        // Today: clicks without referral, a bot, two currencies, a second project.
        await TestClicks.WriteAsync(App.Provider, shopLink.Id, shopLink.PartnerId, shopLink.ProjectId, now, EventStatus.Recorded, ct: Ct);
        await TestClicks.WriteAsync(App.Provider, shopLink.Id, shopLink.PartnerId, shopLink.ProjectId, now, EventStatus.Discarded, ct: Ct);
        await GivenReferralAsync(shopLink, now, EventStatus.Discarded);
        var ann = await GivenReferralAsync(shopLink, now);
        await ConvertAsync(ann, 100m, "USD");
        await ConvertAsync(ann, 30m, "EUR");
        await ConvertAsync(await GivenReferralAsync(otherLink, now), 10m, "USD");
        await GivenReferralAsync(otherLink, now);
        App.ActAs(Roles.Operator);
        await App.Processor.ProcessPendingAsync(Ct);
        return (shop, other);
    }

    /// <summary>The same figures counted the plain way, over the rows themselves.</summary>
    protected async Task<OverviewTotals> CountedAsync(DateOnly from, DateOnly to, int? projectId = null)
    {
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = App.Database.CreateContext();
        var clicks = (await db.Clicks.AsNoTracking().ToListAsync(Ct)).Where(c => c.CreatedAt >= start && c.CreatedAt < end && (projectId is null || c.ProjectId == projectId)).ToList();
        var referrals = (await db.Referrals.AsNoTracking().ToListAsync(Ct)).Where(r => r.CreatedAt >= start && r.CreatedAt < end && (projectId is null || r.ProjectId == projectId)).ToList();
        var conversions = (await db.Conversions.AsNoTracking().ToListAsync(Ct)).Where(c => c.CreatedAt >= start && c.CreatedAt < end && (projectId is null || c.ProjectId == projectId)).ToList();
        var rewards = (await db.Rewards.AsNoTracking().ToListAsync(Ct)).Where(r => r.CreatedAt >= start && r.CreatedAt < end && (projectId is null || r.ProjectId == projectId)).ToList();
        static List<Money> Sum(IEnumerable<(string Currency, decimal Amount)> items) =>
            items.GroupBy(i => i.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Money(g.Key, g.Sum(i => i.Amount))).ToList();
        var sales = conversions.Where(c => c.EventType != ConversionTypes.Refund).ToList();
        var earned = rewards.Where(r => r.Status != RewardStatus.Reversed).ToList();
        return new OverviewTotals(
            clicks.Count(c => c.Status == EventStatus.Recorded),
            referrals.Count(r => r.Status == EventStatus.Recorded),
            sales.Count(c => c.Status == ConversionStatus.Accepted),
            sales.Count(c => c.Status == ConversionStatus.Suspicious),
            Sum(sales.Where(c => c.Status == ConversionStatus.Accepted).Select(c => (c.Currency, c.Amount))),
            Sum(conversions.Where(c => c.EventType == ConversionTypes.Refund && c.Status == ConversionStatus.Accepted).Select(c => (c.Currency, c.Amount))),
            Sum(earned.Select(r => (r.Currency, r.Amount))),
            Sum(earned.Where(r => r.Status == RewardStatus.Approved).Select(r => (r.Currency, r.Amount))),
            Sum(earned.Where(r => r.Status == RewardStatus.Paid).Select(r => (r.Currency, r.Amount))));
    }

    protected static void AssertSame(OverviewTotals expected, OverviewTotals actual)
    {
        Assert.Equal(
            (expected.Clicks, expected.Referrals, expected.Conversions, expected.WaitingForReview),
            (actual.Clicks, actual.Referrals, actual.Conversions, actual.WaitingForReview));
        Assert.Equal(expected.Revenue, actual.Revenue);
        Assert.Equal(expected.Refunded, actual.Refunded);
        Assert.Equal(expected.RewardsEarned, actual.RewardsEarned);
        Assert.Equal(expected.RewardsOwed, actual.RewardsOwed);
        Assert.Equal(expected.RewardsPaid, actual.RewardsPaid);
    }

}
