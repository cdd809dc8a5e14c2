using Microsoft.Data.Sqlite;
using Npgsql;

namespace NodiRef.Admin.Data;

/// <summary>Recognises provider error codes, so features never look at provider exceptions.</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    /// <summary>A row that others still refer to (e.g. a link that just got a click) could not be deleted.</summary>
    public static bool IsForeignKeyViolation(Exception e) => Find(e) switch
    {
        // The extended code is not always reported for statements run outside SaveChanges.
        SqliteException { SqliteErrorCode: SqliteConstraint } s => s.SqliteExtendedErrorCode == SqliteConstraintForeignKey
            || s.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal),
        PostgresException p => p.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };

    /// <summary>A unique index or primary key refused a duplicate (a lost race for a name, code or key).</summary>
    public static bool IsUniqueViolation(Exception e) => Find(e) switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteConstraint
            && s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// A transaction lost to a concurrent one and was rolled back as a whole (PostgreSQL's
    /// serialization failure or deadlock, SQLite's busy database): running it again may succeed.
    /// </summary>
    public static bool IsTransient(Exception e) => Find(e) switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteBusy or SqliteLocked,
        PostgresException p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };

    /// <summary>
    /// The database cannot be reached or cannot take the work just now (cannot open the file, disk full or
    /// read-only, I/O error, still locked after the busy timeout; PostgreSQL down, refusing connections, a
    /// connection pool exhausted, a read-only server): nothing about the request itself, so it answers 503
    /// and a retry later may succeed.
    /// </summary>
    public static bool IsOutage(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SqliteException s when s.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCantOpen:
                    return true;
                case PostgresException p:
                    // The server answered: an outage only when it says it cannot do the work now, not for a bad statement.
                    return p.IsTransient || p.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow;
                case NpgsqlException n when n.IsTransient:
                    return true;
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }

    // EF wraps provider errors of SaveChanges in DbUpdateException; ExecuteUpdate/ExecuteDelete and raw commands throw them as they are.
    private static Exception? Find(Exception e) => e switch
    {
        SqliteException or PostgresException => e,
        DbUpdateException { InnerException: { } inner } => Find(inner),
        { InnerException: SqliteException or PostgresException } => e.InnerException,
        _ => null,
    };
}
