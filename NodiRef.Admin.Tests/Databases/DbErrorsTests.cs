using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Tests.Support;
using Npgsql;

namespace NodiRef.Admin.Tests.Databases;

/// <summary>The features recognise lost races by <see cref="DbErrors"/> alone: it must know each provider's errors.</summary>
public sealed class DbErrorsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_duplicate_is_a_unique_violation(DatabaseProvider provider)
    {
        await using var database = await CreateAsync(provider);
        await using var db = database.CreateContext();
        db.Partners.AddRange(NewPartner("same"), NewPartner("same"));

        var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.True(DbErrors.IsUniqueViolation(e));
        Assert.False(DbErrors.IsForeignKeyViolation(e));
        Assert.False(DbErrors.IsTransient(e));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_missing_or_still_used_row_is_a_foreign_key_violation(DatabaseProvider provider)
    {
        await using var database = await CreateAsync(provider);
        await using (var db = database.CreateContext())
        {
            db.ReferralLinks.Add(new ReferralLink { Code = "orphan", CodeKey = "ORPHAN", PartnerId = 12345 });
            var insert = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
            Assert.True(DbErrors.IsForeignKeyViolation(insert));
            Assert.False(DbErrors.IsUniqueViolation(insert));
        }

        await using (var db = database.CreateContext())
        {
            var partner = NewPartner("owner");
            db.ReferralLinks.Add(new ReferralLink { Code = "kept", CodeKey = "KEPT", Partner = partner });
            await db.SaveChangesAsync(Ct);

            // Bulk deletes throw the provider's exception itself, not a DbUpdateException.
            var delete = await Assert.ThrowsAnyAsync<Exception>(() => db.Partners.Where(p => p.Id == partner.Id).ExecuteDeleteAsync(Ct));
            Assert.True(DbErrors.IsForeignKeyViolation(delete));
        }
    }

    [Fact]
    public async Task A_serialization_failure_and_a_deadlock_are_transient_on_postgres()
    {
        TestProvider.RequirePostgres();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres, Ct);
        await using (var db = database.CreateContext())
        {
            db.Partners.AddRange(NewPartner("a"), NewPartner("b"));
            await db.SaveChangesAsync(Ct);
        }

        var connectionString = database.ConnectionString!;
        await using var first = new NpgsqlConnection(connectionString);
        await using var second = new NpgsqlConnection(connectionString);
        await first.OpenAsync(Ct);
        await second.OpenAsync(Ct);

        // Serialization failure: a snapshot transaction updates a row changed since its snapshot.
        await using (var snapshot = await first.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, Ct))
        {
            await ExecuteAsync(first, """SELECT COUNT(*) FROM partners""");
            await ExecuteAsync(second, """UPDATE partners SET "Name" = 'changed' WHERE "Id" = 1""");
            var failure = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(first, """UPDATE partners SET "Name" = 'mine' WHERE "Id" = 1"""));
            Assert.True(DbErrors.IsTransient(failure));
        }

        // Deadlock: each transaction waits for the row the other holds.
        await using var one = await first.BeginTransactionAsync(Ct);
        await using var two = await second.BeginTransactionAsync(Ct);
        await ExecuteAsync(first, """UPDATE partners SET "Name" = 'one' WHERE "Id" = 1""");
        await ExecuteAsync(second, """UPDATE partners SET "Name" = 'two' WHERE "Id" = 2""");
        var crossed = await Task.WhenAll(
            Outcome(() => ExecuteAsync(first, """UPDATE partners SET "Name" = 'one' WHERE "Id" = 2""")),
            Outcome(() => ExecuteAsync(second, """UPDATE partners SET "Name" = 'two' WHERE "Id" = 1""")));
        var deadlock = Assert.Single(crossed.OfType<Exception>());
        Assert.True(DbErrors.IsTransient(deadlock));
    }

    private static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            TestProvider.RequirePostgres();
        }

        return await TestDatabase.CreateAsync(provider, Ct);
    }

    private static Partner NewPartner(string externalId) => new()
    {
        Name = "Partner " + externalId,
        ExternalId = externalId,
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
    };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<Exception?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
    }
}
