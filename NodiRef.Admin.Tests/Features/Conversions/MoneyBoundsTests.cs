using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;
using NodiRef.Admin.Tests.Features.Tracking;
using NodiRef.Admin.Tests.Features.Rewards;

namespace NodiRef.Admin.Tests.Features.Conversions;

/// <summary>Amounts have a plausible, configurable bound, and no total overflows however large the ledger grows.</summary>
public sealed class MoneyBoundsTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_conversion_above_the_bound_is_refused_and_the_bound_is_a_setting()
    {
        var link = (await app.GivenLinkAsync()).Link;
        var referralId = await app.Anonymous().GivenReferralAsync(link.Code);

        var trillion = await app.Tracking.ConvertAsync(referralId, 1_000_000_000_000m, "EUR");
        var atDefault = await app.Tracking.ConvertAsync(referralId, 10_000_000m, "EUR");
        var overDefault = await app.Tracking.ConvertAsync(referralId, 10_000_000.01m, "EUR");

        trillion.AssertFieldError("payload.amount");
        overDefault.AssertFieldError("payload.amount");
        Assert.Equal(HttpStatusCode.Accepted, atDefault.Status);

        using var small = await app.WithWebHostBuilder(b => b.UseSetting("Conversions:MaxAmount", "500")).ReadyAsync();
        var backend = small.CreateClient();
        backend.DefaultRequestHeaders.Authorization = app.Tracking.DefaultRequestHeaders.Authorization;
        (await backend.ConvertAsync(referralId, 500.01m)).AssertFieldError("payload.amount");
        Assert.Equal(HttpStatusCode.Accepted, (await backend.ConvertAsync(referralId, 500m)).Status);

        await using var db = app.Db();
        var referral = await db.Referrals.AsNoTracking().SingleAsync(r => r.PublicId == referralId, Ct);
        Assert.Equal(2, await db.Conversions.CountAsync(c => c.ReferralId == referral.Id, Ct));
    }

    [Fact]
    public async Task Reward_totals_stay_exact_far_beyond_a_64_bit_sum()
    {
        // 930 entries of 10^12 EUR each are 9.3 * 10^18 units in all: more than a 64-bit integer holds.
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "fixed", 1_000_000_000_000m, currency: "EUR");
        await app.ProcessedAsync(await app.Tracking.ConvertOkAsync(await app.Anonymous().GivenReferralAsync(link.Code), 10m, "EUR"));
        await using (var db = app.Db())
        {
            var earned = await db.Rewards.AsNoTracking().SingleAsync(r => r.PartnerId == partner.Id, Ct);
            db.Rewards.AddRange(Enumerable.Range(0, 929).Select(_ => new Reward
            {
                ConversionId = earned.ConversionId, PartnerId = earned.PartnerId, LinkId = earned.LinkId, ProjectId = earned.ProjectId,
                RuleSetId = earned.RuleSetId, ActionId = earned.ActionId, AmountUnits = earned.AmountUnits, Currency = earned.Currency,
                Status = RewardStatus.Pending, CreatedAt = earned.CreatedAt,
            }));
            db.Rewards.Add(new Reward
            {
                ConversionId = earned.ConversionId, PartnerId = earned.PartnerId, LinkId = earned.LinkId, ProjectId = earned.ProjectId,
                RuleSetId = earned.RuleSetId, ActionId = earned.ActionId, AmountUnits = -12_345, Currency = earned.Currency,
                Status = RewardStatus.Pending, CreatedAt = earned.CreatedAt, ReversesRewardId = earned.Id,
            });
            await db.SaveChangesAsync(Ct);
        }

        await using var scope = app.AsUser(Roles.Viewer);
        var totals = await scope.ServiceProvider.GetRequiredService<RewardService>().TotalsForPartnerAsync(partner.Id, Ct);

        Assert.True(totals.Succeeded, totals.Describe());
        var eur = Assert.Single(totals.Value!.Rewards);
        Assert.Equal(930_000_000_000_000m - 1.2345m, eur.Pending);
    }
}
