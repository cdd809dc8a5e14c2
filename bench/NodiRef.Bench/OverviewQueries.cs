using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Hosting;

namespace NodiRef.Bench;

/// <summary>
/// The home page's data through the services the page calls (the checklist, the overview of the range with its previous
/// period, the default leaderboard, new and idle partners), for the last 30 days and all time; then each part alone.
/// </summary>
internal static class OverviewQueries
{
    public static async Task RunAsync(DatabaseProvider database, string connectionString, int iterations)
    {
        var services = new ServiceCollection();
        // BENCH_SQL=1: every statement with its time, to find the slow one.
        services.AddLogging(b =>
        {
            if (Environment.GetEnvironmentVariable("BENCH_SQL") == "1")
            {
                b.AddConsole().AddFilter(null, LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
            }
        });
        services.AddDataProtection();
        services.AddAppDatabase(database, o => o.UseAppDatabase(database, connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(DatabaseReadiness.AlreadyReady());
        services.AddServiceLayer(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(Roles.Viewer));
        var overviews = scope.ServiceProvider.GetRequiredService<OverviewService>();
        var setup = scope.ServiceProvider.GetRequiredService<GettingStartedService>();

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ranges = new (string Name, OverviewQuery Query)[]
        {
            ("last 30 days", OverviewRange.Of(RangePreset.Last30Days, today).ToQuery()),
            ("all time", OverviewRange.Of(RangePreset.AllTime, today).ToQuery()),
        };

        var all = Unwrap(await overviews.GetAsync(ranges[1].Query));
        Console.WriteLine($"{database}: all time: {all.Current.Clicks:N0} clicks, {all.Current.Referrals:N0} referrals, {all.Current.Conversions:N0} accepted conversions, revenue {string.Join(", ", all.Current.Revenue.Select(m => $"{m.Amount:N2} {m.Currency}"))}");
        Console.WriteLine();
        Console.WriteLine("| what | range | median ms | p95 ms |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var (name, query) in ranges)
        {
            await TimeAsync("home page data (all of the below but the other leaderboards)", name, iterations, async () =>
            {
                Unwrap(await setup.GetAsync());
                Unwrap(await overviews.GetAsync(query));
                Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Partners)));
                Unwrap(await overviews.PartnersAsync(query));
            });
        }

        foreach (var (name, query) in ranges)
        {
            await TimeAsync("- checklist", name, iterations, async () => Unwrap(await setup.GetAsync()));
            await TimeAsync("- KPIs, previous period, daily series", name, iterations, async () => Unwrap(await overviews.GetAsync(query)));
            await TimeAsync("- top partners by revenue", name, iterations, async () => Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Partners))));
            await TimeAsync("- new partners, clicks without conversion", name, iterations, async () => Unwrap(await overviews.PartnersAsync(query)));
            await TimeAsync("top links by revenue", name, iterations, async () => Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Links))));
            await TimeAsync("top projects by revenue", name, iterations, async () => Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Projects))));
            await TimeAsync("top partners by conversions", name, iterations, async () => Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Partners, LeaderboardMetric.Conversions))));
            await TimeAsync("top partners by clicks", name, iterations, async () => Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Partners, LeaderboardMetric.Clicks))));
        }

        // What a ranking costs when it is worked out again: the background refresh, at most once per
        // Overview:StandingsFor for each range someone looks at (and the first reader of a range waits for it).
        var standings = scope.ServiceProvider.GetRequiredService<OverviewStandings>();
        var slow = Math.Max(1, Math.Min(iterations, 3));
        foreach (var (name, query) in ranges)
        {
            await TimeAsync("ranking again: top partners by revenue", name, slow, async () =>
            {
                await standings.ForgetAsync();
                Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Partners)));
            });
            await TimeAsync("ranking again: clicks without conversion", name, slow, async () =>
            {
                await standings.ForgetAsync();
                Unwrap(await overviews.PartnersAsync(query));
            });
            await TimeAsync("ranking again: top partners by clicks", name, slow, async () =>
            {
                await standings.ForgetAsync();
                Unwrap(await overviews.LeaderboardAsync(new LeaderboardQuery(query, LeaderboardKind.Partners, LeaderboardMetric.Clicks)));
            });
        }

        var day = OverviewRange.Of(RangePreset.Today, today).ToQuery();
        await TimeAsync("today, with its hourly series", "today", iterations, async () => Unwrap(await overviews.GetAsync(day)));
    }

    private static T Unwrap<T>(Result<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException(result.Describe());

    private static async Task TimeAsync(string what, string range, int iterations, Func<Task> run)
    {
        await run();
        var times = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"| {what} | {range} | {times[times.Count / 2]:F1} | {times[(int)(times.Count * 0.95)]:F1} |");
    }
}
