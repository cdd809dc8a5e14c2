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

// Their sums over links, for the program and a project: keyed by day first, with a project index.

internal sealed class ReferralDailyProjectConfiguration : IEntityTypeConfiguration<ReferralDailyProject>
{
    public void Configure(EntityTypeBuilder<ReferralDailyProject> b)
    {
        b.ToTable("referral_daily_project");
        b.HasKey(d => new { d.Day, d.ProjectKey, d.Status });
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.ProjectKey, d.Day });
    }
}

internal sealed class ConversionDailyProjectConfiguration : IEntityTypeConfiguration<ConversionDailyProject>
{
    public void Configure(EntityTypeBuilder<ConversionDailyProject> b)
    {
        b.ToTable("conversion_daily_project");
        b.HasKey(d => new { d.Day, d.ProjectKey, d.EventType, d.Currency, d.Status });
        b.Property(d => d.EventType).HasMaxLength(32);
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.ProjectKey, d.Day });
    }
}

internal sealed class RewardDailyProjectConfiguration : IEntityTypeConfiguration<RewardDailyProject>
{
    public void Configure(EntityTypeBuilder<RewardDailyProject> b)
    {
        b.ToTable("reward_daily_project");
        b.HasKey(d => new { d.Day, d.ProjectKey, d.Currency, d.Status });
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(d => new { d.ProjectKey, d.Day });
    }
}
