using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>The batched writer on its own: no click is lost when the app stops, and a full queue says so.</summary>
public sealed class ClickWriterTests : ServiceTest
{
    [Fact]
    public async Task Stopping_drains_the_queue_so_every_acknowledged_click_is_stored()
    {
        App.ActAs(Roles.Admin);
        var partner = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Ada", "ada"), Ct)).Partner;
        var link = Ok(await App.Links.CreateAsync(new NodiRef.Admin.Features.ReferralLinks.CreateLinkInput(partner.Id, "drain-me"), Ct));
        var writer = new ClickWriter(App.Get<IClickStoreFactory>(), Options.Create(new TrackingOptions { MaxBatchSize = 7 }), NullLogger<ClickWriter>.Instance, DatabaseReadiness.AlreadyReady());

        // Queued before the writer even starts, then stopped at once: the loop must still write them all.
        var pending = Enumerable.Range(0, 50).Select(i => writer.RecordAsync(new HitRequest("drain-me", "127.0.0.1", $"agent {i}", null, App.Clock.GetUtcNow().UtcDateTime))).ToList();
        await writer.StartAsync(Ct);
        await writer.StopAsync(Ct);
        var results = await Task.WhenAll(pending);

        Assert.All(results, r => Assert.Equal(HitOutcome.Recorded, r.Outcome));
        await using var db = App.Database.CreateContext();
        var stored = await db.Clicks.Where(c => c.LinkId == link.Id).Select(c => c.TrackingId).ToListAsync(Ct);
        Assert.Equal(results.Select(r => r.TrackingId).Order(), stored.Order());
        Assert.Equal(50, await db.ClickDaily.Where(d => d.LinkId == link.Id).SumAsync(d => d.Count, Ct));
        Assert.Equal(50, await db.ClickDailyProject.SumAsync(d => d.Count, Ct));
    }

    [Fact]
    public async Task A_full_queue_answers_overloaded_instead_of_dropping_silently()
    {
        var writer = new ClickWriter(App.Get<IClickStoreFactory>(), Options.Create(new TrackingOptions { QueueCapacity = 2 }), NullLogger<ClickWriter>.Instance, DatabaseReadiness.AlreadyReady());
        var now = App.Clock.GetUtcNow().UtcDateTime;

        var first = writer.RecordAsync(new HitRequest("abc", null, null, null, now));
        var second = writer.RecordAsync(new HitRequest("abc", null, null, null, now));
        var third = await writer.RecordAsync(new HitRequest("abc", null, null, null, now));

        Assert.Equal(HitOutcome.Overloaded, third.Outcome);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        await writer.StartAsync(Ct);
        await writer.StopAsync(Ct);
        Assert.Equal(HitOutcome.UnknownCode, (await first).Outcome);
    }

    [Fact]
    public async Task A_batch_with_known_and_unknown_codes_answers_each_hit_for_its_own_code()
    {
        var project = await GivenProjectAsync("Shop");
        var active = await GivenPartnerAsync("Ada", projectId: project.Id);
        var inactive = await GivenPartnerAsync("Bob", projectId: project.Id, status: PartnerStatus.Inactive);
        await GivenLinkAsync(active.Id, "good-code");
        await GivenLinkAsync(inactive.Id, "off-code");
        var writer = NewWriter();

        // Queued before the writer starts, so they are written as one batch.
        var pending = new[] { "good-code", "no-such-code", "OFF-CODE", "good-code" }.Select(code => writer.RecordAsync(Hit(code))).ToList();
        await writer.StartAsync(Ct);
        await writer.StopAsync(Ct);
        var results = await Task.WhenAll(pending);

        Assert.Equal([HitOutcome.Recorded, HitOutcome.UnknownCode, HitOutcome.Discarded, HitOutcome.Recorded], results.Select(r => r.Outcome));
        Assert.Equal(["good-code", null, "off-code", "good-code"], results.Select(r => r.Code));
        await using var db = App.Database.CreateContext();
        var stored = await db.Clicks.ToDictionaryAsync(c => c.TrackingId, c => c.Status, Ct);
        Assert.Equal(3, stored.Count);
        Assert.Equal(EventStatus.Discarded, stored[results[2].TrackingId]);
        Assert.Equal(EventStatus.Recorded, stored[results[3].TrackingId]);
        Assert.Equal(3, await db.ClickDaily.SumAsync(d => d.Count, Ct));
        Assert.Equal(3, await db.ClickDailyProject.SumAsync(d => d.Count, Ct));
    }

