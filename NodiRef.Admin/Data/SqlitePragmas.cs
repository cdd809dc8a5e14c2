using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NodiRef.Admin.Data;

/// <summary>
/// Per-connection SQLite settings: WAL lets readers and the writer work side by side; the synchronous
/// level (<see cref="SqliteSynchronous"/>, a setting) decides what an acknowledged commit survives.
/// Applied once per physical connection: pooled connections keep them.
/// </summary>
internal sealed class SqlitePragmas(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    /// <summary>
    /// The write-ahead log is truncated back to this size after a checkpoint: without a limit a burst of
    /// writes leaves it at its largest for good, a file every reader keeps mapped.
    /// </summary>
    public const long JournalSizeLimit = 64 * 1024 * 1024;

    // mmap lets random reads of a large file come straight from the OS page cache, shared by all connections.
    private readonly string _pragmas = "PRAGMA journal_mode=WAL; "
        + $"PRAGMA synchronous={(synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")}; "
        + $"PRAGMA journal_size_limit={JournalSizeLimit}; "
        + "PRAGMA busy_timeout=10000; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-8192;";

    // Keyed by the native handle, which the pool reuses across SqliteConnection objects.
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstUse(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstUse(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool FirstUse(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);
}
