using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>
/// The Clicks list walks the days the rollups name instead of an index per partner, project or
/// status, and on SQLite the rollups trail the clicks: every page and total must still be exactly
/// what a plain sort of all clicks gives, whichever part is rolled up.
/// </summary>
public sealed class ClickLogTests : ServiceTest
{
    private sealed record Arranged(int ShopId, int BlogId, int AdaId, int BobId, int CyId, List<Click> Clicks);

    [Fact]
    public async Task Every_page_of_every_filter_matches_a_plain_sort_of_all_clicks()
    {
        var a = await ArrangeAsync();
        App.ActAs(Roles.Viewer);
        var today = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime);
        var queries = new List<ClickQuery>
        {
            new(),
            new(PartnerId: a.AdaId),
            new(PartnerId: a.CyId),
            new(ProjectId: a.ShopId),
            new(ProjectId: a.BlogId, Status: EventStatus.Recorded),
            new(Status: EventStatus.Discarded),
            new(PartnerId: a.BobId, Status: EventStatus.Discarded),
            new(From: today.AddDays(-3), To: today.AddDays(-1)),
            new(PartnerId: a.AdaId, From: today.AddDays(-2)),
            new(PartnerId: a.AdaId, ProjectId: a.BlogId),
            new(To: today.AddDays(-9)),
        };