    [Fact]
    public async Task Changes_committed_between_batches_apply_to_the_next_hit_on_a_link_the_writer_remembers()
    {
        // The test's contexts share the writer's connection, so only the connection's own change count can tell it something changed.
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Ada", projectId: project.Id);
        var link = await GivenLinkAsync(partner.Id, "remember-me");
        var writer = NewWriter();
        await writer.StartAsync(Ct);
        try
        {
            var first = await writer.RecordAsync(Hit("remember-me"));
            Assert.Equal(HitOutcome.Recorded, first.Outcome);
            Assert.StartsWith(project.LandingUrl + "?ref=remember-me&tracking_id=", first.Destination, StringComparison.Ordinal);

            App.ActAs(Roles.Admin);
            Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(link.Project?.Id, "https://shop.example.com/spring", null), null, Ct));
            var retargeted = await writer.RecordAsync(Hit("remember-me"));
            Assert.StartsWith("https://shop.example.com/spring?ref=remember-me&tracking_id=", retargeted.Destination, StringComparison.Ordinal);

            Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, null, Ct));
            var deactivated = await writer.RecordAsync(Hit("remember-me"));
            Assert.Equal((HitOutcome.Discarded, DiscardReasons.PartnerInactive), (deactivated.Outcome, deactivated.DiscardReason));

            Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Active, null, Ct));
            var current = Ok(await App.Projects.GetAsync(project.Id, Ct));
            Ok(await App.Projects.SetStatusAsync(project.Id, ProjectStatus.Archived, current.Version, Ct));
            var archived = await writer.RecordAsync(Hit("remember-me"));
            Assert.Equal((HitOutcome.Discarded, DiscardReasons.ProjectArchived), (archived.Outcome, archived.DiscardReason));
        }
        finally
        {
            await writer.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task A_writer_starting_after_a_crash_counts_the_clicks_its_predecessor_left_out_of_the_rollups()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Ada", projectId: project.Id);
        var link = (await LinksOfAsync(partner.Id)).Single();

        // Written but never rolled up (on SQLite), as when the app dies between a batch and its rollup.
        for (var i = 0; i < 5; i++)
        {
            await TestClicks.WriteAsync(App.Provider, link, App.Clock.GetUtcNow().UtcDateTime, ct: Ct);
        }

        var writer = NewWriter();
        await writer.StartAsync(Ct);
        var hit = await writer.RecordAsync(Hit(link.Code));
        await writer.StopAsync(Ct);

        Assert.Equal(HitOutcome.Recorded, hit.Outcome);
        await using var db = App.Database.CreateContext();
        Assert.Equal(6, await db.ClickDaily.Where(d => d.LinkId == link.Id).SumAsync(d => d.Count, Ct));
        Assert.Equal(6, await db.ClickDailyProject.Where(d => d.ProjectKey == project.Id).SumAsync(d => d.Count, Ct));
        App.ActAs(Roles.Viewer);
        Assert.Equal(new ClickTotals(6, 0), Ok(await App.Clicks.TotalsForPartnerAsync(partner.Id, Ct)));
    }

    [Fact]
    public async Task Clicks_are_stored_exactly_as_the_rest_of_the_app_reads_them()
    {
        var partner = await GivenPartnerAsync("Ada");
        var link = await GivenLinkAsync(partner.Id, "exact-values");
        var at = new DateTime(2026, 11, 25, 21, 7, 9, DateTimeKind.Utc).AddTicks(1234567);
        var writer = NewWriter();
        var pending = writer.RecordAsync(new HitRequest(link.Code, "2001:db8::7", "Agent \"ü\" / 1.0", "https://blog.example.com/post?a=1&b=ä", at));
        await writer.StartAsync(Ct);
        await writer.StopAsync(Ct);
        var hit = await pending;

        await using var db = App.Database.CreateContext();
        var click = await db.Clicks.AsNoTracking().SingleAsync(c => c.TrackingId == hit.TrackingId, Ct);
        at = at.AddTicks(-7); // to the microsecond, as every time the app stores
        Assert.Equal(
            (link.Id, partner.Id, (int?)null, "2001:db8::7", "Agent \"ü\" / 1.0", "https://blog.example.com/post?a=1&b=ä", at, DateTimeKind.Utc, EventStatus.Recorded, (string?)null),
            (click.LinkId, click.PartnerId, click.ProjectId, click.IpAddress, click.UserAgent, click.Referrer, click.CreatedAt, click.CreatedAt.Kind, click.Status, click.DiscardReason));
        Assert.Equal(1, await db.Clicks.CountAsync(c => c.CreatedAt == at, Ct));
        Assert.Equal(1, await db.Clicks.CountAsync(c => c.CreatedAt >= at && c.CreatedAt <= at, Ct));
    }

    // Tests share one in-memory connection with the writer: its timed rollup (a write at any moment)
    // is moved out of the way; the ones at start and stop still run.
    private ClickWriter NewWriter(TrackingOptions? options = null) =>
        new(App.Get<IClickStoreFactory>(), Options.Create(options ?? new TrackingOptions { RollupInterval = TimeSpan.FromHours(1) }), NullLogger<ClickWriter>.Instance, DatabaseReadiness.AlreadyReady());

    private HitRequest Hit(string code) => new(code, "127.0.0.1", "Mozilla/5.0", null, App.Clock.GetUtcNow().UtcDateTime);
}
