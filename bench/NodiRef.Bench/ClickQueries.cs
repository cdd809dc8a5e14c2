using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Bench;

/// <summary>The Clicks grid's server queries and a partner's totals on a database seeded with clicks.</summary>
internal static class ClickQueries
{
    public static async Task RunAsync(DatabaseProvider database, string connectionString, int iterations)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAppDatabase(database, o => o.UseAppDatabase(database, connectionString));
        services.AddScoped<CurrentUser>();
        services.AddScoped<ClickService>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(Roles.Viewer));
        var clicks = scope.ServiceProvider.GetRequiredService<ClickService>();

        await using var ctx = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var total = await ctx.Clicks.LongCountAsync();
        var busiest = await ctx.ClickDaily.GroupBy(d => d.PartnerId).OrderByDescending(g => g.Sum(d => d.Count)).Select(g => g.Key).FirstAsync();
        var typical = await ctx.Clicks.OrderBy(c => c.Id).Skip((int)(total / 2)).Select(c => c.PartnerId).FirstAsync();
        var project = await ctx.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Console.WriteLine($"clicks: {total:N0}; busiest partner {busiest}, a typical one {typical}, project {project}");

        var cases = new (string Name, Func<Task<long>> Run)[]
        {
            ("first page, newest first", async () => (await clicks.ListAsync(new ClickQuery())).Value!.Total),
            ("page 400 (offset 10,000)", async () => (await clicks.ListAsync(new ClickQuery { PageIndex = 400 })).Value!.Total),
            ("filter by the busiest partner", async () => (await clicks.ListAsync(new ClickQuery(PartnerId: busiest))).Value!.Total),
            ("filter by a typical partner", async () => (await clicks.ListAsync(new ClickQuery(PartnerId: typical))).Value!.Total),
            ("filter by project", async () => (await clicks.ListAsync(new ClickQuery(ProjectId: project))).Value!.Total),
            ("filter discarded", async () => (await clicks.ListAsync(new ClickQuery(Status: EventStatus.Discarded))).Value!.Total),
            ("last 7 days", async () => (await clicks.ListAsync(new ClickQuery(From: today.AddDays(-6), To: today))).Value!.Total),
            ("totals of the busiest partner", async () => (await clicks.TotalsForPartnerAsync(busiest)).Value!.Recorded),
            ("totals of a typical partner", async () => (await clicks.TotalsForPartnerAsync(typical)).Value!.Recorded),
        };

        Console.WriteLine();
        Console.WriteLine("| query | rows matched | median ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, run) in cases)
        {
            var matched = await run();
            var times = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var sw = Stopwatch.StartNew();
                await run();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"| {name} | {matched:N0} | {times[times.Count / 2]:F1} | {times[(int)(times.Count * 0.95)]:F1} |");
        }
    }
}
