using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodiRef.Admin.Data;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Tracking;

/// <summary>On SQLite, the write-ahead log is copied back into the database file beside the click writer.</summary>
public sealed class WalCheckpointerTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recorded_clicks_reach_the_database_file_soon_without_the_writer_checkpointing()
    {
        // The writer itself checkpoints only past 10,000 log pages, far beyond these few clicks: what reaches
        // the file is the checkpointer's work.
        await using var app = new ApiFactory(DatabaseProvider.Sqlite);
        await app.InitializeAsync();
        var (_, _, link) = await app.GivenLinkAsync(targetUrl: null);
        var file = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        await using (var setup = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            // The schema and the link into the file first, so only the clicks are left to the checkpointer.
            await setup.OpenAsync(Ct);
            await using var checkpoint = setup.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL)";
            await checkpoint.ExecuteNonQueryAsync(Ct);
        }

        var client = app.Anonymous();
        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.HitAsync(link.Code)));

        // Opened immutable, SQLite reads the database file alone and ignores the log.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long inFile;
        do
        {
            await using var connection = new SqliteConnection($"Data Source=file:{file}?immutable=1;Pooling=False");
            await connection.OpenAsync(Ct);
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM clicks WHERE LinkId = {link.Id}";
            inFile = (long)(await count.ExecuteScalarAsync(Ct))!;
            if (inFile < 30)
            {
                await Task.Delay(20, Ct);
            }
        }
        while (inFile < 30 && DateTime.UtcNow < deadline);

        Assert.Equal(30, inFile);
    }

    [Fact]
    public async Task Stopping_ends_the_checkpointer_at_once_whenever_it_comes()
    {
        await using var app = new ApiFactory(DatabaseProvider.Sqlite);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

        // Stopped while asleep (no write yet), and while letting the log grow after a write (an hour here):
        // either wait ends at once.
        foreach (var written in new[] { false, true })
        {
            var checkpointer = WalCheckpointer.Start(dbFactory, TimeSpan.FromHours(1), NullLogger.Instance)!;
            if (written)
            {
                checkpointer.Written();
            }

            var stopped = Task.Run(checkpointer.Dispose, Ct);
            Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(5), Ct)));
        }
    }
}
