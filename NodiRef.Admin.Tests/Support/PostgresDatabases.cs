using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using Npgsql;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// PostgreSQL databases for the tests, isolated and parallel-safe. The migrations are applied once
/// per test process to a template database; a test class gets a copy of it under a unique name
/// (<see cref="CreateMigratedAsync"/>), dropped when it is done. Tests that want a database each
/// (the service tests, hundreds of them) rent one from a small pool instead (<see cref="RentAsync"/>):
/// copying takes a few hundred milliseconds, emptying a returned one a few.
/// </summary>
public static class PostgresDatabases
{
    private static readonly string RunId = $"{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..6]}";
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static readonly ConcurrentBag<string> Free = [];
    private static readonly ConcurrentDictionary<string, byte> Made = [];
    private static (string Name, string EmptySql)? _template;
    private static int _sequence;

    static PostgresDatabases()
    {
        // Whatever is left at the end of the run goes with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var connectionString in Made.Keys)
            {
                try
                {
                    DropAsync(connectionString).GetAwaiter().GetResult();
                }
                catch (NpgsqlException)
                {
                    // The server went first; a throwaway cluster anyway.
                }
            }
        };
    }

    /// <summary>A connection string of a new empty database (no tables) on the server of <paramref name="serverConnectionString"/>.</summary>
    public static async Task<string> CreateEmptyAsync(string serverConnectionString, CancellationToken ct = default)
    {
        var connectionString = WithDatabase(serverConnectionString, NextName());
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE \"{NameOf(connectionString)}\"", ct);
        Made[connectionString] = 0;
        return connectionString;
    }

    /// <summary>A connection string of a new database with the app's migrations applied (and nothing else); drop it with <see cref="DropAsync"/>.</summary>
    public static async Task<string> CreateMigratedAsync(string serverConnectionString, CancellationToken ct = default)
    {
        var (template, _) = await TemplateAsync(serverConnectionString, ct);
        var connectionString = WithDatabase(serverConnectionString, NextName());
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE \"{NameOf(connectionString)}\" TEMPLATE \"{template}\"", ct);
        Made[connectionString] = 0;
        return connectionString;
    }

    /// <summary>A migrated, empty database for one test; give it back with <see cref="ReturnAsync"/>.</summary>
    public static async Task<string> RentAsync(string serverConnectionString, CancellationToken ct = default) =>
        Free.TryTake(out var connectionString) ? connectionString : await CreateMigratedAsync(serverConnectionString, ct);

    /// <summary>Empties a rented database (every row, and ids start at 1 again) and puts it back in the pool.</summary>
    public static async Task ReturnAsync(string connectionString)
    {
        var (_, emptySql) = _template ?? throw new InvalidOperationException("No database was rented.");
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(emptySql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Something kept a lock on it: not worth waiting for, the next test gets a fresh copy.
            await DropAsync(connectionString);
            return;
        }

        Free.Add(connectionString);
    }

    /// <summary>Drops a database made here, closing whatever connections are left on it.</summary>
    public static async Task DropAsync(string connectionString)
    {
        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await ExecuteAsync(WithDatabase(connectionString, "postgres"), $"DROP DATABASE IF EXISTS \"{NameOf(connectionString)}\" WITH (FORCE)", CancellationToken.None);
        Made.TryRemove(connectionString, out _);
    }

    private static string NextName() => $"nodiref_test_{RunId}_{Interlocked.Increment(ref _sequence)}";

    private static string NameOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    private static async Task<(string Name, string EmptySql)> TemplateAsync(string serverConnectionString, CancellationToken ct)
    {
        if (_template is { } ready)
        {
            return ready;
        }

        await TemplateGate.WaitAsync(ct);
        try
        {
            if (_template is { } again)
            {
                return again;
            }

            var connectionString = WithDatabase(serverConnectionString, $"nodiref_test_{RunId}_template");
            await ExecuteAsync(serverConnectionString, $"CREATE DATABASE \"{NameOf(connectionString)}\"", ct);
            Made[connectionString] = 0;
            await using (var db = AppDatabase.CreateContext(DatabaseProvider.Postgres, o => o.UseNpgsql(connectionString)))
            {
                await db.Database.MigrateAsync(ct);
            }

            var emptySql = await EmptySqlAsync(connectionString, ct);

            // A template cannot be copied while anyone is connected to it.
            using (var connection = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            _template = (NameOf(connectionString), emptySql);
            return _template.Value;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// DELETE for every table but the migrations history, referencing tables before the tables they
    /// refer to, then every identity sequence back to 1. (TRUNCATE would take a hundred times longer
    /// on tables this small.)
    /// </summary>
    private static async Task<string> EmptySqlAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var tables = await ListAsync(connection, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'", ct);
        var references = await ListAsync(connection, "SELECT conrelid::regclass::text || ' ' || confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid", ct);
        var sequences = await ListAsync(connection, """
            SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) FROM information_schema.columns
            WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
            """, ct);

        // Repeatedly take the tables no remaining table refers to.
        var referencedBy = references.Select(r => r.Split(' ')).ToLookup(r => r[1], r => r[0]);
        var remaining = new HashSet<string>(tables);
        var sql = new StringBuilder("BEGIN;");
        while (remaining.Count > 0)
        {
            var leaves = remaining.Where(t => !referencedBy[t].Any(remaining.Contains)).Order(StringComparer.Ordinal).ToList();
            if (leaves.Count == 0)
            {
                throw new InvalidOperationException($"Foreign keys form a cycle among {string.Join(", ", remaining)}.");
            }

            foreach (var table in leaves)
            {
                sql.Append($"DELETE FROM {table};");
                remaining.Remove(table);
            }
        }

        foreach (var sequence in sequences)
        {
            sql.Append($"SELECT setval('{sequence}', 1, false);");
        }

        return sql.Append("COMMIT;").ToString();
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    // CREATE and DROP DATABASE without pooling: no idle connection lingers on a database about to be copied or dropped.
    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
