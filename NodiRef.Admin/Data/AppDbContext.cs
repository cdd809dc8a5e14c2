using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace NodiRef.Admin.Data;

/// <summary>
/// The app's model, the same on every database. Each provider has a subclass that owns its
/// migrations (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>); features only
/// ever see this type, through <c>IDbContextFactory&lt;AppDbContext&gt;</c>.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<ReferralLink> ReferralLinks => Set<ReferralLink>();
    public DbSet<Click> Clicks => Set<Click>();
    public DbSet<ClickDaily> ClickDaily => Set<ClickDaily>();
    public DbSet<ClickDailyProject> ClickDailyProject => Set<ClickDailyProject>();
    public DbSet<ClickRollupState> ClickRollupState => Set<ClickRollupState>();
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
    public DbSet<ReferralDaily> ReferralDaily => Set<ReferralDaily>();
    public DbSet<ConversionDaily> ConversionDaily => Set<ConversionDaily>();
    public DbSet<RewardDaily> RewardDaily => Set<RewardDaily>();
    public DbSet<ReferralDailyProject> ReferralDailyProject => Set<ReferralDailyProject>();
    public DbSet<ConversionDailyProject> ConversionDailyProject => Set<ConversionDailyProject>();
    public DbSet<RewardDailyProject> RewardDailyProject => Set<RewardDailyProject>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    /// <summary>
    /// Who this context's audited changes are recorded under (see <see cref="AuditTrail"/>). Services get it set by
    /// <c>AppDbFactory</c>; workers and tools set their own. Saving an audited change without one fails.
    /// </summary>
    public Auditor? Auditor { get; set; }

    /// <summary>The Data Protection key ring, shared by every instance (sign-in cookies, antiforgery tokens).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
        RoundTimestamps();
        if (EventRollups.Collect(ChangeTracker) is not null || AuditTrail.Collect(ChangeTracker) is not null)
        {
            // Only Data Protection's key ring saves synchronously; everything else goes through SaveChangesAsync.
            throw new InvalidOperationException("Audited rows, referrals, conversions and rewards are saved with SaveChangesAsync, which keeps their audit trail and rollups.");
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Saves, and in the same transaction moves the event rollups (<see cref="EventRollups"/>), writes the audit
    /// entries of the audited rows (<see cref="AuditTrail"/>) and the webhook events of the changes
    /// (<see cref="Features.Webhooks.WebhookEvents"/>, the outbox): the save's own transaction, or the caller's behind a
    /// savepoint, so a failed save takes its rollup changes, audit entries and events back with it.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        RoundTimestamps();
        var rollups = EventRollups.Collect(ChangeTracker);
        var audit = AuditTrail.Collect(ChangeTracker);
        var events = Features.Webhooks.WebhookEvents.Collect(ChangeTracker);
        if (rollups is null && audit is null && events is null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        AuditActor? actor = null;
        if (audit is not null)
        {
            if (Auditor is null)
            {
                throw new InvalidOperationException(
                    "An audited change was saved on a context with no Auditor: services take AppDbFactory, workers and tools set AppDbContext.Auditor.");
            }

            actor = await Auditor.ActorAsync();
        }

        if (Database.CurrentTransaction is { } outer)
        {
            const string savepoint = "save_changes";
            await outer.CreateSavepointAsync(savepoint, cancellationToken);
            try
            {
                return await SaveWithAsync(rollups, audit, events, actor, acceptAllChangesOnSuccess, cancellationToken);
            }
            catch
            {
                await outer.RollbackToSavepointAsync(savepoint, CancellationToken.None);
                throw;
            }
        }

        await using var tx = await Database.BeginTransactionAsync(cancellationToken);
        var saved = await SaveWithAsync(rollups, audit, events, actor, acceptAllChangesOnSuccess, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return saved;
    }

    private async Task<int> SaveWithAsync(EventRollups? rollups, AuditTrail? audit, Features.Webhooks.WebhookEvents? events, AuditActor? actor,
        bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        if (rollups is not null)
        {
            await rollups.ApplyAsync(this, ct);
        }

        if (audit is null && events is null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        }

        // The rows first (an added row's key is known after), then their audit entries and webhook events.
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, ct);
        var at = UtcDateTimeConverter.ToMicroseconds((Auditor?.Clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        if (audit is not null)
        {
            AuditEvents.AddRange(await audit.EntriesAsync(this, actor!, at, ct));
        }

        if (events is not null)
        {
            WebhookEvents.AddRange(await events.RowsAsync(this, at, ct));
        }

        await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, ct);
        return saved;
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

    // PostgreSQL keeps microseconds, .NET clocks tick in tenths of them: the entity saved holds
    // what a later read returns, so what a write answers equals what a read answers, on any database.
    private void RoundTimestamps()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTime value && value.Ticks % UtcDateTimeConverter.TicksPerMicrosecond != 0)
                {
                    property.CurrentValue = UtcDateTimeConverter.ToMicroseconds(value);
                }
            }
        }
    }
}
