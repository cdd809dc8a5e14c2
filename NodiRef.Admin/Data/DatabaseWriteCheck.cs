using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NodiRef.Admin.Data;

/// <summary>
/// Readiness that the database takes writes, not only reads: a read-only file or mount, a full or
/// read-only PostgreSQL (a standby, a full disk's read-only fallback) fail it. The row written goes
/// into EF's migration history inside a transaction that is always rolled back, so nothing is kept and
/// no schema is needed; on SQLite the transaction is BEGIN IMMEDIATE, which takes the write lock at once.
/// </summary>
public sealed class DatabaseWriteCheck(IDbContextFactory<AppDbContext> dbFactory) : IHealthCheck
{
    public const string Name = "database-write";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                """INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('~nodiref-health-check', 'health')""",
                cancellationToken);
            await tx.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not take writes.", e);
        }
    }
}
