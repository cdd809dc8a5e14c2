using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NodiRef.Admin.Data;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.ToTable("projects");
        b.Property(p => p.Name).HasMaxLength(Project.NameMaxLength).IsRequired();
        b.HasIndex(p => p.Name).IsUnique();
        b.Property(p => p.LandingUrl).HasMaxLength(ReferralLink.TargetUrlMaxLength).IsRequired();
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Version).IsConcurrencyToken();
    }
}

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> b)
    {
        b.ToTable("partners");
        b.Property(p => p.Name).HasMaxLength(Partner.NameMaxLength).IsRequired();
        b.Property(p => p.NameSearch).HasMaxLength(Partner.NameMaxLength).IsRequired();
        b.Property(p => p.ExternalId).HasMaxLength(Partner.ExternalIdMaxLength);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasIndex(p => p.ExternalId).IsUnique();
        b.HasIndex(p => p.NameSearch);
        b.HasIndex(p => p.CreatedAt);
        b.HasIndex(p => new { p.Status, p.CreatedAt });
        b.HasIndex(p => p.DefaultProjectId);
        b.HasOne(p => p.DefaultProject).WithMany().HasForeignKey(p => p.DefaultProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReferralLinkConfiguration : IEntityTypeConfiguration<ReferralLink>
{
    public void Configure(EntityTypeBuilder<ReferralLink> b)
    {
        b.ToTable("referral_links");
        b.Property(l => l.Code).HasMaxLength(ReferralCode.MaxLength).IsRequired();
        b.Property(l => l.CodeKey).HasMaxLength(ReferralCode.MaxLength).IsRequired();
        b.HasIndex(l => l.CodeKey).IsUnique();
        b.Property(l => l.TargetUrl).HasMaxLength(ReferralLink.TargetUrlMaxLength);
        b.Property(l => l.Metadata).HasMaxLength(ReferralLink.MetadataMaxLength);
        b.Property(l => l.Version).IsConcurrencyToken();
        b.HasIndex(l => new { l.PartnerId, l.ProjectId });
        b.HasIndex(l => new { l.ProjectId, l.PartnerId });
        b.HasIndex(l => l.CreatedAt);
        b.HasOne(l => l.Partner).WithMany(p => p.Links).HasForeignKey(l => l.PartnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(l => l.Project).WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ClickConfiguration : IEntityTypeConfiguration<Click>
{
    public void Configure(EntityTypeBuilder<Click> b)
    {
        b.ToTable("clicks");
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.IpAddress).HasMaxLength(Click.IpMaxLength);
        b.Property(c => c.UserAgent).HasMaxLength(Click.UserAgentMaxLength);
        b.Property(c => c.Referrer).HasMaxLength(ReferralLink.TargetUrlMaxLength);
        b.Property(c => c.DiscardReason).HasMaxLength(64);
        // Clicks are an append-only log: every index grows at its end (time, then id), so a batch of
        // clicks writes a few pages whatever the number of partners and links. An index keyed by
        // partner or link would put each click on a random page of a table of tens of millions of rows.
        // Lists by partner, project or status find their days in the rollups and walk this one index
        // over those days only (ClickService); it carries the filter columns, so the walk never
        // touches the table. No foreign keys for the same reason (a parent's delete would scan the log):
        // partner and link deletes check the rollups inside their transaction instead. No index of tracking
        // ids either: an id carries its click's millisecond (Click.NewTrackingId), so this index finds it.
        // On SQLite the ids are plain row ids, without AUTOINCREMENT's bookkeeping row rewritten on every
        // insert: the log is never trimmed at its end, so a row id is never used twice.
        b.Property(c => c.Id).Metadata.SetValueGenerationStrategy(SqliteValueGenerationStrategy.None);
        b.HasIndex(c => new { c.CreatedAt, c.Id, c.PartnerId, c.Status, c.ProjectId });
    }
}

internal sealed class PartnerProjectConfiguration : IEntityTypeConfiguration<PartnerProject>
{
    public void Configure(EntityTypeBuilder<PartnerProject> b)
    {
        b.ToTable("partner_projects");
        b.HasKey(m => new { m.PartnerId, m.ProjectId });
        b.HasIndex(m => new { m.ProjectId, m.PartnerId });
        b.HasOne<Partner>().WithMany().HasForeignKey(m => m.PartnerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens");
        b.Property(t => t.Name).HasMaxLength(ApiToken.NameMaxLength).IsRequired();
        b.Property(t => t.Role).HasMaxLength(16).IsRequired();
        b.Property(t => t.Prefix).HasMaxLength(16).IsRequired();
        b.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        b.Property(t => t.CreatedBy).HasMaxLength(256).IsRequired();
        b.Property(t => t.CreatedById).HasMaxLength(450);
        b.HasIndex(t => t.Hash).IsUnique();
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_records");
        b.Property(r => r.Key).HasMaxLength(255).IsRequired();
        b.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.ContentType).HasMaxLength(100);
        b.Property(r => r.Location).HasMaxLength(2048);
        b.Property(r => r.ETag).HasMaxLength(64);
        b.HasIndex(r => new { r.TokenId, r.Key }).IsUnique();
        b.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class ClickDailyProjectConfiguration : IEntityTypeConfiguration<ClickDailyProject>
{
    public void Configure(EntityTypeBuilder<ClickDailyProject> b)
    {
        b.ToTable("click_daily_project");
        b.HasKey(d => new { d.Day, d.ProjectKey, d.Status });
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.ProjectKey, d.Day });
    }
}

internal sealed class ClickDailyConfiguration : IEntityTypeConfiguration<ClickDaily>
{
    public void Configure(EntityTypeBuilder<ClickDaily> b)
    {
        b.ToTable("click_daily");
        b.HasKey(d => new { d.Day, d.LinkId, d.ProjectKey, d.Status });
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        // Read by partner (partner page, Clicks grid by partner); per-project totals have their own table.
        b.HasIndex(d => new { d.PartnerId, d.Day });
    }
}

internal sealed class ClickRollupStateConfiguration : IEntityTypeConfiguration<ClickRollupState>
{
    public void Configure(EntityTypeBuilder<ClickRollupState> b)
    {
        b.ToTable("click_rollup_state");
        b.Property(s => s.Id).ValueGeneratedNever();
    }
}

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> b)
    {
        b.ToTable("referrals");
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.ExternalId).HasMaxLength(Referral.ExternalIdMaxLength);
        b.Property(r => r.IpAddress).HasMaxLength(Click.IpMaxLength);
        b.Property(r => r.UserAgent).HasMaxLength(Click.UserAgentMaxLength);
        b.Property(r => r.DiscardReason).HasMaxLength(64);
        b.HasIndex(r => r.PublicId).IsUnique();
        b.HasIndex(r => r.TrackingId).IsUnique();
        b.HasIndex(r => new { r.ProjectKey, r.ExternalId }).IsUnique();
        b.HasIndex(r => new { r.PartnerId, r.CreatedAt });
        b.HasIndex(r => r.CreatedAt);
        b.HasOne<Click>().WithMany().HasForeignKey(r => r.ClickId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ReferralLink>().WithMany().HasForeignKey(r => r.LinkId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PartnerSessionConfiguration : IEntityTypeConfiguration<PartnerSession>
{
    public void Configure(EntityTypeBuilder<PartnerSession> b)
    {
        b.ToTable("partner_sessions");
        b.Property(s => s.IpAddress).HasMaxLength(Click.IpMaxLength);
        b.Property(s => s.UserAgent).HasMaxLength(Click.UserAgentMaxLength);
        b.HasIndex(s => new { s.PartnerId, s.CreatedAt });
        b.HasIndex(s => s.IpAddress);
        b.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> b) => b.ToTable("data_protection_keys");
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.ActorId).HasMaxLength(AuditEvent.IdMaxLength);
        b.Property(e => e.ActorName).HasMaxLength(AuditEvent.NameMaxLength).IsRequired();
        b.Property(e => e.EntityType).HasMaxLength(AuditEvent.IdMaxLength).IsRequired();
        b.Property(e => e.EntityId).HasMaxLength(AuditEvent.IdMaxLength).IsRequired();
        b.Property(e => e.EntityLabel).HasMaxLength(AuditEvent.NameMaxLength);
        b.Property(e => e.ParentType).HasMaxLength(AuditEvent.IdMaxLength);
        b.Property(e => e.ParentId).HasMaxLength(AuditEvent.IdMaxLength);
        b.Property(e => e.Action).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Changes).IsRequired();

        // An entity's history, newest first; the log by time; one actor's changes.
        b.HasIndex(e => new { e.EntityType, e.EntityId, e.Id });
        b.HasIndex(e => new { e.ParentType, e.ParentId, e.Id });
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.ActorName, e.Id });
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength).IsRequired();
        b.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        b.Property(e => e.EventTypes).HasMaxLength(1000).IsRequired();
        b.Property(e => e.Secret).HasMaxLength(1000).IsRequired();
        b.Property(e => e.PreviousSecret).HasMaxLength(1000);
        b.Property(e => e.DisabledReason).HasMaxLength(500);
        b.Property(e => e.Version).IsConcurrencyToken();
    }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> b)
    {
        b.ToTable("webhook_events");
        b.Property(e => e.MessageId).HasMaxLength(40).IsRequired();
        b.HasIndex(e => e.MessageId).IsUnique();
        b.Property(e => e.Type).HasMaxLength(64).IsRequired();
        b.Property(e => e.Payload).IsRequired();

        // The dispatcher's queue of events not fanned out yet: a small index of the few that wait.
        b.HasIndex(e => e.Id).HasFilter("\"FannedOutAt\" IS NULL").HasDatabaseName("IX_webhook_events_waiting");
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.EventId, d.EndpointId }).IsUnique();
        b.HasIndex(d => new { d.EndpointId, d.Id });

        // Due deliveries, by time: only the pending ones.
        b.HasIndex(d => d.NextAttemptAt).HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_webhook_deliveries_due");
        b.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("webhook_attempts");
        b.Property(a => a.Response).HasMaxLength(WebhookAttempt.ResponseMaxLength);
        b.HasIndex(a => new { a.EndpointId, a.Id });
        b.HasIndex(a => new { a.DeliveryId, a.Id });
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
