using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Clicks arranged by tests, written through the app's own click store (the <see cref="IClickStoreFactory"/> of
/// the services given, the app's or <see cref="TestServices.Provider"/>): rollups included, on every database.
/// </summary>
public static class TestClicks
{
    public static Task<Click> WriteAsync(IServiceProvider services, ReferralLink link, DateTime at, string? ipAddress = null, CancellationToken ct = default) =>
        WriteAsync(services, link.Id, link.PartnerId, link.ProjectId, at, EventStatus.Recorded, ipAddress, ct);

    public static async Task<Click> WriteAsync(IServiceProvider services, int linkId, int partnerId, int? projectId, DateTime at, EventStatus status, string? ipAddress = null, CancellationToken ct = default)
    {
        var click = new Click
        {
            TrackingId = Click.NewTrackingId(at),
            LinkId = linkId,
            PartnerId = partnerId,
            ProjectId = projectId,
            IpAddress = ipAddress,
            CreatedAt = at,
            Status = status,
            DiscardReason = status == EventStatus.Discarded ? DiscardReasons.PartnerInactive : null,
        };
        await using (var store = await services.GetRequiredService<IClickStoreFactory>().OpenAsync(ct))
        {
            await using var tx = await store.BeginAsync(ct);
            await store.AddAsync(tx, [click], ct);
            await tx.CommitAsync(ct);
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        click.Id = await db.Clicks.Where(c => c.CreatedAt == click.CreatedAt && c.TrackingId == click.TrackingId).Select(c => c.Id).SingleAsync(ct);
        return click;
    }

    /// <summary>What the click writer does every second where the rollups trail the clicks (nothing elsewhere).</summary>
    public static async Task<long> RollUpAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var store = await services.GetRequiredService<IClickStoreFactory>().OpenAsync(ct);
        if (!store.DefersRollups)
        {
            return 0;
        }

        await using var tx = await store.BeginAsync(ct);
        var counted = await store.RollUpAsync(tx, ct);
        await tx.CommitAsync(ct);
        return counted;
    }
}
