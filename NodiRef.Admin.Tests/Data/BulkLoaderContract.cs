using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Data;

public sealed class SqliteBulkLoaderTests() : BulkLoaderContract(DatabaseProvider.Sqlite)
{
    private protected override string IndexesSql => "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @table ORDER BY name";
}

public sealed class PostgresBulkLoaderTests() : BulkLoaderContract(DatabaseProvider.Postgres)
{
    private protected override string IndexesSql => "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table ORDER BY indexname";
}

/// <summary>What every database's <see cref="IBulkLoader"/> leaves behind: rows as EF reads them, its indexes, its rollups, its id generators.</summary>
public abstract class BulkLoaderContract(DatabaseProvider provider) : DatabaseStrategyTest(provider)
{
    private static readonly string[] PartnerColumns = ["Id", "Name", "NameSearch", "ExternalId", "Status", "DefaultProjectId", "CreatedAt", "UpdatedAt", "Version"];
    private static readonly string[] ClickColumns = ["TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "CreatedAt", "Status", "DiscardReason"];

    /// <summary>The names of a table's indexes, with its name bound to <c>@table</c>.</summary>
    private protected abstract string IndexesSql { get; }

    [Fact]
    public void The_database_has_its_own_loader()
    {
        Assert.IsType(Provider == DatabaseProvider.Sqlite ? typeof(SqliteBulkLoader) : typeof(PostgresBulkLoader), Get<IBulkLoader>());
    }

    [Fact]
    public async Task Loaded_rows_read_back_as_written_and_the_next_ids_follow_the_explicit_ones()
    {
        var now = UtcDateTimeConverter.ToMicroseconds(Clock.GetUtcNow().UtcDateTime);
        var trackingId = Click.NewTrackingId(now);
        await LoadAsync(async (loader, connection, tx) =>
        {
            await using (var partners = loader.CreateWriter(connection, tx, "partners", PartnerColumns))
            {
                await partners.WriteAsync([41, "Ada Loaded", Partner.ToSearchKey("Ada Loaded"), "ada-41", nameof(PartnerStatus.Active), null, now, now, 0L], Ct);
                await partners.WriteAsync([42, "Bob Loaded", Partner.ToSearchKey("Bob Loaded"), null, nameof(PartnerStatus.Inactive), null, now, now, 0L], Ct);
                await partners.CompleteAsync(Ct);
            }

            await using var clicks = loader.CreateWriter(connection, tx, "clicks", ClickColumns);
            await clicks.WriteAsync([trackingId, 7, 41, null, "203.0.113.9", null, now, nameof(EventStatus.Recorded), null], Ct);
            await clicks.CompleteAsync(Ct);
        });

        await using var db = CreateContext();
        Assert.Equal(
            [(41, "Ada Loaded", "ada loaded", "ada-41", PartnerStatus.Active, now), (42, "Bob Loaded", "bob loaded", null, PartnerStatus.Inactive, now)],
            (await db.Partners.AsNoTracking().OrderBy(p => p.Id).ToListAsync(Ct)).Select(p => (p.Id, p.Name, p.NameSearch, p.ExternalId, p.Status, p.CreatedAt)));
        var click = await db.Clicks.AsNoTracking().SingleAsync(c => c.TrackingId == trackingId, Ct);
        Assert.Equal((7, 41, (int?)null, "203.0.113.9", now, EventStatus.Recorded), (click.LinkId, click.PartnerId, click.ProjectId, click.IpAddress, click.CreatedAt, click.Status));

        db.Partners.Add(new Partner { Name = "After The Load", CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(Ct);
        Assert.Equal(43, await db.Partners.MaxAsync(p => p.Id, Ct));
    }

    [Fact]
    public async Task The_indexes_dropped_for_a_load_are_all_built_again_by_the_statements_it_answers()
    {
        var before = await IndexesAsync("clicks");
        await LoadAsync(async (loader, connection, tx) =>
        {
            foreach (var create in await loader.DropIndexesAsync(connection, tx, "clicks", Ct))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = tx;
                command.CommandText = create;
                await command.ExecuteNonQueryAsync(Ct);
            }
        });

        Assert.NotEmpty(before);
        Assert.Equal(before, await IndexesAsync("clicks"));
    }

    [Fact]
    public async Task Loaded_clicks_are_rolled_up_as_the_click_store_keeps_the_rollups()
    {
        var now = Clock.GetUtcNow().UtcDateTime;

        // Clicks of the app before the load, some of them not rolled up yet where the rollups trail.
        await WriteAsync(rollUp: true, Clicks(1, 1, 1, now, now.AddDays(-1)));
        await WriteAsync(rollUp: false, Clicks(1, 1, 1, now), Clicks(2, 1, null, now));
        long lastBefore;
        await using (var db = CreateContext())
        {
            lastBefore = await db.Clicks.MaxAsync(c => c.Id, Ct);
        }

        await LoadAsync(async (loader, connection, tx) =>
        {
            await using (var clicks = loader.CreateWriter(connection, tx, "clicks", ClickColumns))
            {
                foreach (var (at, link, project) in new[] { (now, 1, (int?)1), (now.AddDays(-2), 2, null), (now.AddDays(-2), 2, null) })
                {
                    await clicks.WriteAsync([Click.NewTrackingId(at), link, 1, project, null, null, at, nameof(EventStatus.Recorded), null], Ct);
                }

                await clicks.CompleteAsync(Ct);
            }

            await loader.RollUpClicksAsync(connection, tx, lastBefore, Ct);
        });

        await AssertRollupsMatchTheLogAsync();
        await using var counted = CreateContext();
        var counts = Get<IClickCounts>();
        Assert.Equal(7, await counts.CountAsync(counted, 1, ct: Ct));
        Assert.Empty(await counts.NotRolledUpAsync(counted, Ct));
    }

    /// <summary>A load as the seeder runs it: begin, one transaction, end.</summary>
    private async Task LoadAsync(Func<IBulkLoader, DbConnection, DbTransaction, Task> load)
    {
        var loader = Get<IBulkLoader>();
        await using var db = CreateContext();
        await db.Database.OpenConnectionAsync(Ct);
        var connection = db.Database.GetDbConnection();
        await loader.BeginAsync(connection, Ct);
        await using (var tx = await connection.BeginTransactionAsync(Ct))
        {
            await load(loader, connection, tx);
            await tx.CommitAsync(Ct);
        }

        await loader.EndAsync(connection, ["partners"], Ct);
    }

    private async Task<List<string>> IndexesAsync(string table)
    {
        await using var db = CreateContext();
        await db.Database.OpenConnectionAsync(Ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = IndexesSql;
        var p = command.CreateParameter();
        p.ParameterName = "@table";
        p.Value = table;
        command.Parameters.Add(p);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
