using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;

namespace NodiRef.Admin.Tests.Data;

public sealed class SqliteClickCountsTests() : ClickCountsContract(DatabaseProvider.Sqlite);

public sealed class PostgresClickCountsTests() : ClickCountsContract(DatabaseProvider.Postgres);

/// <summary>Every database's <see cref="IClickCounts"/> counts each click once, whatever part of them is rolled up.</summary>
public abstract class ClickCountsContract(DatabaseProvider provider) : DatabaseStrategyTest(provider)
{
    [Fact]
    public void The_database_has_its_own_counts()
    {
        Assert.IsType(Provider == DatabaseProvider.Sqlite ? typeof(SqliteClickCounts) : typeof(PostgresClickCounts), Get<IClickCounts>());
    }

    [Fact]
    public async Task A_partners_and_a_links_counts_are_exact_before_and_after_a_rollup()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var counts = Get<IClickCounts>();
        async Task AssertCountsAsync(int partnerTwo, int linkTwo, int linkThree)
        {
            await using var db = CreateContext();
            Assert.Equal(partnerTwo, await counts.CountAsync(db, 2, ct: Ct));
            Assert.Equal(linkTwo, await counts.CountAsync(db, 2, 20, Ct));
            Assert.Equal(linkThree, await counts.CountAsync(db, 2, 30, Ct));
            Assert.Equal(0, await counts.CountAsync(db, 99, ct: Ct));
        }

        await WriteAsync(rollUp: false, Clicks(20, 2, 1, now, now.AddDays(-1)), Clicks(30, 2, null, now), Clicks(40, 4, 1, now));
        await AssertCountsAsync(3, 2, 1);
        await WriteAsync(rollUp: true);
        await AssertCountsAsync(3, 2, 1);
        await WriteAsync(rollUp: false, Clicks(30, 2, null, now, now));
        await AssertCountsAsync(5, 2, 3);
    }

    [Fact]
    public async Task The_rollups_and_the_clicks_not_rolled_up_count_every_click_once()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var counts = Get<IClickCounts>();
        async Task AssertEveryClickOnceAsync()
        {
            await using var db = CreateContext();
            await using var snapshot = await counts.ReadSnapshotAsync(db, Ct);
            var recent = await counts.NotRolledUpAsync(db, Ct);
            Assert.Equal(
                await db.Clicks.LongCountAsync(Ct),
                await db.ClickDaily.SumAsync(d => d.Count, Ct) + recent.Count);
        }

        await WriteAsync(rollUp: false, Clicks(1, 1, 1, now, now, now));
        await AssertEveryClickOnceAsync();
        await WriteAsync(rollUp: true, Clicks(2, 1, null, now));
        await AssertEveryClickOnceAsync();
        await WriteAsync(rollUp: false, Clicks(2, 1, null, now));
        await AssertEveryClickOnceAsync();
    }

    [Fact]
    public async Task Counts_read_inside_a_snapshot_do_not_straddle_a_rollup_that_commits_between_their_statements()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var counts = Get<IClickCounts>();
        await WriteAsync(rollUp: true, Clicks(1, 1, 1, now, now));
        await WriteAsync(rollUp: false, Clicks(1, 1, 1, now, now, now));

        long total;
        await using (var db = CreateContext())
        {
            await using var snapshot = await counts.ReadSnapshotAsync(db, Ct);
            var rolledUp = await db.ClickDaily.SumAsync(d => d.Count, Ct);

            // Another connection commits a click and a rollup between the two reads.
            await WriteAsync(rollUp: true, Clicks(1, 1, 1, now));

            var recent = await counts.NotRolledUpAsync(db, Ct);
            total = rolledUp + recent.Count;
        }

        // The clicks as they were when the first read ran: none counted twice, none missed.
        Assert.Equal(5, total);
    }
}
