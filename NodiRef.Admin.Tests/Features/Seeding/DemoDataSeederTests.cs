using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Seeder;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Seeding;

/// <summary>The seeder's bulk path (prepared INSERTs on SQLite, COPY on PostgreSQL) leaves a database the app keeps working on.</summary>
public sealed class DemoDataSeederTests : ServiceTest
{
    [Fact]
    public async Task Seeds_partners_links_memberships_and_clicks_with_their_totals()
    {
        WritesAroundTheAuditTrail("demo data is bulk-loaded around the context, with no audit entries");
        var seeder = new DemoDataSeeder(App.Database.Factory, App.Get<IBulkLoader>(), NullLogger<DemoDataSeeder>.Instance);

        var report = await seeder.SeedAsync(new SeedOptions(Partners: 300, Links: 450, Projects: 3, Clicks: 2_000), Ct);

        Assert.Equal((3, 300, 450, 2_000L), (report.Projects, report.Partners, report.Links, report.Clicks));
        await using var db = App.Database.CreateContext();
        Assert.Equal(300, await db.Partners.CountAsync(Ct));
        Assert.Equal(450, await db.ReferralLinks.CountAsync(Ct));
        Assert.Equal(2_000, await db.Clicks.CountAsync(Ct));
        Assert.Equal(2_000, await db.ClickDaily.SumAsync(d => d.Count, Ct));
        Assert.Equal(2_000, await db.ClickDailyProject.SumAsync(d => d.Count, Ct));
        Assert.True(await db.PartnerProjects.CountAsync(Ct) >= await db.Partners.CountAsync(p => p.DefaultProjectId != null, Ct));

        // Ids written by the seeder do not collide with the ones the app generates next.
        App.ActAs(Roles.Admin);
        var added = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("After The Seed", "after-seed"), Ct)).Partner;
        Assert.Equal(301, added.Id);
        var page = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "after"), Ct));
        Assert.Equal(["After The Seed"], page.Items.Select(p => p.Name));

        // The seeded partners are searchable too, by a part of a name and of a link's code (the load indexes them at once).
        var seeded = await db.ReferralLinks.AsNoTracking().OrderBy(l => l.Id).Skip(200).Select(l => new { l.PartnerId, l.Code, l.Partner!.Name }).FirstAsync(Ct);
        var byName = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: seeded.Name[1..^1]) { PageSize = 100 }, Ct));
        var byCode = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: seeded.Code[2..^2]) { PageSize = 100 }, Ct));
        Assert.Contains(seeded.PartnerId, byName.Items.Select(p => p.Id));
        Assert.Contains(seeded.PartnerId, byCode.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task Seeds_sign_ups_sales_refunds_and_rewards_on_the_clicks_with_their_rollups_and_the_overview_reads_them()
    {
        WritesAroundTheAuditTrail("demo data is bulk-loaded around the context, with no audit entries");
        var seeder = new DemoDataSeeder(App.Database.Factory, App.Get<IBulkLoader>(), NullLogger<DemoDataSeeder>.Instance);

        var report = await seeder.SeedAsync(new SeedOptions(Partners: 200, Links: 300, Projects: 3, Clicks: 6_000, Conversions: 400), Ct);

        Assert.Equal(400, report.Conversions);
        await using var db = App.Database.CreateContext();
        var sales = await db.Conversions.AsNoTracking().Where(c => c.EventType == ConversionTypes.Purchase).ToListAsync(Ct);
        Assert.Equal(400, sales.Count);
        Assert.Equal(1_200, await db.Referrals.CountAsync(Ct));
        Assert.Equal(["EUR", "GBP", "USD"], sales.Select(c => c.Currency).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(sales, c => c.Status == ConversionStatus.Rejected);
        Assert.All(sales, c => Assert.InRange(c.Amount, 1m, 1_000m));
        var refunds = await db.Conversions.AsNoTracking().Where(c => c.EventType == ConversionTypes.Refund).ToListAsync(Ct);
        Assert.All(refunds, r => Assert.Contains(sales, s => s.Id == r.ReversesConversionId && s.Status == ConversionStatus.Accepted));
        var rewards = await db.Rewards.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(sales.Count(c => c.Status == ConversionStatus.Accepted), rewards.Count);
        Assert.Equal(refunds.Count, rewards.Count(r => r.Status == RewardStatus.Reversed));
        Assert.Contains(rewards, r => r.Status == RewardStatus.Paid);

        // The rollups are in step with the rows (RollupCheck at the end of the test), and the overview sums them.
        App.ActAs(Roles.Viewer);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var all = Ok(await App.Get<NodiRef.Admin.Features.Overview.OverviewService>().GetAsync(new(today.AddDays(1 - NodiRef.Admin.Features.Overview.OverviewQuery.MaxDays), today), Ct));
        Assert.Equal(sales.Count(c => c.Status == ConversionStatus.Accepted), all.Current.Conversions);
        Assert.Equal(1_200, all.Current.Referrals);
    }
}
