using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NodiRef.Admin.Data;

internal sealed class ConversionConfiguration : IEntityTypeConfiguration<Conversion>
{
    public void Configure(EntityTypeBuilder<Conversion> b)
    {
        b.ToTable("conversions");
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.EventType).HasMaxLength(32).IsRequired();
        b.Property(c => c.Currency).HasMaxLength(3).IsRequired();
        b.Property(c => c.EventKey).HasMaxLength(Conversion.EventKeyMaxLength);
        b.Property(c => c.RequestHash).HasMaxLength(64);
        b.Property(c => c.ProductId).HasMaxLength(Conversion.TextMaxLength);
        b.Property(c => c.Category).HasMaxLength(Conversion.TextMaxLength);
        b.Property(c => c.Plan).HasMaxLength(Conversion.TextMaxLength);
        b.Property(c => c.SubscriptionId).HasMaxLength(Conversion.TextMaxLength);
        b.Property(c => c.Source).HasMaxLength(Conversion.TextMaxLength);
        b.Property(c => c.Meta).HasMaxLength(Conversion.MetaMaxLength);
        b.Property(c => c.IpAddress).HasMaxLength(Click.IpMaxLength);
        b.Property(c => c.UserAgent).HasMaxLength(Click.UserAgentMaxLength);
        b.Property(c => c.Reason).HasMaxLength(64);
        b.Property(c => c.ReviewedBy).HasMaxLength(256);
        b.Property(c => c.ReviewNote).HasMaxLength(Conversion.NoteMaxLength);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.Amount);
        b.HasIndex(c => c.PublicId).IsUnique();
        b.HasIndex(c => new { c.TokenId, c.EventKey }).IsUnique();
        b.HasIndex(c => new { c.Status, c.Id });
        b.HasIndex(c => new { c.PartnerId, c.CreatedAt });
        b.HasIndex(c => new { c.ProjectId, c.CreatedAt });
        b.HasIndex(c => c.ReferralId);
        b.HasIndex(c => c.ReversesConversionId);
        b.HasIndex(c => c.CreatedAt);
        b.HasOne<Referral>().WithMany().HasForeignKey(c => c.ReferralId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Partner>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ReferralLink>().WithMany().HasForeignKey(c => c.LinkId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Conversion>().WithMany().HasForeignKey(c => c.ReversesConversionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RewardRuleSetConfiguration : IEntityTypeConfiguration<RewardRuleSet>
{
    public void Configure(EntityTypeBuilder<RewardRuleSet> b)
    {
        b.ToTable("reward_rule_sets");
        b.Property(r => r.Name).HasMaxLength(RewardRuleSet.NameMaxLength).IsRequired();
        b.Property(r => r.Description).HasMaxLength(RewardRuleSet.DescriptionMaxLength);
        b.Property(r => r.Scope).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => r.Name).IsUnique();
        b.HasIndex(r => new { r.Scope, r.ScopeId });
        b.HasMany(r => r.Actions).WithOne(a => a.RuleSet).HasForeignKey(a => a.RuleSetId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RewardActionConfiguration : IEntityTypeConfiguration<RewardAction>
{
    public void Configure(EntityTypeBuilder<RewardAction> b)
    {
        b.ToTable("reward_actions");
        b.Property(a => a.ActionType).HasMaxLength(32).IsRequired();
        b.Property(a => a.RewardType).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Currency).HasMaxLength(3).IsRequired();
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Ignore(a => a.RewardAmount);
        b.Ignore(a => a.MaxCap);
        b.HasIndex(a => new { a.RuleSetId, a.ActionType });
    }
}

internal sealed class RewardConfiguration : IEntityTypeConfiguration<Reward>
{
    public void Configure(EntityTypeBuilder<Reward> b)
    {
        b.ToTable("rewards");
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Currency).HasMaxLength(3).IsRequired();
        b.Property(r => r.Note).HasMaxLength(Reward.NoteMaxLength);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.Amount);
        b.HasIndex(r => new { r.PartnerId, r.Status });
        b.HasIndex(r => new { r.ProjectId, r.CreatedAt });
        b.HasIndex(r => new { r.Status, r.CreatedAt });
        b.HasIndex(r => r.ConversionId);
        b.HasIndex(r => r.ReversesRewardId);
        b.HasIndex(r => r.CreatedAt);
        b.HasOne<Conversion>().WithMany().HasForeignKey(r => r.ConversionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ReferralLink>().WithMany().HasForeignKey(r => r.LinkId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RewardRuleSet>().WithMany().HasForeignKey(r => r.RuleSetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RewardAction>().WithMany().HasForeignKey(r => r.ActionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Reward>().WithMany().HasForeignKey(r => r.ReversesRewardId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RewardEventConfiguration : IEntityTypeConfiguration<RewardEvent>
{
    public void Configure(EntityTypeBuilder<RewardEvent> b)
    {
        b.ToTable("reward_events");
        b.Property(e => e.FromStatus).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.ToStatus).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Actor).HasMaxLength(256).IsRequired();
        b.Property(e => e.Note).HasMaxLength(Reward.NoteMaxLength);
        b.HasIndex(e => new { e.RewardId, e.Id });
        b.HasOne<Reward>().WithMany().HasForeignKey(e => e.RewardId).OnDelete(DeleteBehavior.Restrict);
    }
}
