using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Every audited row against its audit trail: replaying a row's entries (created, then each update's "after")
/// must give the row as it is now, and a row whose last entry is a delete must be gone. Every service test ends
/// with it (<see cref="ServiceTest"/>), so a write that goes around the audit trail (an <c>ExecuteUpdate</c>, raw SQL,
/// a bulk path) fails the test that uses it.
/// </summary>
public static class AuditCheck
{
    public static async Task AssertInStepAsync(TestDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var entries = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        var replayed = new Dictionary<(string Type, string Id), Dictionary<string, string?>?>();
        foreach (var e in entries)
        {
            var key = (e.EntityType, e.EntityId);
            switch (e.Action)
            {
                case AuditAction.Created:
                    replayed[key] = AuditTrail.ChangesOf(e).Where(c => !c.Secret).ToDictionary(c => c.Field, c => c.After, StringComparer.Ordinal);
                    break;
                case AuditAction.Updated:
                    Assert.True(replayed.TryGetValue(key, out var fields) && fields is not null, $"{e.EntityType} {e.EntityId} was updated (entry {e.Id}) with no entry for its creation.");
                    foreach (var c in AuditTrail.ChangesOf(e).Where(c => !c.Secret))
                    {
                        fields[c.Field] = c.After;
                    }

                    break;
                default:
                    replayed[key] = null;
                    break;
            }
        }

        foreach (var entityType in db.Model.GetEntityTypes())
        {
            // A user's roles are several rows under one user id: their entries are checked by their own tests.
            if (!AuditTrail.Audited.TryGetValue(entityType.ClrType, out var type) || entityType.ClrType == typeof(IdentityUserRole<string>))
            {
                continue;
            }

            var rows = await RowsAsync(db, entityType.ClrType, ct);
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var entry = db.Entry(row);
                var id = AuditTrail.IdOf(entry, type);
                present.Add(id);
                Assert.True(replayed.TryGetValue((type.Name, id), out var fields) && fields is not null,
                    $"{type.Name} {id} has no audit entry for its creation: it was written around the audit trail.");
                foreach (var property in AuditTrail.ShownProperties(entityType, type))
                {
                    var now = AuditTrail.Format(entry.Property(property.Name).CurrentValue);
                    var audited = fields.GetValueOrDefault(property.Name);
                    Assert.True(now == audited, $"{type.Name} {id}.{property.Name} is \"{now}\" but its audit trail says \"{audited}\": a write went around the audit trail.");
                }
            }

            foreach (var ((name, id), fields) in replayed)
            {
                Assert.False(name == type.Name && fields is not null && !present.Contains(id), $"{name} {id} is gone but its audit trail has no entry for the delete.");
            }
        }
    }

    private static async Task<List<object>> RowsAsync(AppDbContext db, Type clrType, CancellationToken ct)
    {
        var method = typeof(AuditCheck).GetMethod(nameof(RowsOfAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(clrType);
        return await (Task<List<object>>)method.Invoke(null, [db, ct])!;
    }

    private static async Task<List<object>> RowsOfAsync<T>(AppDbContext db, CancellationToken ct)
        where T : class =>
        [.. await db.Set<T>().AsNoTracking().ToListAsync(ct)];
}
