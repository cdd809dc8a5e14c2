using Microsoft.Extensions.Options;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Features.Audit;

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Days an audit entry is kept; unset or 0: forever (the default).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 36_500)]
    public int? RetainDays { get; set; }

    /// <summary>How often the entries past the retention are removed.</summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Removes audit entries older than <see cref="AuditOptions.RetainDays"/>, once at start and then every
/// <see cref="AuditOptions.SweepEvery"/>; with no retention set it keeps everything. Several instances may sweep
/// at once: a delete of what is past the limit is the same from any of them.
/// </summary>
public sealed class AuditRetention(
    IDbContextFactory<AppDbContext> dbFactory,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    DatabaseReadiness readiness,
    ILogger<AuditRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetainDays is not > 0 || !await readiness.WaitAsync(stoppingToken))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Removing old audit entries failed; retrying at the next sweep.");
            }

            try
            {
                await Task.Delay(options.Value.SweepEvery, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Removes the entries past the retention; answers how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        if (options.Value.RetainDays is not ({ } days and > 0))
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var removed = await db.AuditEvents.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} audit entries older than {Days} days.", removed, days);
        }

        return removed;
    }
}
