using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Features.Rewards;
using NodiRef.Admin.Tests.Support;
using NodiRef.Admin.Tests.Features.Tracking;

namespace NodiRef.Admin.Tests.ScaleOut;

/// <summary>
/// Two app instances on one PostgreSQL database, as behind a load balancer: whatever one instance
/// writes or issues, the other reads or accepts; clicks and conversions sent to both at once are
/// stored once each, and each conversion earns its reward once.
/// </summary>
public sealed partial class MultiInstanceTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_partner_written_through_one_instance_is_read_and_changed_through_the_other()
    {
        var (a, b) = instances.Require();
        var externalId = ApiFactory.Unique("ext");

        var created = (await a.Admin.PostApiAsync("/api/partners", ApiHttp.Body(new { name = "Ada Lovelace", external_id = externalId }))).AssertOne(HttpStatusCode.Created);
        var read = (await b.Viewer.GetApiAsync($"/api/partners/external/{externalId}")).AssertOne();
        Assert.Equal(created.Int("id"), read.Int("id"));

        var renamed = (await b.Operator.PatchApiAsync($"/api/partners/{read.Int("id")}", ApiHttp.Body(new { name = "Ada King" }), ("If-Match", "\"0\""))).AssertOne();
        Assert.Equal(1, renamed.Long("version"));
        Assert.Equal("Ada King", (await a.Viewer.GetApiAsync($"/api/partners/{read.Int("id")}")).AssertOne().Str("name"));

        // An edit based on what the other instance has since replaced is refused there too.
        (await a.Operator.PatchApiAsync($"/api/partners/{read.Int("id")}", ApiHttp.Body(new { name = "Stale" }), ("If-Match", "\"0\""))).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_sign_in_through_one_instance_is_accepted_by_the_other()
    {
        var (a, b) = instances.Require();
        var email = $"{ApiFactory.Unique("operator")}@example.com";
        const string password = "a long enough passphrase";
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = email, Email = email, DisplayName = "Two Instances", EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Operator)).Succeeded);
        }

        // The form (and its antiforgery token) comes from A, the sign-in is posted to B...
        using var toA = a.Anonymous();
        using var toB = b.Anonymous();
        var form = await toA.GetAsync("/Account/Login", Ct);
        var html = await form.Content.ReadAsStringAsync(Ct);
        var cookies = CookiesOf(form);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = HiddenValue(html, "_handler"),
                ["__RequestVerificationToken"] = HiddenValue(html, "__RequestVerificationToken"),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", cookies);
        var signedIn = await toB.SendAsync(post, Ct);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"Expected the sign-in to redirect, got {(int)signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync(Ct)}");
        var session = CookiesOf(signedIn);
        Assert.Contains(".AspNetCore.Identity.Application=", session, StringComparison.Ordinal);

        // ...and the session cookie B issued opens the back-office on A.
        foreach (var client in new[] { toA, toB })
        {
            using var home = new HttpRequestMessage(HttpMethod.Get, "/");
            home.Headers.Add("Cookie", session);
            var answer = await client.SendAsync(home, Ct);
            // The overview itself, not a redirect to the sign-in page.
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Null(answer.Headers.Location);
        }

        var anonymous = await toA.GetAsync("/", Ct);
        Assert.Contains("Account/Login", anonymous.Headers.Location?.OriginalString, StringComparison.Ordinal);

        // The key ring that made this work is the database's, not a folder the two hosts happen to share.
        foreach (var instance in new[] { a, b })
        {
            var repository = instance.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository;
            Assert.IsType<EntityFrameworkCoreXmlRepository<AppDbContext>>(repository);
        }

        await using var db = a.Db();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync(Ct));
    }

    [Fact]
    public async Task Clicks_sent_to_both_instances_at_once_are_all_stored_exactly_once()
    {
        var (a, b) = instances.Require();
        var links = new List<string>();
        var project = 0;
        for (var i = 0; i < 4; i++)
        {
            var (p, _, link) = await a.GivenLinkAsync();
            links.Add(link.Code);
            project = i == 0 ? p.Id : project;
        }

        // Every instance writes batches that add to the same daily rollup rows.
        const int perInstance = 150;
        using var clientA = a.Anonymous();
        using var clientB = b.Anonymous();
        var hits = Enumerable.Range(0, perInstance * 2)
            .Select(i => Hit(i % 2 == 0 ? clientA : clientB, links[(i * 7 / 3) % links.Count]))
            .ToList();
        var trackingIds = await Task.WhenAll(hits);

        Assert.Equal(perInstance * 2, trackingIds.Distinct().Count());
        await using var db = a.Db();
        var linkIds = await db.ReferralLinks.Where(l => links.Contains(l.Code)).Select(l => l.Id).ToListAsync(Ct);
        var stored = await db.Clicks.Where(c => linkIds.Contains(c.LinkId)).Select(c => c.TrackingId).ToListAsync(Ct);
        Assert.Equal(trackingIds.Order(), stored.Order());
        Assert.Equal(perInstance * 2, await db.ClickDaily.Where(d => linkIds.Contains(d.LinkId)).SumAsync(d => d.Count, Ct));
        var projectKeys = await db.ReferralLinks.Where(l => linkIds.Contains(l.Id)).Select(l => l.ProjectId ?? 0).Distinct().ToListAsync(Ct);
        Assert.Equal(perInstance * 2, await db.ClickDailyProject.Where(d => projectKeys.Contains(d.ProjectKey)).SumAsync(d => d.Count, Ct));
    }

    [Fact]
    public async Task Conversions_sent_to_either_instance_are_recorded_once_and_rewarded_once()
    {
        var (a, b) = instances.Require();
        var (project, partner, link) = await a.GivenLinkAsync();
        await b.GivenRuleAsync(project.Id, "fixed", 5m);
        // One shop backend's token, sent to either instance (tokens live in the shared database).
        var token = await a.CreateTokenAsync(Roles.Tracking);
        using var clientA = a.Client(token);
        using var clientB = b.Client(token);
        HttpClient[] clients = [clientA, clientB];

        // Each conversion is sent to one instance and its retry, at the same time, to the other;
        // both instances' processors then race for the pending conversions.
        var conversions = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var referral = await clients[i % 2].GivenReferralAsync(link.Code);
            var key = ApiFactory.Unique("order-");
            var answers = await Task.WhenAll(clients[i % 2].ConvertAsync(referral, 20m, key: key), clients[(i + 1) % 2].ConvertAsync(referral, 20m, key: key));
            Assert.All(answers, answer => Assert.Equal((HttpStatusCode.Accepted, answers[0].Text), (answer.Status, answer.Text)));
            conversions.Add(Guid.Parse(answers[0].Json.Str("conversion_id")));
        }

        foreach (var id in conversions)
        {
            Assert.Equal("accepted", (await a.ProcessedAsync(id)).Str("status"));
        }

        await using var db = b.Db();
        Assert.Equal(10, await db.Conversions.CountAsync(c => c.PartnerId == partner.Id, Ct));
        var rewardsPerConversion = await db.Rewards.Where(r => r.PartnerId == partner.Id).GroupBy(r => r.ConversionId).Select(g => g.Count()).ToListAsync(Ct);
        Assert.Equal(10, rewardsPerConversion.Count);
        Assert.All(rewardsPerConversion, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Events_written_through_both_instances_are_sent_once_each_while_both_dispatch_at_once()
    {
        var (a, b) = instances.Require();
        await using var receiver = await WebhookReceiver.StartAsync(Ct);
        var created = (await a.Admin.PostApiAsync("/api/webhook-endpoints", ApiHttp.Body(new { url = receiver.Url, event_types = new[] { "partner.created" } })))
            .AssertOne(HttpStatusCode.Created);
        receiver.Secrets.Add(created.Str("secret"));
        var endpointId = created.GetProperty("endpoint").Int("id");

        // One time on both instances, so each finds the other's deliveries due.
        var now = new[] { a.Clock.GetUtcNow(), b.Clock.GetUtcNow() }.Max() + TimeSpan.FromSeconds(1);
        a.Clock.Advance(now - a.Clock.GetUtcNow());
        b.Clock.Advance(now - b.Clock.GetUtcNow());
        try
        {
            // 60 partners through both at once: each instance's own loop wakes on its saves while the test runs passes on both too.
            var writes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
                (i % 2 == 0 ? a : b).Operator.PostApiAsync("/api/partners", ApiHttp.Body(new { name = $"Twin {i}", external_id = ApiFactory.Unique("twin") }))));
            Assert.All(writes, w => w.AssertOne(HttpStatusCode.Created));
            var dispatchers = new[] { a, b }.Select(app => app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<NodiRef.Admin.Features.Webhooks.WebhookDispatcher>().Single()).ToList();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await using var db = a.Db();
            while (await db.WebhookDeliveries.CountAsync(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Succeeded, Ct) < 60)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{receiver.Requests.Count} of 60 events arrived within 30 s.");
                await Task.WhenAll(dispatchers.Select(d => d.RunOnceAsync(Ct)));
            }

            // Each event once: one delivery each, one attempt, one request; every request verified.
            var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).ToListAsync(Ct);
            Assert.Equal(60, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
            Assert.Equal(60, receiver.Requests.Count);
            Assert.Equal(60, receiver.Requests.Select(r => r.MessageId).Distinct().Count());
            Assert.All(receiver.Requests, r => Assert.True(r.Verified, r.Body));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await a.Admin.DeleteApiAsync($"/api/webhook-endpoints/{endpointId}")).Response.StatusCode);
        }
    }

    private static async Task<Guid> Hit(HttpClient client, string code)
    {
        var response = await client.GetAsync($"/v1/{code}/hit", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tracking_id").GetGuid();
    }

    private static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", (response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            .Select(v => v.Split(';')[0])
            .Where(v => !v.EndsWith('=')));

    private static string HiddenValue(string html, string name)
    {
        var match = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.True(match is not null, $"No hidden input \"{name}\" in the sign-in form.");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    [GeneratedRegex(""""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"""")]
    private static partial Regex HiddenInput();
}

/// <summary>Two instances of the app on one PostgreSQL database: A starts on an empty database and migrates it, then B starts.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    private string? _connectionString;
    private ApiFactory? _a;
    private ApiFactory? _b;

    /// <summary>Both instances; skips (locally) or fails (CI) the test without a PostgreSQL server.</summary>
    public (ApiFactory A, ApiFactory B) Require()
    {
        TestProvider.RequirePostgres();
        return (_a!, _b!);
    }

    public async ValueTask InitializeAsync()
    {
        if (TestProvider.PostgresConnectionString is not { } server)
        {
            return;
        }

        _connectionString = await PostgresDatabases.CreateEmptyAsync(server, TestContext.Current.CancellationToken);
        // Webhook receivers in these tests listen on loopback.
        var settings = new Dictionary<string, string?> { ["Webhooks:AllowPrivateAddresses"] = "true" };
        _a = new ApiFactory(DatabaseProvider.Postgres, _connectionString, settings: settings);
        await _a.InitializeAsync();
        _b = new ApiFactory(DatabaseProvider.Postgres, _connectionString, settings: settings);
        await _b.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }

        if (_a is not null)
        {
            await _a.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            await PostgresDatabases.DropAsync(_connectionString);
        }
    }
}
