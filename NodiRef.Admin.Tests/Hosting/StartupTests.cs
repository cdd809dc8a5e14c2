using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Data;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>Start-up: the server listens before the database is ready, a stale migration lock does not hang it, readiness means writable.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nodiref-startup-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fresh_install_starts_without_errors_and_warns_only_that_its_keys_are_stored_unencrypted()
    {
        await using var app = new StartupApp(_folder);

        await app.StartReadyAsync();
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup", Ct)).StatusCode); // antiforgery: the first key is made

        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.All(app.Logs.Entries, e => Assert.Contains("No XML encryptor configured", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_migration_lock_row_left_by_a_killed_run_is_cleared_and_the_app_starts()
    {
        await using var app = new StartupApp(_folder);

        // What EF leaves when the process dies while migrating: its lock table with the row taken.
        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE "{SqliteDatabaseLock.EfLockTable}" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "{SqliteDatabaseLock.EfLockTable}" ("Id", "Timestamp") VALUES (1, '2026-01-01 00:00:00+00:00');
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        await app.StartReadyAsync();

        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup", Ct)).StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("stale EF migration lock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Liveness_answers_while_another_process_migrates_and_the_rest_waits_for_it()
    {
        await using var app = new StartupApp(_folder);
        HttpClient client;

        // Another process migrating this file holds the side lock.
        await using (var held = new FileStream(app.DatabasePath + ".migrate.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            await app.StartAsync();
            client = app.Anonymous();

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready", Ct)).StatusCode);
            var api = await client.GetAsync("/api/projects", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(api.Headers.RetryAfter);
            var page = await client.GetAsync("/Account/Login", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.False(app.Readiness.IsReady);
            Assert.Contains(app.Logs.Entries, e => e.Message.Contains("Another process is migrating this database", StringComparison.Ordinal));
        }

        await app.Readiness.WhenReady.WaitAsync(StartupApp.StartTimeout, Ct);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup", Ct)).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task Readiness_fails_when_the_database_reads_but_cannot_be_written()
    {
        // A database prepared by a first run, then opened read-only (as a read-only file or mount would be):
        // it still answers queries, so only a write shows it.
        await using (var first = new StartupApp(_folder))
        {
            await first.StartReadyAsync();
            using var client = first.Anonymous();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        }

        await using var readOnly = new StartupApp(_folder, $"Data Source={Path.Combine(_folder, "nodiref.db")};Mode=ReadOnly");
        await readOnly.StartReadyAsync();
        using var readOnlyClient = readOnly.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await readOnlyClient.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await readOnlyClient.GetAsync("/health/ready", Ct)).StatusCode);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open: the OS temp folder cleans it up eventually.
        }
    }
}
