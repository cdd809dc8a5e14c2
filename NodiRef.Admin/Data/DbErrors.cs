using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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

    // EF wraps provider errors of SaveChanges in DbUpdateException; ExecuteUpdate/ExecuteDelete and raw commands throw them as they are.
    private static Exception? Find(Exception e) => e switch
    {
        SqliteException or PostgresException => e,
        DbUpdateException { InnerException: { } inner } => Find(inner),
        { InnerException: SqliteException or PostgresException } => e.InnerException,
        _ => null,
    };
}
