using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NodiRef.Admin.Data;

/// <summary>Recognises provider error codes, so features never look at provider exceptions.</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    private const int SqliteConstraintForeignKey = 787;

    /// <summary>A row that others still refer to (e.g. a link that just got a click) could not be deleted.</summary>
    public static bool IsForeignKeyViolation(Exception e) => (e as SqliteException ?? e.InnerException as SqliteException) switch
    {
        // The extended code is not always reported for statements run outside SaveChanges.
        { SqliteErrorCode: SqliteConstraint } s => s.SqliteExtendedErrorCode == SqliteConstraintForeignKey
            || s.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal),
        _ => false,
    };

    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteConstraint
            && s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ => false,
    };
}
