using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<ReferralLink> ReferralLinks => Set<ReferralLink>();
    public DbSet<Click> Clicks => Set<Click>();
    public DbSet<ClickDaily> ClickDaily => Set<ClickDaily>();
    public DbSet<ClickDailyProject> ClickDailyProject => Set<ClickDailyProject>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<PartnerSession> PartnerSessions => Set<PartnerSession>();
    public DbSet<PartnerProject> PartnerProjects => Set<PartnerProject>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Conversion> Conversions => Set<Conversion>();
    public DbSet<RewardRuleSet> RewardRuleSets => Set<RewardRuleSet>();
    public DbSet<RewardAction> RewardActions => Set<RewardAction>();
    public DbSet<Reward> Rewards => Set<Reward>();
    public DbSet<RewardEvent> RewardEvents => Set<RewardEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is stored in UTC; say so when reading it back, so JSON carries the "Z".
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // The version is the concurrency token: an UPDATE matches only the version the editor read.
    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }
}
