using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Tracking;

/// <summary>The batched writer on its own: no click is lost when the app stops, and a full queue says so.</summary>
public sealed class ClickWriterTests : ServiceTest
{
    [Fact]
    public async Task Stopping_drains_the_queue_so_every_acknowledged_click_is_stored()
    {
        App.ActAs(Roles.Admin);
        var partner = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Ada", "ada"), Ct)).Partner;
        var link = Ok(await App.Links.CreateAsync(new NodiRef.Admin.Features.ReferralLinks.CreateLinkInput(partner.Id, "drain-me"), Ct));
        var writer = new ClickWriter(App.Database.Factory, Options.Create(new TrackingOptions { MaxBatchSize = 7 }), NullLogger<ClickWriter>.Instance);

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
        var writer = new ClickWriter(App.Database.Factory, Options.Create(new TrackingOptions { QueueCapacity = 2 }), NullLogger<ClickWriter>.Instance);
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
}
