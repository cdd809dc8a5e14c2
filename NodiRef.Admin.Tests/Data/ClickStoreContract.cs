using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Data;

public sealed class SqliteClickStoreTests() : ClickStoreContract(DatabaseProvider.Sqlite);

public sealed class PostgresClickStoreTests() : ClickStoreContract(DatabaseProvider.Postgres);

/// <summary>What every database's <see cref="ClickStore"/> does for the click writer.</summary>
public abstract class ClickStoreContract(DatabaseProvider provider) : DatabaseStrategyTest(provider)
{
    [Fact]
    public void The_database_has_its_own_store()
    {
        Assert.IsType(Provider == DatabaseProvider.Sqlite ? typeof(SqliteClickStore.Factory) : typeof(PostgresClickStore.Factory), Get<IClickStoreFactory>());
    }

    [Fact]
    public async Task Committed_clicks_read_back_as_written_to_the_microsecond_in_the_order_written()
    {
        var midnight = Clock.GetUtcNow().UtcDateTime.Date;
        var first = Clicks(7, 3, 5, midnight.AddTicks(1), midnight.AddHours(1).AddTicks(12_345_678), midnight.AddHours(2));
        var second = Clicks(8, 4, null, midnight.AddDays(-1).AddTicks(9));

        await WriteAsync(rollUp: false, first, second);

        await using var db = CreateContext();
        var stored = await db.Clicks.AsNoTracking().OrderBy(c => c.Id).ToListAsync(Ct);
        Assert.Equal(
            first.Concat(second).Select(c => (c.TrackingId, c.LinkId, c.PartnerId, c.ProjectId, c.IpAddress, c.UserAgent, c.Referrer, UtcDateTimeConverter.ToMicroseconds(c.CreatedAt), c.Status, c.DiscardReason)),
            stored.Select(c => (c.TrackingId, c.LinkId, c.PartnerId, c.ProjectId, c.IpAddress, c.UserAgent, c.Referrer, c.CreatedAt, c.Status, c.DiscardReason)));

        // A click finds its own row by its time, as the referral lookup does.
        var one = first[1];
        Assert.Equal(1, await db.Clicks.CountAsync(c => c.CreatedAt == one.CreatedAt && c.TrackingId == one.TrackingId, Ct));
    }

    [Fact]
    public async Task A_batch_rolled_back_leaves_neither_clicks_nor_rollups()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        await using (var store = await Get<IClickStoreFactory>().OpenAsync(Ct))
        {
            await using (var tx = await store.BeginAsync(Ct))
            {
                await store.AddAsync(tx, Clicks(1, 1, 1, now, now), Ct);
            }

            // The next batch and rollup on the same store are not confused by the one that went.
            await using (var tx = await store.BeginAsync(Ct))
            {
                await store.AddAsync(tx, Clicks(2, 2, null, now), Ct);
                await store.CommitAsync(tx, Ct);
            }

            await using (var tx = await store.BeginAsync(Ct))
            {
                Assert.Equal(store.DefersRollups ? 1L : 0L, await store.RollUpAsync(tx, Ct));
                await store.CommitAsync(tx, Ct);
            }
        }

        await using var db = CreateContext();
        Assert.Equal([2], await db.Clicks.Select(c => c.LinkId).ToListAsync(Ct));
        await AssertRollupsMatchTheLogAsync();
    }

    [Fact]
    public async Task Once_rolled_up_the_rollups_equal_a_grouping_of_the_log()
    {
        var midnight = Clock.GetUtcNow().UtcDateTime.Date;
        var batches = Enumerable.Range(0, 6).Select(b => Clicks(
            1 + (b % 3), 11 + (b % 3), b % 3 == 0 ? null : b % 3,
            [.. Enumerable.Range(0, 5).Select(i => midnight.AddDays(-(i % 3)).AddMinutes((b * 37) + i))])).ToArray();

        await WriteAsync(rollUp: true, batches[..3]);
        await AssertRollupsMatchTheLogAsync();
        await WriteAsync(rollUp: true, batches[3..]);
        await AssertRollupsMatchTheLogAsync();
    }

    [Fact]
    public async Task Links_are_found_by_their_code_keys_with_their_partner_and_project_state()
    {
        var (project, active, inactive) = await GivenLinksAsync();
        await using var store = await Get<IClickStoreFactory>().OpenAsync(Ct);
        await using var tx = await store.BeginAsync(Ct);

        var found = await store.FindLinksAsync(tx, [active.CodeKey, inactive.CodeKey, "NO-SUCH-CODE"], Ct);

        Assert.Equal(
            [
                (active.CodeKey, new TrackedLink(active.Id, "Ada-Shop", active.PartnerId, project.Id, null, PartnerStatus.Active, ProjectStatus.Active, "https://shop.example.com/")),
                (inactive.CodeKey, new TrackedLink(inactive.Id, "bob", inactive.PartnerId, null, "https://bob.example.com/", PartnerStatus.Inactive, null, null)),
            ],
            found.OrderBy(f => f.Link.Id));
        Assert.Empty(await store.FindLinksAsync(tx, ["NO-SUCH-CODE"], Ct));
    }

    [Fact]
    public async Task The_change_stamp_stays_through_the_stores_own_commits_and_moves_when_anyone_else_writes()
    {
        var (_, active, _) = await GivenLinksAsync();
        await using var store = await Get<IClickStoreFactory>().OpenAsync(Ct);

        async Task<(long, long)?> StampInNextBatchAsync()
        {
            await using var tx = await store.BeginAsync(Ct);
            var stamp = await store.ChangeStampAsync(tx, Ct);
            await store.AddAsync(tx, Clicks(active.Id, active.PartnerId, active.ProjectId, Clock.GetUtcNow().UtcDateTime), Ct);
            await store.CommitAsync(tx, Ct);
            return stamp;
        }

        await StampInNextBatchAsync();
        var afterOwnCommit = await store.ChangeStampAsync(null, Ct);
        var nextBatch = await StampInNextBatchAsync();
        var afterOwn = await store.ChangeStampAsync(null, Ct);
        await using (var db = CreateContext())
        {
            await db.ReferralLinks.Where(l => l.Id == active.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.TargetUrl, "https://elsewhere.example.com/"), Ct);
        }

        var afterSomeoneElse = await StampInNextBatchAsync();

        if (afterOwnCommit is null)
        {
            // This database cannot tell: the writer reads every batch's links afresh.
            Assert.Equal(((long, long)?)null, nextBatch);
            Assert.Equal(((long, long)?)null, afterSomeoneElse);
            return;
        }

        Assert.Equal(afterOwnCommit, nextBatch);
        Assert.NotEqual(afterOwn, afterSomeoneElse);
    }
}
