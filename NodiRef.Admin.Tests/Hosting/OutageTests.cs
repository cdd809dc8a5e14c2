using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Data;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Api;
using Npgsql;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>A database that cannot be opened answers 503 with Retry-After (API and pages), logged under the path that failed.</summary>
public sealed class OutageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_503_with_retry_after_and_logged_under_the_original_path()
    {
        await using var api = new ApiFactory(DatabaseProvider.Sqlite);
        await api.InitializeAsync();
        using var browser = api.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/setup", Ct)).StatusCode); // keys and pages warmed up

        var path = new SqliteConnectionStringBuilder(api.ConnectionString).DataSource;
        string[] files = [path, path + "-wal", path + "-shm"];
        SqliteConnection.ClearAllPools();
        foreach (var file in files.Where(File.Exists))
        {
            File.Move(file, file + ".away");
        }

        // A directory where the file was: SQLite cannot open it (SQLITE_CANTOPEN), whoever runs the test.
        Directory.CreateDirectory(path);
        try
        {
            var apiAnswer = await api.Admin.GetAsync("/api/projects", Ct);
            var page = await browser.GetAsync("/setup", Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, apiAnswer.StatusCode);
            Assert.Equal("application/problem+json", apiAnswer.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Database unavailable", await apiAnswer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.NotNull(apiAnswer.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.Contains("Temporarily unavailable", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(SecurityHeaders.PagePolicy, SecurityHeadersTests.Header(page, "Content-Security-Policy"));

            var errors = api.Logs.Entries.Where(e => e.Level >= LogLevel.Error && e.Exception is not null).ToList();
            Assert.Contains(errors, e => e.Message.Contains("GET /api/projects", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Message.Contains("GET /setup", StringComparison.Ordinal));
            Assert.DoesNotContain(errors, e => e.Message.Contains("/Error", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(path);
            foreach (var file in files.Where(f => File.Exists(f + ".away")))
            {
                File.Move(file + ".away", file);
            }

            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task An_unexpected_error_stays_a_500_logged_under_the_original_path()
    {
        Assert.False(DbErrors.IsOutage(new InvalidOperationException("a bug")));
        Assert.False(DbErrors.IsOutage(new SqliteException("constraint", 19)));
        Assert.True(DbErrors.IsOutage(new SqliteException("disk full", 13)));
        Assert.True(DbErrors.IsOutage(new InvalidOperationException("wrapped", new SqliteException("readonly", 8))));
        Assert.True(DbErrors.IsOutage(new TimeoutException("pool exhausted")));

        // PostgreSQL not listening: a connection failure, whatever the test run's provider.
        await using var closed = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=nodiref;Password=x;Timeout=5");
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => closed.OpenAsync(Ct));
        Assert.True(DbErrors.IsOutage(refused));
    }
}
