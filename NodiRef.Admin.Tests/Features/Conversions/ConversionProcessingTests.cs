using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Conversions;

/// <summary>What the processor decides, run step by step (no background service here).</summary>
public sealed class ConversionProcessingTests : ServiceTest
{
    private static readonly ClientInfo Client = new("192.0.2.10", "Test/1.0");

    private async Task<(ProjectRow Project, PartnerRow Partner, Referral Referral)> GivenReferralAsync()
    {
        var project = await GivenProjectAsync("Shop " + Guid.NewGuid().ToString("N")[..6]);
        var partner = await GivenPartnerAsync("Ann " + Guid.NewGuid().ToString("N")[..6], projectId: project.Id);
        var link = (await LinksOfAsync(partner.Id)).Single();
        await using var db = App.Database.CreateContext();
        var click = await TestClicks.WriteAsync(App.Provider, link, App.Clock.GetUtcNow().UtcDateTime, ct: Ct);
        var referral = new Referral
        {
            PublicId = Guid.NewGuid(), TrackingId = click.TrackingId, ClickId = click.Id, LinkId = link.Id, PartnerId = partner.Id,
            ProjectId = project.Id, ProjectKey = project.Id, CreatedAt = click.CreatedAt,
        };
        db.Referrals.Add(referral);
        await db.SaveChangesAsync(Ct);
        App.ActAs(Roles.Operator);
        var set = Ok(await App.RuleSets.CreateAsync(new RuleSetInput("Rules " + project.Name, null, null, null, RewardScope.Project, project.Id, true), Ct));
        Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 10m, null, "USD"), Ct));
        return (project, partner, referral);
    }

    private async Task<Conversion> RecordAsync(Referral referral, decimal amount, string? key = null, ConversionPayload? refundOf = null)
    {
        var payload = refundOf ?? new ConversionPayload(ProductId: "p", Amount: amount, Currency: "USD");
        var input = new ConversionInput(refundOf is null ? referral.PublicId : null, null, null, refundOf is null ? "purchase" : "refund", payload, key, "hash", Client);
        return Ok(await App.Conversions.RecordAsync(input, Ct)).Conversion;
    }

    private async Task<Conversion> ReadAsync(long id)
    {
        await using var db = App.Database.CreateContext();
        return await db.Conversions.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    private async Task<List<Reward>> RewardsAsync(int partnerId)
    {
        await using var db = App.Database.CreateContext();
        return await db.Rewards.AsNoTracking().Where(r => r.PartnerId == partnerId).OrderBy(r => r.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task A_partner_deactivated_while_a_conversion_waits_gets_it_discarded_without_reward()
    {
        var (_, partner, referral) = await GivenReferralAsync();
        var conversion = await RecordAsync(referral, 100m);
        Assert.Equal(ConversionStatus.Pending, conversion.Status);

        Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, null, Ct));
        Assert.Equal(1, await App.Processor.ProcessPendingAsync(Ct));

        var processed = await ReadAsync(conversion.Id);
        Assert.Equal((ConversionStatus.Discarded, DiscardReasons.PartnerInactive), (processed.Status, processed.Reason));
        Assert.NotNull(processed.ProcessedAt);
        Assert.Empty(await RewardsAsync(partner.Id));
    }

    [Fact]
    public async Task A_project_archived_while_a_conversion_waits_gets_it_discarded()
    {
        var (project, partner, referral) = await GivenReferralAsync();
        var conversion = await RecordAsync(referral, 100m);

        Ok(await App.Projects.SetStatusAsync(project.Id, ProjectStatus.Archived, project.Version, Ct));
        await App.Processor.ProcessPendingAsync(Ct);

        Assert.Equal((ConversionStatus.Discarded, DiscardReasons.ProjectArchived), ((await ReadAsync(conversion.Id)).Status, (await ReadAsync(conversion.Id)).Reason));
        Assert.Empty(await RewardsAsync(partner.Id));
    }

    [Fact]
    public async Task A_conversion_is_decided_once_even_when_a_second_processor_read_it_before()
    {
        var (_, partner, referral) = await GivenReferralAsync();
        var recorded = await RecordAsync(referral, 100m);
        await using var slow = App.Database.CreateContext();
        var stale = await slow.Conversions.SingleAsync(c => c.Id == recorded.Id, Ct);

        Assert.Equal(1, await App.Processor.ProcessPendingAsync(Ct));
        var second = await ConversionProcessing.ProcessAsync(slow, stale, App.Clock.GetUtcNow().UtcDateTime, Ct);

        Assert.False(second);
        Assert.Single(await RewardsAsync(partner.Id));
        Assert.Equal(0, await App.Processor.ProcessPendingAsync(Ct));
    }

    [Fact]
    public async Task A_refund_that_arrives_while_its_conversion_is_held_is_taken_back_when_a_person_accepts_it()
    {
        var (_, partner, referral) = await GivenReferralAsync();
        await using (var db = App.Database.CreateContext())
        {
            db.PartnerSessions.Add(new PartnerSession { PartnerId = partner.Id, IpAddress = Client.IpAddress, CreatedAt = App.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(Ct);
        }

        var conversion = await RecordAsync(referral, 100m);
        await App.Processor.ProcessPendingAsync(Ct);
        Assert.Equal(ConversionStatus.Suspicious, (await ReadAsync(conversion.Id)).Status);
        var refund = await RecordAsync(referral, 0m, refundOf: new ConversionPayload(Amount: 40m, ConversionId: conversion.PublicId));
        await App.Processor.ProcessPendingAsync(Ct);
        Assert.Equal(ConversionStatus.Accepted, (await ReadAsync(refund.Id)).Status);
        Assert.Empty(await RewardsAsync(partner.Id));

        Ok(await App.Conversions.AcceptAsync(conversion.PublicId, "Reviewed", null, Ct));

        Assert.Equal([10m, -4m], (await RewardsAsync(partner.Id)).Select(r => r.Amount).ToList());
    }

    [Fact]
    public async Task Only_editors_review_and_a_stale_version_is_refused()
    {
        var (_, _, referral) = await GivenReferralAsync();
        var conversion = await RecordAsync(referral, 100m);

        App.ActAs(Roles.Viewer);
        Assert.Equal(ResultStatus.Forbidden, (await App.Conversions.AcceptAsync(conversion.PublicId, null, null, Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.Conversions.RefundAsync(conversion.PublicId, null, null, Ct)).Status);
        Ok(await App.Conversions.ListAsync(new ConversionQuery(), Ct));
        App.ActAs(Roles.Operator);
        var stale = await App.Conversions.AcceptAsync(conversion.PublicId, null, conversion.Version + 1, Ct);

        Assert.Equal(ResultStatus.Conflict, stale.Status);
        Assert.Equal(ConversionStatus.Pending, stale.Value!.Status);
        Assert.Equal(ConversionStatus.Pending, (await ReadAsync(conversion.Id)).Status);
    }

    [Fact]
    public async Task Anonymous_callers_cannot_read_conversions_or_rewards()
    {
        Assert.Equal(ResultStatus.Forbidden, (await App.Conversions.ListAsync(new ConversionQuery(), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.Rewards.ListAsync(new RewardQuery(), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.RuleSets.ListAsync(new RuleSetQuery(), Ct)).Status);
    }
}
