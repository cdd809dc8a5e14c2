using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Data;

/// <summary>
/// The referral, conversion and reward rollups move with every save (<see cref="EventRollups"/>). Every service
/// test also ends by checking them against the rows (<see cref="RollupCheck"/>); these tests pin the cases.
/// </summary>
public sealed class EventRollupTests : ServiceTest
{
    private static readonly ClientInfo Client = new("192.0.2.10", "Test/1.0");

    private async Task<Referral> GivenReferralAsync()
    {
        var project = await GivenProjectAsync("Shop " + Guid.NewGuid().ToString("N")[..6]);
        var partner = await GivenPartnerAsync("Ann " + Guid.NewGuid().ToString("N")[..6], projectId: project.Id);
        var link = (await LinksOfAsync(partner.Id)).Single();
        var click = await TestClicks.WriteAsync(App.Provider, link, App.Clock.GetUtcNow().UtcDateTime, ct: Ct);
        await using var db = App.Database.CreateContext();
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
        Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 10m, null, "EUR"), Ct));
        return referral;
    }

    private async Task<Conversion> ConvertAsync(Referral referral, decimal amount, string currency)
    {
        var input = new ConversionInput(referral.PublicId, null, null, "purchase", new ConversionPayload(ProductId: "p", Amount: amount, Currency: currency), null, "hash", Client);
        return Ok(await App.Conversions.RecordAsync(input, Ct)).Conversion;
    }

    private async Task<List<ConversionDaily>> ConversionRollupsAsync()
    {
        await using var db = App.Database.CreateContext();
        return await db.ConversionDaily.AsNoTracking().Where(d => d.Count != 0).ToListAsync(Ct);
    }

    private async Task<List<RewardDaily>> RewardRollupsAsync()
    {
        await using var db = App.Database.CreateContext();
        return await db.RewardDaily.AsNoTracking().Where(d => d.Count != 0).ToListAsync(Ct);
    }

    [Fact]
    public async Task Conversions_and_rewards_move_between_statuses_with_their_amounts_per_currency()
    {
        var referral = await GivenReferralAsync();
        await ConvertAsync(referral, 100.2m, "USD");
        await ConvertAsync(referral, 40m, "EUR");

        var pending = await ConversionRollupsAsync();
        Assert.All(pending, d => Assert.Equal(ConversionStatus.Pending, d.Status));
        Assert.Equal([("EUR", 1L, 40m), ("USD", 1L, 100.2m)], pending.OrderBy(d => d.Currency).Select(d => (d.Currency, d.Count, MoneyUnits.FromUnits(MoneyUnits.Combine(d.AmountWhole, d.AmountRest)))));

        Assert.Equal(2, await App.Processor.ProcessPendingAsync(Ct));
        var accepted = await ConversionRollupsAsync();
        Assert.Equal([(ConversionStatus.Accepted, "EUR", 1L), (ConversionStatus.Accepted, "USD", 1L)], accepted.OrderBy(d => d.Currency).Select(d => (d.Status, d.Currency, d.Count)));

        var earned = await RewardRollupsAsync();
        Assert.Equal([("EUR", RewardStatus.Pending, 4m), ("USD", RewardStatus.Pending, 10.02m)],
            earned.OrderBy(d => d.Currency).Select(d => (d.Currency, d.Status, MoneyUnits.FromUnits(MoneyUnits.Combine(d.AmountWhole, d.AmountRest)))));

        await using (var db = App.Database.CreateContext())
        {
            var usd = await db.Rewards.AsNoTracking().SingleAsync(r => r.Currency == "USD", Ct);
            Ok(await App.Rewards.ApproveAsync(usd.Id, null, null, Ct));
            Ok(await App.Rewards.PayAsync(usd.Id, null, null, Ct));
        }

        var moved = await RewardRollupsAsync();
        Assert.Equal([("EUR", RewardStatus.Pending), ("USD", RewardStatus.Paid)], moved.OrderBy(d => d.Currency).Select(d => (d.Currency, d.Status)));
    }

    [Fact]
    public async Task A_save_that_fails_takes_its_rollup_changes_back_with_or_without_the_callers_transaction()
    {
        var referral = await GivenReferralAsync();
        var conversion = await ConvertAsync(referral, 10m, "USD");

        // Someone else decides first; this save's version no longer matches.
        await using (var other = App.Database.CreateContext())
        {
            (await other.Conversions.SingleAsync(c => c.Id == conversion.Id, Ct)).Status = ConversionStatus.Rejected;
            await using var stale = App.Database.CreateContext();
            var mine = await stale.Conversions.SingleAsync(c => c.Id == conversion.Id, Ct);
            await other.SaveChangesAsync(Ct);
            mine.Status = ConversionStatus.Accepted;
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync(Ct));

            // Inside a transaction of the caller's, which goes on and commits other work.
            var again = App.Database.CreateContext();
            await using (again)
            {
                var loaded = await again.Conversions.SingleAsync(c => c.Id == conversion.Id, Ct);
                other.ChangeTracker.Clear();
                (await other.Conversions.SingleAsync(c => c.Id == conversion.Id, Ct)).Status = ConversionStatus.Suspicious;
                await other.SaveChangesAsync(Ct);
                await using var tx = await again.Database.BeginTransactionAsync(Ct);
                loaded.Status = ConversionStatus.Accepted;
                await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => again.SaveChangesAsync(Ct));
                await tx.CommitAsync(Ct);
            }
        }

        var rollups = await ConversionRollupsAsync();
        Assert.Equal([(ConversionStatus.Suspicious, 1L)], rollups.Select(d => (d.Status, d.Count)));
        await RollupCheck.AssertInStepAsync(App.Database, Ct);
    }

    [Fact]
    public async Task A_change_written_around_the_context_is_caught_and_a_rebuild_counts_everything_again()
    {
        WritesAroundTheAuditTrail("it writes events around the context on purpose, to test the rollups' rebuild");
        var referral = await GivenReferralAsync();
        var conversion = await ConvertAsync(referral, 10m, "USD");
        await App.Processor.ProcessPendingAsync(Ct);

        await using var db = App.Database.CreateContext();
        await db.Conversions.Where(c => c.Id == conversion.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, ConversionStatus.Rejected), Ct);
        await Assert.ThrowsAnyAsync<Exception>(() => RollupCheck.AssertInStepAsync(App.Database, Ct));

        await EventRollups.RebuildAsync(db, Ct);
        await RollupCheck.AssertInStepAsync(App.Database, Ct);
        Assert.Equal([(ConversionStatus.Rejected, 1L)], (await ConversionRollupsAsync()).Select(d => (d.Status, d.Count)));
        Assert.Single(await RewardRollupsAsync());
    }

    [Fact]
    public async Task The_migration_that_adds_the_rollups_counts_the_events_already_there()
    {
        WritesAroundTheAuditTrail("it writes events around the context on purpose, to test the rollups' rebuild");
        var referral = await GivenReferralAsync();
        await ConvertAsync(referral, 25m, "USD");
        await ConvertAsync(referral, 5m, "EUR");
        await App.Processor.ProcessPendingAsync(Ct);

        // Back to before the rollups (their tables go), and forward again: the migration fills them from the rows.
        await using var db = App.Database.CreateContext();
        var migrations = db.Database.GetMigrations().ToList();
        var adding = migrations.FindIndex(m => m.EndsWith("_EventRollups", StringComparison.Ordinal));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[adding - 1], Ct);
        await migrator.MigrateAsync(null, Ct);

        await RollupCheck.AssertInStepAsync(App.Database, Ct);
        Assert.Equal(2, (await ConversionRollupsAsync()).Count);
        Assert.Equal(2, (await RewardRollupsAsync()).Count);
    }
}
