using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Support;

/// <summary>Clicks arranged by tests, written as the click writer writes them (rollups included, on every database).</summary>
public static class TestClicks
{
    public static async Task<Click> WriteAsync(IDbContextFactory<AppDbContext> dbFactory, ReferralLink link, DateTime at, string? ipAddress = null, CancellationToken ct = default)
    {
        var click = new Click
        {
            TrackingId = Guid.CreateVersion7(at),
            LinkId = link.Id,
            PartnerId = link.PartnerId,
            ProjectId = link.ProjectId,
            IpAddress = ipAddress,
            CreatedAt = at,
            Status = EventStatus.Recorded,
        };
        await using var store = await ClickStore.OpenAsync(dbFactory, ct);
        await using var tx = await store.BeginAsync(ct);
        await store.AddAsync(tx, [click], ct);
        await tx.CommitAsync(ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        click.Id = await db.Clicks.Where(c => c.TrackingId == click.TrackingId).Select(c => c.Id).SingleAsync(ct);
        return click;
    }
}
