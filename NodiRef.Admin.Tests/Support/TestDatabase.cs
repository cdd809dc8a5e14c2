using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// A real SQLite database for one test: an in-memory connection kept open for the test's lifetime,
/// with the app's migrations applied. Every context the factory creates shares that connection.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(SqliteConnection connection)
    {
        Connection = connection;
        Options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite(connection).Options;
        Factory = new ContextFactory(Options);
    }

    public SqliteConnection Connection { get; }
    public DbContextOptions<AppDbContext> Options { get; }

    /// <summary>Contexts on the test's database, for arranging and checking rows directly.</summary>
    public IDbContextFactory<AppDbContext> Factory { get; }

    public static async Task<TestDatabase> CreateAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync(ct);
        var database = new TestDatabase(connection);
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

    public AppDbContext CreateContext() => new(Options);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private sealed class ContextFactory(DbContextOptions<AppDbContext> options) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => new(options);
    }
}
