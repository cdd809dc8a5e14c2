using System.Net;
using Microsoft.Data.Sqlite;
using NodiRef.Admin.Data;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>The hit routes run outside the middleware pipeline: a failed write must still answer as the API does.</summary>
public sealed class HitFailureTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_click_that_cannot_be_stored_answers_500_problem_details_and_the_next_one_is_stored()
    {
        await using var app = new ApiFactory(DatabaseProvider.Sqlite);
        await app.InitializeAsync();
        var (_, _, link) = await app.GivenLinkAsync(targetUrl: "https://shop.example.com/offer");
        var client = app.Anonymous();
        await client.HitAsync(link.Code);

        await ExecuteAsync(app, "ALTER TABLE clicks RENAME TO clicks_away");
        var failed = await client.GetAsync($"/v1/{link.Code}/hit", Ct);
        var failedShortLink = await client.GetAsync($"/r/{link.Code}", Ct);
        await ExecuteAsync(app, "ALTER TABLE clicks_away RENAME TO clicks");
        var tracked = await client.HitAsync(link.Code);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Could not record the click", await failed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, failedShortLink.StatusCode);
        Assert.Equal("text/html", failedShortLink.Content.Headers.ContentType?.MediaType);
        await using var db = app.Db();
        Assert.Equal(2, db.Clicks.Count(c => c.LinkId == link.Id));
        Assert.Single(db.Clicks.Where(c => c.LinkId == link.Id && c.TrackingId == tracked));
    }

    private static async Task ExecuteAsync(ApiFactory app, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(app.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
