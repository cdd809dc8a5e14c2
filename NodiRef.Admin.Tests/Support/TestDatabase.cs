using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// A real database for one test, with the app's migrations applied, on the run's provider
/// (<see cref="TestProvider"/>): on SQLite an in-memory connection kept open for the test's lifetime
/// (every context shares it), on PostgreSQL a database of its own (rented from a pool of emptied ones).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string? _connectionString;

    private TestDatabase(DatabaseProvider provider, DbConnection? connection, string? connectionString)
    {
        Provider = provider;
        _connection = connection;
        _connectionString = connectionString;
        Factory = new ContextFactory(this);
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The PostgreSQL database's connection string (null on SQLite, whose database lives in one connection).</summary>
    public string? ConnectionString => _connectionString;

    /// <summary>Contexts on the test's database, for arranging and checking rows directly.</summary>
    public IDbContextFactory<AppDbContext> Factory { get; }

    public static Task<TestDatabase> CreateAsync(CancellationToken ct = default) => CreateAsync(TestProvider.Current, ct);

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, CancellationToken ct = default)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return new TestDatabase(provider, null, await PostgresDatabases.RentAsync(TestProvider.PostgresForRun(), ct));
        }

        var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync(ct);
        var database = new TestDatabase(provider, connection, null);
        try
        {
            await using var db = database.CreateContext();
            await db.Database.MigrateAsync(ct);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Points context options at this database.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) =>
        _connection is not null
            ? options.UseAppDatabase(Provider, _connection)
            : options.UseAppDatabase(Provider, _connectionString!);

    public AppDbContext CreateContext() => AppDatabase.CreateContext(Provider, o => Configure(o));

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            await PostgresDatabases.ReturnAsync(_connectionString);
        }
    }

    private sealed class ContextFactory(TestDatabase database) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => database.CreateContext();
    }
}
