using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Data;

/// <summary>
/// Writes batches of clicks and their rollups with multi-row statements: the hot path of the
/// tracking API, where EF's change tracking would cost more than the database. The SQL is
/// provider-neutral (quoted identifiers, INSERT ... ON CONFLICT), and values are bound as each
/// provider stores them (<see cref="SqlDialect.Guid"/>).
/// </summary>
public static class ClickStore
{
    private const int RowsPerStatement = 200;

    public static async Task InsertAsync(AppDbContext db, IReadOnlyList<Click> clicks, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        var dialect = SqlDialect.For(db.Database);
        for (var start = 0; start < clicks.Count; start += RowsPerStatement)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            var sql = new StringBuilder("""INSERT INTO clicks ("TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "Referrer", "CreatedAt", "Status", "DiscardReason") VALUES """);
            var end = Math.Min(start + RowsPerStatement, clicks.Count);
            for (var i = start; i < end; i++)
            {
                var c = clicks[i];
                var n = (i - start) * 10;
                sql.Append(i == start ? "(" : ",(");
                for (var k = 0; k < 10; k++)
                {
                    sql.Append(k == 0 ? "@p" : ",@p").Append(n + k);
                }

                sql.Append(')');
                object?[] values =
                [
                    dialect.Guid(c.TrackingId),
                    c.LinkId, c.PartnerId, c.ProjectId, c.IpAddress, c.UserAgent, c.Referrer, c.CreatedAt, c.Status.ToString(), c.DiscardReason,
                ];
                for (var k = 0; k < values.Length; k++)
                {
                    Add(cmd, "@p" + (n + k), values[k]);
                }
            }

            cmd.CommandText = sql.ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Adds counts to the daily rollups: one upsert statement per batch.</summary>
    public static async Task AddToRollupsAsync(AppDbContext db, IReadOnlyList<ClickDaily> increments, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        for (var start = 0; start < increments.Count; start += RowsPerStatement)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            var sql = new StringBuilder("""INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count") VALUES """);
            var end = Math.Min(start + RowsPerStatement, increments.Count);
            for (var i = start; i < end; i++)
            {
                var d = increments[i];
                var n = (i - start) * 6;
                sql.Append(i == start ? "" : ",").Append($"(@p{n},@p{n + 1},@p{n + 2},@p{n + 3},@p{n + 4},@p{n + 5})");
                Add(cmd, "@p" + n, d.Day);
                Add(cmd, "@p" + (n + 1), d.LinkId);
                Add(cmd, "@p" + (n + 2), d.ProjectKey);
                Add(cmd, "@p" + (n + 3), d.Status.ToString());
                Add(cmd, "@p" + (n + 4), d.PartnerId);
                Add(cmd, "@p" + (n + 5), d.Count);
            }

            sql.Append("""ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count" """);
            cmd.CommandText = sql.ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Adds counts to the per-project daily totals: one upsert statement per batch.</summary>
    public static async Task AddToProjectRollupsAsync(AppDbContext db, IReadOnlyList<ClickDailyProject> increments, CancellationToken ct = default)
    {
        if (increments.Count == 0)
        {
            return;
        }

        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new StringBuilder("""INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count") VALUES """);
        for (var i = 0; i < increments.Count; i++)
        {
            var d = increments[i];
            var n = i * 4;
            sql.Append(i == 0 ? "" : ",").Append($"(@p{n},@p{n + 1},@p{n + 2},@p{n + 3})");
            Add(cmd, "@p" + n, d.Day);
            Add(cmd, "@p" + (n + 1), d.ProjectKey);
            Add(cmd, "@p" + (n + 2), d.Status.ToString());
            Add(cmd, "@p" + (n + 3), d.Count);
        }

        sql.Append("""ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count" """);
        cmd.CommandText = sql.ToString();
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
