using System.Net;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Api;

/// <summary>Idempotency-Key: a retry gets the first answer back without a second write.</summary>
public sealed class IdempotencyTests(ApiFactory api) : ApiTest(api)
{
    private const string Replayed = "Idempotent-Replayed";

    private static (string, string) Key(string key) => ("Idempotency-Key", key);

    private async Task<int> PartnersNamedAsync(string name)
    {
        await using var db = Api.Db();
        return await db.Partners.CountAsync(p => p.Name == name, Ct);
    }

    /// <summary>The record a first request leaves while it runs, as a process killed at that moment leaves it for good.</summary>
    private async Task<Microsoft.AspNetCore.Http.PathString> GivenUnansweredAsync(int tokenId, string key, string body, DateTime leasedUntil)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("POST /api/partners\n" + body)));
        await using var db = Api.Db();
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            TokenId = tokenId, Key = key, RequestHash = hash, CreatedAt = Api.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1), LeasedUntil = leasedUntil,
        });
        await db.SaveChangesAsync(Ct);
        return "/api/partners";
    }

    [Fact]
    public async Task A_retry_after_the_first_request_died_runs_once_its_lease_is_over()
    {
        var token = await Api.CreateTokenRecordAsync(Roles.Operator);
        var client = Api.Client(token.Secret);
        var now = Api.Clock.GetUtcNow().UtcDateTime;
        var crashedKey = Unique("crashed-");
        var crashed = Body(new { name = Unique("After crash ") });
        var runningKey = Unique("running-");
        var running = Body(new { name = Unique("Still running ") });
        var path = await GivenUnansweredAsync(token.Token.Id, crashedKey, crashed, leasedUntil: now.AddSeconds(-1));
        await GivenUnansweredAsync(token.Token.Id, runningKey, running, leasedUntil: now.AddSeconds(20));

        var retried = await client.PostApiAsync(path, crashed, Key(crashedKey));
        var replayed = await client.PostApiAsync(path, crashed, Key(crashedKey));
        var waiting = await client.PostApiAsync(path, running, Key(runningKey));

        var created = retried.AssertOne(HttpStatusCode.Created);
        Assert.Equal(("true", retried.Text), (replayed.Header(Replayed), replayed.Text));
        waiting.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal("1", waiting.Header("Retry-After"));
        Assert.Equal(1, await PartnersNamedAsync(created.Str("name")));
        await using var db = Api.Db();
        Assert.Equal(0, await db.Partners.CountAsync(p => p.Name.StartsWith("Still running "), Ct));
    }

    [Fact]
    public async Task A_retried_create_replays_the_first_answer_and_writes_once()
    {
        var key = Unique("key-");
        var name = Unique("Idempotent ");
        var body = Body(new { name, external_id = Unique("idem-") });

        var first = await Operator.PostApiAsync("/api/partners", body, Key(key));
        var retry = await Operator.PostApiAsync("/api/partners", body, Key(key));
        var again = await Operator.PostApiAsync("/api/partners", body, Key(key));

        first.AssertOne(HttpStatusCode.Created);
        Assert.Null(first.Header(Replayed));
        foreach (var replay in new[] { retry, again })
        {
            Assert.Equal(HttpStatusCode.Created, replay.Status);
            Assert.Equal("true", replay.Header(Replayed));
            Assert.Equal(first.Text, replay.Text);
            Assert.Equal(first.Location, replay.Location);
            Assert.Equal(first.ContentType, replay.ContentType);
        }

        Assert.Equal(1, await PartnersNamedAsync(name));
    }

    [Fact]
    public async Task The_same_key_with_another_body_or_route_is_422_and_writes_nothing()
    {
        var key = Unique("key-");
        var name = Unique("Original ");
        (await Operator.PostApiAsync("/api/partners", Body(new { name }), Key(key))).AssertOne(HttpStatusCode.Created);
        var before = await Api.CountsAsync();

        var otherBody = await Operator.PostApiAsync("/api/partners", Body(new { name = Unique("Other ") }), Key(key));
        var otherRoute = await Operator.PostApiAsync("/api/projects", Body(new { name, landing_url = "https://example.com/" }), Key(key));

        Assert.Contains(key, otherBody.AssertProblem(HttpStatusCode.UnprocessableEntity).Str("detail"), StringComparison.Ordinal);
        otherRoute.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await Api.CountsAsync());
    }

    [Fact]
    public async Task Keys_are_per_token_so_another_client_with_the_same_key_writes_its_own_row()
    {
        var key = Unique("key-");
        var name = Unique("Per token ");
        var body = Body(new { name });
        using var otherClient = Api.Client(await Api.CreateTokenAsync(Roles.Operator));

        var mine = await Operator.PostApiAsync("/api/partners", body, Key(key));
        var theirs = await otherClient.PostApiAsync("/api/partners", body, Key(key));
        var theirsWithOtherBody = await Admin.PostApiAsync("/api/partners", Body(new { name = Unique("Admin's ") }), Key(key));

        Assert.NotEqual(mine.AssertOne(HttpStatusCode.Created).Int("id"), theirs.AssertOne(HttpStatusCode.Created).Int("id"));
        Assert.Null(theirs.Header(Replayed));
        theirsWithOtherBody.AssertOne(HttpStatusCode.Created);
        Assert.Equal(2, await PartnersNamedAsync(name));
    }

    [Fact]
    public async Task A_retried_patch_replays_without_bumping_the_version_again()
    {
        var partner = await GivenPartnerAsync();
        var url = $"/api/partners/{partner.Int("id")}";
        var key = Unique("key-");
        var body = Body(new { name = Unique("Patched ") });

        var first = await Operator.PatchApiAsync(url, body, Key(key));
        var retry = await Operator.PatchApiAsync(url, body, Key(key));

        Assert.Equal(1, first.AssertOne().Long("version"));
        Assert.Equal("true", retry.Header(Replayed));
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(1, (await Admin.GetApiAsync(url)).AssertOne().Long("version"));
    }

    [Fact]
    public async Task A_retried_delete_replays_204_instead_of_404()
    {
        var partner = await GivenPartnerAsync();
        var link = await GivenLinkAsync(partner.Int("id"));
        var url = $"/api/referral-links/{link.Int("id")}";
        var key = Unique("key-");

        var first = await Operator.DeleteApiAsync(url, Key(key));
        var retry = await Operator.DeleteApiAsync(url, Key(key));
        var withoutKey = await Operator.DeleteApiAsync(url);

        Assert.Equal(HttpStatusCode.NoContent, first.Status);
        Assert.Equal(HttpStatusCode.NoContent, retry.Status);
        Assert.Equal("true", retry.Header(Replayed));
        withoutKey.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_retried_status_change_replays_the_first_answer()
    {
        var project = await GivenProjectAsync();
        var url = $"/api/projects/{project.Int("id")}/archive";
        var key = Unique("key-");

        var first = await Operator.PostApiAsync(url, null, Key(key));
        (await Operator.PostApiAsync($"/api/projects/{project.Int("id")}/restore", null)).AssertOne();
        var retry = await Operator.PostApiAsync(url, null, Key(key));

        Assert.Equal("archived", first.AssertOne().Str("status"));
        Assert.Equal("true", retry.Header(Replayed));
        Assert.Equal(first.Text, retry.Text);
        var current = (await Admin.GetApiAsync($"/api/projects/{project.Int("id")}")).AssertOne();
        Assert.Equal("active", current.Str("status"));
        Assert.Equal(2, current.Long("version"));
    }

    [Fact]
    public async Task An_error_answer_is_replayed_too()
    {
        var key = Unique("key-");
        var body = Body(new { name = "", landing_url = "https://example.com/" });

        var first = await Operator.PostApiAsync("/api/projects", body, Key(key));
        var retry = await Operator.PostApiAsync("/api/projects", body, Key(key));

        first.AssertFieldError("name");
        retry.AssertFieldError("name");
        Assert.Equal("true", retry.Header(Replayed));
        Assert.Equal(first.Text, retry.Text);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_write_once()
    {
        var key = Unique("key-");
        var name = Unique("Racing ");
        var body = Body(new { name });

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Operator.PostApiAsync("/api/partners", body, Key(key))));

        Assert.Equal(1, await PartnersNamedAsync(name));
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, a.ToString()));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created && a.Header(Replayed) is null);
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Contains("in progress", a.AssertProblem(HttpStatusCode.Conflict).Str("title"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_400_and_writes_nothing()
    {
        var before = await Api.CountsAsync();

        var answer = await Operator.PostApiAsync("/api/partners", Body(new { name = Unique() }), Key(new string('k', 256)));

        Assert.Contains("Idempotency-Key", answer.AssertProblem(HttpStatusCode.BadRequest).Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await Api.CountsAsync());
        (await Operator.PostApiAsync("/api/partners", Body(new { name = Unique() }), Key(new string('k', 255)))).AssertOne(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Reads_ignore_the_key()
    {
        var key = Unique("key-");
        var project = await GivenProjectAsync();

        var first = await Viewer.GetApiAsync($"/api/projects/{project.Int("id")}", Key(key));
        (await Admin.PatchApiAsync($"/api/projects/{project.Int("id")}", Body(new { name = Unique("Changed ") }))).AssertOne();
        var second = await Viewer.GetApiAsync($"/api/projects/{project.Int("id")}", Key(key));

        Assert.Null(second.Header(Replayed));
        Assert.NotEqual(first.AssertOne().Str("name"), second.AssertOne().Str("name"));
    }
}
