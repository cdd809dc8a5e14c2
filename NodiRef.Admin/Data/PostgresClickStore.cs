using System.Data.Common;

namespace NodiRef.Admin.Data;

/// <summary>
/// The click store on PostgreSQL, where several app instances may write clicks at once: each batch adds its
/// clicks to the rollups in its own transaction, in key order (instances upserting the same rows lock them in
/// the same order, so never deadlock), and nothing cheap tells a session that someone else committed, so
/// every batch reads its links afresh.
/// </summary>
public sealed class PostgresClickStore : ClickStore
{
    private PostgresClickStore(AppDbContext db)
        : base(db)
    {
    }

    public override bool DefersRollups => false;

    public override Task<(long, long)?> ChangeStampAsync(DbTransaction? tx, CancellationToken ct = default) =>
        Task.FromResult<(long, long)?>(null);

    /// <summary>Nothing trails: the rollups grew with each batch.</summary>
    public override Task<long> RollUpAsync(DbTransaction tx, CancellationToken ct = default) => Task.FromResult(0L);

    // The links read are locked against deletion until the batch commits: clicks have no foreign keys, so
    // nothing else stops a link from being deleted between that read and the insert.
    private protected override string LinksByKeys => """
        WHERE l."CodeKey" = ANY(@p0)
        FOR KEY SHARE OF l
        """;

    private protected override object KeyList(IReadOnlyCollection<string> codeKeys) => codeKeys.ToArray();

    private protected override async Task AppendAsync(DbTransaction tx, IReadOnlyList<Click> clicks, CancellationToken ct)
    {
        var cmd = Command(tx, "click", """
            INSERT INTO clicks ("TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "Referrer", "CreatedAt", "Status", "DiscardReason")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
            """, 10);
        var p = cmd.Parameters;
        foreach (var c in clicks)
        {
            p[0].Value = c.TrackingId;
            p[1].Value = c.LinkId;
            p[2].Value = c.PartnerId;
            p[3].Value = (object?)c.ProjectId ?? DBNull.Value;
            p[4].Value = (object?)c.IpAddress ?? DBNull.Value;
            p[5].Value = (object?)c.UserAgent ?? DBNull.Value;
            p[6].Value = (object?)c.Referrer ?? DBNull.Value;
            p[7].Value = c.CreatedAt;
            p[8].Value = c.Status.ToString();
            p[9].Value = (object?)c.DiscardReason ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync(ct);
        }

        var daily = clicks
            .GroupBy(c => (Day: DateOnly.FromDateTime(c.CreatedAt), c.LinkId, ProjectKey: c.ProjectId ?? 0, c.Status))
            .OrderBy(g => g.Key)
            .Select(g => new ClickDaily { Day = g.Key.Day, LinkId = g.Key.LinkId, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, PartnerId = g.First().PartnerId, Count = g.Count() })
            .ToList();
        await AddToRollupsAsync(tx, daily, ct);
        await AddToProjectRollupsAsync(tx, daily
            .GroupBy(d => (d.Day, d.ProjectKey, d.Status))
            .OrderBy(g => g.Key)
            .Select(g => new ClickDailyProject { Day = g.Key.Day, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, Count = g.Sum(d => d.Count) }),
            ct);
    }

    private async Task AddToRollupsAsync(DbTransaction tx, IEnumerable<ClickDaily> increments, CancellationToken ct)
    {
        var cmd = Command(tx, "daily", """
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count") VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """, 6);
        var p = cmd.Parameters;
        foreach (var d in increments)
        {
            p[0].Value = d.Day;
            p[1].Value = d.LinkId;
            p[2].Value = d.ProjectKey;
            p[3].Value = d.Status.ToString();
            p[4].Value = d.PartnerId;
            p[5].Value = d.Count;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task AddToProjectRollupsAsync(DbTransaction tx, IEnumerable<ClickDailyProject> increments, CancellationToken ct)
    {
        var cmd = Command(tx, "project", """
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count") VALUES (@p0, @p1, @p2, @p3)
            ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count"
            """, 4);
        var p = cmd.Parameters;
        foreach (var d in increments)
        {
            p[0].Value = d.Day;
            p[1].Value = d.ProjectKey;
            p[2].Value = d.Status.ToString();
            p[3].Value = d.Count;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Opens PostgreSQL click stores.</summary>
    internal sealed class Factory(IDbContextFactory<AppDbContext> dbFactory) : IClickStoreFactory
    {
        public Task<ClickStore> OpenAsync(CancellationToken ct = default) =>
            ConnectAsync(dbFactory, null, db => new PostgresClickStore(db), ct);
    }
}
