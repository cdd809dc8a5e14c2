using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Hosting;
using Npgsql;

namespace NodiRef.Admin.Tests.Data;

/// <summary>
/// On SQLite the migration lock is a side file whose retries wait on the clock, driven here; named locks are
/// no-ops (one instance per file). A lock row left by a killed run is cleared while the side file is held.
/// </summary>
public sealed class SqliteDatabaseLockTests() : DatabaseLockContract(DatabaseProvider.Sqlite)
{
    [Fact]
    public async Task A_start_waiting_for_the_side_file_says_so_and_tries_again_only_when_the_retry_interval_has_passed()
    {
        await using var db1 = CreateContext();
        await using var db2 = CreateContext();
        var first = await Lock.HoldForMigrationAsync(db1, Ct);
        var second = Lock.HoldForMigrationAsync(db2, Ct);
        await Clock.WhenWaitingAsync(Ct);
        await first.DisposeAsync();

        Clock.Advance(SqliteDatabaseLock.RetryInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(second.IsCompleted);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        await using (await second.WaitAsync(TimeSpan.FromSeconds(30), Ct))
        {
            Assert.Single(Logs.Entries, e => e.Message.Contains("Another process is migrating this database", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_migration_lock_row_left_by_a_killed_run_is_deleted_once_the_side_file_is_held()
    {
        await using var db = CreateContext();
        await db.Database.ExecuteSqlRawAsync($"""
            CREATE TABLE IF NOT EXISTS "{SqliteDatabaseLock.EfLockTable}" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL);
            INSERT INTO "{SqliteDatabaseLock.EfLockTable}" ("Id", "Timestamp") VALUES (1, '2026-01-01 00:00:00+00:00');
            """, Ct);

        await using (await Lock.HoldForMigrationAsync(db, Ct))
        {
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{SqliteDatabaseLock.EfLockTable}\"").SingleAsync(Ct));
        }

        Assert.Contains(Logs.Entries, e => e.Message.Contains("stale EF migration lock", StringComparison.Ordinal));
    }

    protected override Task UntilWaitingAsync() => Clock.WhenWaitingAsync(Ct);

    protected override void Released() => Clock.Advance(SqliteDatabaseLock.RetryInterval);

    protected override Task<DbConnection> OpenConnectionAsync() => Task.FromResult<DbConnection>(new SqliteConnection(Database.ConnectionString));
}

/// <summary>On PostgreSQL every lock is an advisory lock of the server: a second session waits for it there.</summary>
public sealed class PostgresDatabaseLockTests() : DatabaseLockContract(DatabaseProvider.Postgres)
{
    [Fact]
    public async Task A_named_lock_makes_another_session_wait_until_it_is_released()
    {
        await using var mine = await OpenAsync();
        await using var theirs = await OpenAsync();
        var held = await Lock.HoldAsync(mine, "nodiref:test", Ct);
        var waiting = Lock.HoldAsync(theirs, "nodiref:test", Ct);
        await UntilWaitingAsync();
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct)).DisposeAsync();
    }

    // The server shows a session waiting for an advisory lock as one not granted.
    protected override async Task UntilWaitingAsync()
    {
        await using var watcher = await OpenAsync();
        await using var command = watcher.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (Convert.ToInt64(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
        }
    }

    protected override Task<DbConnection> OpenConnectionAsync() => Task.FromResult<DbConnection>(new NpgsqlConnection(Database.ConnectionString));
}

/// <summary>What every database's <see cref="IDatabaseLock"/> guarantees to the start-up and the first-admin setup.</summary>
public abstract class DatabaseLockContract(DatabaseProvider provider) : DatabaseStrategyTest(provider)
{
    protected IDatabaseLock Lock => Get<IDatabaseLock>();

    [Fact]
    public void The_database_has_its_own_lock()
    {
        Assert.IsType(Provider == DatabaseProvider.Sqlite ? typeof(SqliteDatabaseLock) : typeof(PostgresDatabaseLock), Lock);
    }

    [Fact]
    public async Task A_held_migration_lock_makes_the_next_migration_wait_until_it_is_released()
    {
        await using var db1 = CreateContext();
        await using var db2 = CreateContext();
        var first = await Lock.HoldForMigrationAsync(db1, Ct);
        var second = Lock.HoldForMigrationAsync(db2, Ct);
        await UntilWaitingAsync();
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        Released();
        await (await second.WaitAsync(TimeSpan.FromSeconds(30), Ct)).DisposeAsync();

        // Released, it can be taken again at once.
        await (await Lock.HoldForMigrationAsync(db1, Ct)).DisposeAsync();
    }

    [Fact]
    public async Task Migrating_a_migrated_database_under_the_lock_writes_nothing()
    {
        await using var db = CreateContext();
        var applied = await db.Database.GetAppliedMigrationsAsync(Ct);

        await DatabaseStartup.MigrateAsync(db, Lock, Ct);

        Assert.Equal(applied, await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task A_named_lock_is_held_until_disposed_on_a_connection_that_keeps_working()
    {
        await using var connection = await OpenAsync();
        for (var i = 0; i < 2; i++)
        {
            await using (await Lock.HoldAsync(connection, "nodiref:test", Ct))
            {
                await using var inside = await Lock.HoldAsync(connection, "nodiref:other", Ct);
                Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
            }
        }

        Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
    }

    /// <summary>Completes once another holder is waiting for a lock held by the test.</summary>
    protected abstract Task UntilWaitingAsync();

    /// <summary>What lets a waiting holder notice the lock was released (the clock, on SQLite).</summary>
    protected virtual void Released()
    {
    }

    protected abstract Task<DbConnection> OpenConnectionAsync();

    protected async Task<DbConnection> OpenAsync()
    {
        var connection = await OpenConnectionAsync();
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