        foreach (var query in queries)
        {
            var expected = a.Clicks.Where(c => Matches(c, query)).ToList();
            foreach (var descending in new[] { true, false })
            {
                var order = descending
                    ? expected.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                    : expected.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id);
                foreach (var size in new[] { 1, 4, 25 })
                {
                    var seen = new List<long>();
                    for (var page = 0; page * size <= expected.Count; page++)
                    {
                        var result = Ok(await App.Clicks.ListAsync(query with { PageIndex = page, PageSize = size, Sort = new SortSpec("created_at", descending) }, Ct));
                        Assert.Equal(expected.Count, result.Total);
                        seen.AddRange(result.Items.Select(r => r.Id));
                    }

                    Assert.True(order.Select(c => c.Id).SequenceEqual(seen), $"{query} desc={descending} size={size}: expected [{string.Join(",", order.Select(c => c.Id))}], got [{string.Join(",", seen)}]");
                }
            }
        }
    }

    [Fact]
    public async Task A_click_written_after_the_newest_clicks_were_removed_is_still_rolled_up()
    {
        // Row ids are not AUTOINCREMENT on SQLite: removing the newest click frees its id for the next one,
        // which must not be taken for a click the rollups already counted.
        var a = await ArrangeAsync(rollUpHalf: false);
        await TestClicks.RollUpAsync(App.Provider, Ct);
        var newest = a.Clicks.MaxBy(c => c.Id)!;
        await using (var db = App.Database.CreateContext())
        {
            await db.Clicks.Where(c => c.Id == newest.Id).ExecuteDeleteAsync(Ct);
        }

        await TestClicks.RollUpAsync(App.Provider, Ct);
        await TestClicks.WriteAsync(App.Provider, newest.LinkId, newest.PartnerId, newest.ProjectId, newest.CreatedAt, newest.Status, ct: Ct);
        await TestClicks.RollUpAsync(App.Provider, Ct);

        await using var after = App.Database.CreateContext();
        Assert.Equal(a.Clicks.Count + 1, await after.ClickDaily.SumAsync(d => d.Count, Ct));
        Assert.Equal(a.Clicks.Count + 1, await after.ClickDailyProject.SumAsync(d => d.Count, Ct));
    }

    [Fact]
    public async Task Rollups_counted_as_the_writer_writes_equal_a_grouping_of_the_log_until_someone_else_writes_a_click()
    {
        var a = await ArrangeAsync(rollUpHalf: false);
        await TestClicks.RollUpAsync(App.Provider, Ct);
        var keys = a.Clicks.Select(c => (c.LinkId, c.PartnerId, c.ProjectId)).Distinct().ToList();
        var midnight = App.Clock.GetUtcNow().UtcDateTime.Date;
        await using var store = await App.Get<IClickStoreFactory>().OpenAsync(Ct);

        async Task RollUpAsync()
        {
            if (!store.DefersRollups)
            {
                return; // PostgreSQL: the rollups grow in each batch's own transaction.
            }

            await using var tx = await store.BeginAsync(Ct);
            await store.RollUpAsync(tx, Ct);
            await store.CommitAsync(tx, Ct);
        }

        async Task WriteBatchesAsync(int batches, int seed)
        {
            var random = new Random(seed);
            for (var b = 0; b < batches; b++)
            {
                var clicks = Enumerable.Range(0, 12).Select(i =>
                {
                    var (link, partner, project) = keys[random.Next(keys.Count)];
                    var at = midnight.AddDays(-random.Next(3)).AddMinutes(random.Next(24 * 60)).AddTicks(random.Next(10_000));
                    return new Click
                    {
                        TrackingId = Click.NewTrackingId(at), LinkId = link, PartnerId = partner, ProjectId = project, CreatedAt = at,
                        Status = random.Next(4) == 0 ? EventStatus.Discarded : EventStatus.Recorded,
                    };
                }).ToList();
                await using var tx = await store.BeginAsync(Ct);
                await store.AddAsync(tx, clicks, Ct);
                await store.CommitAsync(tx, Ct);
            }
        }

        async Task AssertRollupsMatchTheLogAsync()
        {
            await using var db = App.Database.CreateContext();
            var log = await db.Clicks.AsNoTracking().ToListAsync(Ct);
            var daily = await db.ClickDaily.AsNoTracking().ToListAsync(Ct);
            var projects = await db.ClickDailyProject.AsNoTracking().ToListAsync(Ct);
            Assert.Equal(
                log.GroupBy(c => (Day: DateOnly.FromDateTime(c.CreatedAt), c.LinkId, Project: c.ProjectId ?? 0, c.Status)).Select(g => (g.Key, g.Min(c => c.PartnerId), (long)g.Count())).Order(),
                daily.Select(d => ((d.Day, d.LinkId, d.ProjectKey, d.Status), d.PartnerId, d.Count)).Order());
            Assert.Equal(
                log.GroupBy(c => (Day: DateOnly.FromDateTime(c.CreatedAt), Project: c.ProjectId ?? 0, c.Status)).Select(g => (g.Key, (long)g.Count())).Order(),
                projects.Select(d => ((d.Day, d.ProjectKey, d.Status), d.Count)).Order());
        }

        // The store's first rollup learns the mark; from then on it counts what it writes.
        await RollUpAsync();
        await WriteBatchesAsync(5, seed: 1);
        await RollUpAsync();
        await AssertRollupsMatchTheLogAsync();
        var fromPending = (store as SqliteClickStore)?.RollupsFromPending ?? 0;

        // A click from anyone else between the store's batches: its counts no longer cover the log.
        await WriteBatchesAsync(2, seed: 2);
        await TestClicks.WriteAsync(App.Provider, keys[0].LinkId, keys[0].PartnerId, keys[0].ProjectId, midnight, EventStatus.Recorded, ct: Ct);
        await WriteBatchesAsync(2, seed: 3);
        await RollUpAsync();
        await AssertRollupsMatchTheLogAsync();

        // ... and once rolled up from the log, the store counts again.
        await WriteBatchesAsync(3, seed: 4);
        await RollUpAsync();
        await AssertRollupsMatchTheLogAsync();

        if (store is SqliteClickStore sqlite)
        {
            Assert.Equal((1, 2), (fromPending, sqlite.RollupsFromPending));
        }
    }

    [Fact]
    public async Task Totals_are_exact_before_during_and_after_a_rollup()
    {
        var a = await ArrangeAsync(rollUpHalf: false);
        App.ActAs(Roles.Viewer);
        var ada = a.Clicks.Where(c => c.PartnerId == a.AdaId).ToList();

        async Task AssertExactAsync()
        {
            var totals = Ok(await App.Clicks.TotalsForPartnerAsync(a.AdaId, Ct));
            Assert.Equal(ada.Count(c => c.Status == EventStatus.Recorded), totals.Recorded);
            Assert.Equal(ada.Count(c => c.Status == EventStatus.Discarded), totals.Discarded);
            Assert.Equal(a.Clicks.Count, Ok(await App.Clicks.ListAsync(new ClickQuery(), Ct)).Total);
            Assert.Equal(ada.Count, (await App.Partners.GetAsync(a.AdaId, Ct)).Value!.ClickCount);
        }

        await AssertExactAsync();
        var counted = await TestClicks.RollUpAsync(App.Provider, Ct);
        await AssertExactAsync();
        Assert.Equal(0, await TestClicks.RollUpAsync(App.Provider, Ct));

        await using var db = App.Database.CreateContext();
        Assert.Equal(a.Clicks.Count, await db.ClickDaily.SumAsync(d => d.Count, Ct));
        Assert.Equal(a.Clicks.Count, await db.ClickDailyProject.SumAsync(d => d.Count, Ct));
        if (counted > 0)
        {
            // SQLite: the rollups trailed; now the mark is at the newest click and nothing is counted twice.
            Assert.Equal(a.Clicks.Count, counted);
            Assert.Equal(a.Clicks.Max(c => c.Id), (await db.ClickRollupState.SingleAsync(Ct)).RolledUpThrough);
        }
    }

    private static bool Matches(Click c, ClickQuery q) =>
        (q.PartnerId is null || c.PartnerId == q.PartnerId)
        && (q.ProjectId is null || c.ProjectId == q.ProjectId)
        && (q.Status is null || c.Status == q.Status)
        && (q.From is null || DateOnly.FromDateTime(c.CreatedAt) >= q.From)
        && (q.To is null || DateOnly.FromDateTime(c.CreatedAt) <= q.To);

    /// <summary>
    /// Three partners over two projects and no project, clicks over twelve days (some days empty, some
    /// with several clicks at the very same instant), a few discarded; half rolled up, half after the mark.
    /// </summary>
    private async Task<Arranged> ArrangeAsync(bool rollUpHalf = true)
    {
        var shop = await GivenProjectAsync("Shop");
        var blog = await GivenProjectAsync("Blog");
        var ada = await GivenPartnerAsync("Ada", projectId: shop.Id);
        var bob = await GivenPartnerAsync("Bob", projectId: blog.Id);
        var cy = await GivenPartnerAsync("Cy");
        var adaShop = (await LinksOfAsync(ada.Id)).Single();
        var adaBlog = await GivenLinkAsync(ada.Id, "ada-blog", blog.Id);
        var bobBlog = (await LinksOfAsync(bob.Id)).Single();
        var cyNone = await GivenLinkAsync(cy.Id, "cy-none");
        var links = new (int Link, int Partner, int? Project)[]
        {
            (adaShop.Id, ada.Id, shop.Id), (adaBlog.Id, ada.Id, blog.Id), (bobBlog.Id, bob.Id, blog.Id), (cyNone.Id, cy.Id, null),
        };

        var random = new Random(7);
        var midnight = App.Clock.GetUtcNow().UtcDateTime.Date;
        var clicks = new List<Click>();
        for (var i = 0; i < 90; i++)
        {
            if (i == 45 && rollUpHalf)
            {
                await TestClicks.RollUpAsync(App.Provider, Ct);
            }

            var (link, partner, project) = links[random.Next(links.Length)];
            var day = new[] { 0, 1, 1, 2, 3, 3, 3, 5, 8, 11 }[random.Next(10)];
            var at = midnight.AddDays(-day).AddHours(random.Next(3) * 8).AddTicks(random.Next(2) * 1234567);
            var status = random.Next(5) == 0 ? EventStatus.Discarded : EventStatus.Recorded;
            clicks.Add(await TestClicks.WriteAsync(App.Provider, link, partner, project, at, status, ct: Ct));
        }

        return new Arranged(shop.Id, blog.Id, ada.Id, bob.Id, cy.Id, clicks);
    }
}
