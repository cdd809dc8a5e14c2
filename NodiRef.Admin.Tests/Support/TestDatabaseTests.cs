using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Support;

/// <summary>The test database is the real thing: migrated schema, enforced foreign keys, isolated per test.</summary>
public sealed class TestDatabaseTests : ServiceTest
{
    [Fact]
    public async Task Migrations_are_applied_and_nothing_is_pending()
    {
        await using var db = App.Database.CreateContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Equal(Roles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync(Ct)).Order());
    }

    [Fact]
    public async Task Foreign_keys_are_enforced()
    {
        await using var db = App.Database.CreateContext();
        db.ReferralLinks.Add(new ReferralLink { Code = "orphan", CodeKey = "ORPHAN", PartnerId = 12345 });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Each_test_starts_with_an_empty_database()
    {
        Assert.Equal(0, await CountAsync<Partner>());
        Assert.Equal(0, await CountAsync<Project>());
        Assert.Equal(0, await CountAsync<ReferralLink>());
        Assert.Equal(0, await CountAsync<Click>());
    }
}
