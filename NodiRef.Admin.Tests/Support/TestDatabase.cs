using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// A real database for one test, with the app's migrations applied, on the run's provider
/// (<see cref="TestProvider"/>): on SQLite an in-memory connection kept open for the test's lifetime
/// (every context shares it), on PostgreSQL a database of its own (rented from a pool of emptied ones).
/// <see cref="CreateOnFileAsync"/> puts a SQLite database in a file instead, as the app runs it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string? _connectionString;
    private readonly string? _folder;

    private TestDatabase(DatabaseProvider provider, DbConnection? connection, string? connectionString, string? folder = null)
    {
        Provider = provider;
        _connection = connection;
        _connectionString = connectionString;
        _folder = folder;
        Factory = new ContextFactory(this);
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The database's connection string (null for an in-memory SQLite database, which lives in one connection).</summary>
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

    /// <summary>
    /// A database with its own connections, each opened as the app opens them: on SQLite a file in a folder
    /// of its own (deleted on dispose), on PostgreSQL as <see cref="CreateAsync(DatabaseProvider, CancellationToken)"/>.
    /// </summary>
    public static async Task<TestDatabase> CreateOnFileAsync(DatabaseProvider provider, CancellationToken ct = default)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return await CreateAsync(provider, ct);
        }

        var folder = Path.Combine(Path.GetTempPath(), "nodiref-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new TestDatabase(provider, null, $"Data Source={Path.Combine(folder, "nodiref.db")}", folder);
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

    /// <summary>Whom rows a test arranges directly on a context are recorded under in the audit trail.</summary>
    public static readonly AuditActor ArrangeActor = AuditActor.System("test arrange");

    /// <summary>A context on this database; what a test saves on it directly is audited as <see cref="ArrangeActor"/>.</summary>
    public AppDbContext CreateContext()
    {
        return AppDatabase.CreateContext(Provider, o => Configure(o)).Arranging();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_folder is not null)
        {
            using (var pooled = new SqliteConnection(_connectionString))
            {
                SqliteConnection.ClearPool(pooled);
            }

            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere: the OS temp folder cleans it up eventually.
            }
        }
        else if (_connectionString is not null)
        {
            await PostgresDatabases.ReturnAsync(_connectionString);
        }
    }

    private sealed class ContextFactory(TestDatabase database) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => database.CreateContext();
    }
}

public static class ArrangingContexts
{
    /// <summary>The context, with what a test saves on it directly audited as <see cref="TestDatabase.ArrangeActor"/>.</summary>
    public static AppDbContext Arranging(this AppDbContext db)
    {
        db.Auditor ??= Auditor.Fixed(TestDatabase.ArrangeActor, TimeProvider.System);
        return db;
    }
}
