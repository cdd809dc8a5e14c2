using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Bench;

// Usage (see bench/README.md); the database is a SQLite file (--db) or PostgreSQL (--postgres "<connection string>"):
//   grid --db <seeded.db> | --postgres <cs> [--iterations 30]     partners grid server queries: median and p95 per query shape
//   clicks --db <seeded.db> | --postgres <cs> [--iterations 30]   Clicks grid queries and partner totals
//   overview --db <seeded.db> | --postgres <cs> [--iterations 30]  the home page's data (last 30 days, all time) and its parts
//   page --url <app url> --email E --password P [--iterations 10] [--path partners --wait <css>]
//                                               time from navigation until the element is visible in Chromium
//   load --url <app url> (--path /p | --paths <file, one target a line>) [--connections 64] [--seconds 15]
//                                               HTTP load with exact answer counts: waits for every request in flight
var iterations = int.Parse(Arg("--iterations") ?? "30", System.Globalization.CultureInfo.InvariantCulture);
if (args.FirstOrDefault() == "page")
{
    await PageLoad.RunAsync(Arg("--url") ?? "http://127.0.0.1:5080/", Arg("--email")!, Arg("--password")!, iterations,
        Arg("--path") ?? "partners", Arg("--wait") ?? "tr.mud-table-row td a");
    return 0;
}

if (args.FirstOrDefault() == "load")
{
    var paths = Arg("--paths") is { } file ? File.ReadAllLines(file).Where(l => l.Length > 0).ToArray() : [Arg("--path") ?? "/health/live"];
    return await LoadTest.RunAsync(
        new Uri(Arg("--url") ?? "http://127.0.0.1:5080"),
        paths,
        int.Parse(Arg("--connections") ?? "64", System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Arg("--seconds") ?? "15", System.Globalization.CultureInfo.InvariantCulture)),
        TimeSpan.FromSeconds(60));
}

var (database, connectionString) = Arg("--postgres") is { } postgres
    ? (DatabaseProvider.Postgres, postgres)
    : (DatabaseProvider.Sqlite, $"Data Source={Arg("--db") ?? throw new ArgumentException("--db <seeded SQLite file> or --postgres <connection string> is required")}");
if (args.FirstOrDefault() == "overview")
{
    await OverviewQueries.RunAsync(database, connectionString, iterations);
    return 0;
}

if (args.FirstOrDefault() == "clicks")
{
    await ClickQueries.RunAsync(database, connectionString, iterations);
    return 0;
}

var services = new ServiceCollection();
services.AddLogging();
services.AddAppDatabase(database, o => o.UseAppDatabase(database, connectionString));
services.AddSingleton(TimeProvider.System);
services.AddScoped<CurrentUser>();
services.AddScoped<PartnerService>();
await using var provider = services.BuildServiceProvider();
await using var scope = provider.CreateAsyncScope();
scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(Roles.Viewer));
var partners = scope.ServiceProvider.GetRequiredService<PartnerService>();

// Real values from the data set, so searches hit rows.
var factory = provider.GetRequiredService<IDbContextFactory<AppDbContext>>();
await using (var ctx = await factory.CreateDbContextAsync())
{
    var total = await ctx.Partners.CountAsync();
    var sample = await ctx.Partners.OrderBy(p => p.Id).Skip(total / 2).Select(p => new { p.ExternalId, p.Name }).FirstAsync(p => p.ExternalId != null);
    var project = await ctx.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
    var namePrefix = sample.Name[..Math.Min(4, sample.Name.Length)];
    var externalId = sample.ExternalId!;
    var middle = externalId.Substring(externalId.Length / 3, Math.Min(6, externalId.Length - externalId.Length / 3));
    var nameEnd = sample.Name[^Math.Min(5, sample.Name.Length)..];
    Console.WriteLine($"{database}: partners: {total:N0}, links: {await ctx.ReferralLinks.CountAsync():N0}");
    Console.WriteLine($"external id: {sample.ExternalId}, name prefix: \"{namePrefix}\", project: {project}");

    var cases = new (string Name, PartnerQuery Query)[]
    {
        ("first page, sorted by created", new PartnerQuery()),
        ("page 2,000 of 25 (offset 50,000)", new PartnerQuery() { PageIndex = 2000 }),
        ("search by external id", new PartnerQuery(Search: sample.ExternalId)),
        ($"search by name prefix \"{namePrefix}\"", new PartnerQuery(Search: namePrefix)),
        ("search by a one-letter name prefix \"m\"", new PartnerQuery(Search: "m")),
        ("search by a two-letter prefix \"ma\"", new PartnerQuery(Search: "ma")),
        ("search anywhere: \"ady\"", new PartnerQuery(Search: "ady")),
        ($"search anywhere: the middle of an external id \"{middle}\"", new PartnerQuery(Search: middle)),
        ($"search anywhere: the end of a name \"{nameEnd}\"", new PartnerQuery(Search: nameEnd)),
        ("filter by project", new PartnerQuery(ProjectId: project)),
        ("filter by project, sorted by name", new PartnerQuery(ProjectId: project) { Sort = new SortSpec(nameof(Partner.Name), false) }),
        ("last page (offset 999,975)", new PartnerQuery() { PageIndex = 39_999 }),
        ("filter by status inactive", new PartnerQuery(Status: PartnerStatus.Inactive)),
    };

    Console.WriteLine();
    Console.WriteLine($"| query | rows matched | median ms | p95 ms |");
    Console.WriteLine($"|---|---:|---:|---:|");
    foreach (var (name, query) in cases)
    {
        var q = query with { PageSize = 25 };
        var first = await partners.ListAsync(q);
        if (!first.Succeeded || first.Value!.Items.Count == 0)
        {
            throw new InvalidOperationException($"{name}: no rows ({first.Describe()})");
        }

        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            await partners.ListAsync(q);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"| {name} | {first.Value.Total:N0} | {times[times.Count / 2]:F1} | {times[(int)(times.Count * 0.95)]:F1} |");
    }
}

return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
