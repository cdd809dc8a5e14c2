using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NodiRef.Admin.Data;

// The event rollups (EventRollups keeps them). Keys lead with the day: the overview reads ranges of days,
// for the whole program or one project; the partner index serves a partner's page.

internal sealed class ReferralDailyConfiguration : IEntityTypeConfiguration<ReferralDaily>
{
    public void Configure(EntityTypeBuilder<ReferralDaily> b)
    {
        b.ToTable("referral_daily");
        b.HasKey(d => new { d.Day, d.LinkId, d.ProjectKey, d.Status });
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.PartnerId, d.Day });
    }
}

internal sealed class ConversionDailyConfiguration : IEntityTypeConfiguration<ConversionDaily>
{
    public void Configure(EntityTypeBuilder<ConversionDaily> b)
    {
        b.ToTable("conversion_daily");
        b.HasKey(d => new { d.Day, d.LinkId, d.ProjectKey, d.EventType, d.Currency, d.Status });
        b.Property(d => d.EventType).HasMaxLength(32);
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.PartnerId, d.Day });
    }
}

internal sealed class RewardDailyConfiguration : IEntityTypeConfiguration<RewardDaily>
{
    public void Configure(EntityTypeBuilder<RewardDaily> b)
    {
        b.ToTable("reward_daily");
        b.HasKey(d => new { d.Day, d.LinkId, d.ProjectKey, d.Currency, d.Status });
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.PartnerId, d.Day });
    }
}
