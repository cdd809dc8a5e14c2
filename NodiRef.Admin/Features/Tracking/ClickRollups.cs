using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>Adds a batch's clicks to the daily totals with one upsert per (day, link, project, status).</summary>
internal static class ClickRollups
{
    // INSERT ... ON CONFLICT DO UPDATE is the same on SQLite (3.24+) and PostgreSQL.
    public static Task AddAsync(AppDbContext db, DateOnly day, int linkId, int projectKey, EventStatus status, int partnerId, long count) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
            VALUES ({day}, {linkId}, {projectKey}, {status.ToString()}, {partnerId}, {count})
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """);
}
