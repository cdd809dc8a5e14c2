using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Data;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Data;

/// <summary>
/// On SQLite, the write-ahead log is copied back into the database file beside the click writer, once the
/// checkpoint interval has passed on the clock after a commit; the writer's own commits leave it alone.
/// </summary>
public sealed class WalCheckpointerTests() : DatabaseStrategyTest(DatabaseProvider.Sqlite)
{
    private static readonly TimeSpan Interval = new TrackingOptions().CheckpointInterval;

    [Fact]
    public async Task Committed_clicks_reach_the_database_file_when_the_interval_has_passed_and_not_before()
    {
        // The schema into the file first, so only the clicks are left to the checkpointer. This connection
        // stays open to the end: SQLite checkpoints when the last connection to a file closes, which other
        // tests bring about here by clearing every connection pool of the process (SqliteConnection.ClearAllPools).
        var file = new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;
        await using var held = new SqliteConnection($"Data Source={file};Pooling=False");
        await held.OpenAsync(Ct);
        await using (var checkpoint = held.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL)";
            await checkpoint.ExecuteNonQueryAsync(Ct);
        }

        var checkpointer = Get<WalCheckpointer>();
        var checkpointed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        checkpointer.Checkpointed += () => checkpointed.TrySetResult();
        var now = Clock.GetUtcNow().UtcDateTime;

        // The writer itself checkpoints only past 10,000 log pages, far beyond these few clicks.
        await WriteAsync(rollUp: false, [.. Enumerable.Range(0, 3).Select(b => Clicks(b + 1, 1, null, [.. Enumerable.Repeat(now, 10)]))]);
        await Clock.WhenWaitingAsync(Ct);
        Assert.Equal(0, await ClicksInTheFileAsync(file));

        Clock.Advance(Interval);
        await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(30, await ClicksInTheFileAsync(file));
    }

    [Fact]
    public async Task Stopping_ends_the_checkpointer_at_once_whenever_it_comes()
    {
        // Stopped while asleep (no write yet), and while letting the log grow after a write (an hour here):
        // either wait ends at once.
        foreach (var written in new[] { false, true })
        {
            var clock = new FakeTimeProvider { DrivesTimers = true };
            var checkpointer = New(clock, TimeSpan.FromHours(1));
            if (written)
            {
                checkpointer.Written();
                await clock.WhenWaitingAsync(Ct);
            }

            await Task.Run(checkpointer.Dispose, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    [Fact]
    public async Task It_runs_on_a_database_file_with_an_interval_only()
    {
        await using var inMemory = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, Ct);
        using var onFile = New(Clock, Interval);
        using var noInterval = New(Clock, TimeSpan.Zero);
        using var noFile = new WalCheckpointer(inMemory.Factory, Options.Create(new TrackingOptions()), Clock, NullLogger<WalCheckpointer>.Instance);

        Assert.Equal((true, false, false), (onFile.IsRunning, noInterval.IsRunning, noFile.IsRunning));
        Assert.True(Get<WalCheckpointer>().IsRunning);
    }

    private WalCheckpointer New(TimeProvider clock, TimeSpan interval) =>
        new(Database.Factory, Options.Create(new TrackingOptions { CheckpointInterval = interval }), clock, NullLogger<WalCheckpointer>.Instance);

    // Opened immutable, SQLite reads the database file alone and ignores the log.
    private static async Task<long> ClicksInTheFileAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source=file:{file}?immutable=1;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM clicks";
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }
}
