using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.CommandLine;
using System.Reflection;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Seeder;

/// <summary>
/// The seeder's command line (a class of its own: the app's top-level <c>Program</c> keeps its name for the tests).
/// dotnet run --project NodiRef.Admin.Seeder -- --partners 1000000 --links 1500000 [--clicks N] [--conversions N]
/// Seeds the database the app would use: its appsettings.json and ConnectionStrings__Default / Database__* settings.
/// </summary>
public static class SeederProgram
{
    public static async Task<int> Main(string[] args)
    {
        var partners = new Option<int>("--partners") { Description = "How many partners to add.", DefaultValueFactory = _ => 1000 };
        var links = new Option<int>("--links") { Description = "How many referral links to add.", DefaultValueFactory = _ => 1500 };
        var projects = new Option<int>("--projects") { Description = "How many projects to add.", DefaultValueFactory = _ => 12 };
        var clicks = new Option<long>("--clicks") { Description = "How many clicks to add on the new links (with their daily totals).", DefaultValueFactory = _ => 0 };
        var conversions = new Option<int>("--conversions")
        {
            Description = "How many sales to add on the new clicks (with about three sign-ups each, refunds, rewards and their daily totals); needs --clicks.",
            DefaultValueFactory = _ => 0,
        };
        var root = new RootCommand("Fill the NodiRef database with realistic demo projects, partners, links, clicks and conversions.") { partners, links, projects, clicks, conversions };
        root.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(partners) < 0 || parse.GetValue(links) < 0 || parse.GetValue(projects) < 0 || parse.GetValue(clicks) < 0 || parse.GetValue(conversions) < 0)
            {
                await Console.Error.WriteLineAsync("Counts must be zero or more.");
                return 2;
            }

            // The app's folder from the source tree (its settings and App_Data/), else where the seeder runs.
            var appRoot = typeof(DemoDataSeeder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "AppContentRoot")?.Value;
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = appRoot is not null && Directory.Exists(appRoot) ? appRoot : Directory.GetCurrentDirectory(),
            });
            builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.AddNodiRef();
            builder.Services.AddTransient<DemoDataSeeder>();
            await using var app = builder.Build();

            await app.Services.PrepareDatabaseAsync(app.Configuration, ct);
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(worker: "demo-data seeder"));
            var report = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>()
                .SeedAsync(new SeedOptions(parse.GetValue(partners), parse.GetValue(links), parse.GetValue(projects), parse.GetValue(clicks), parse.GetValue(conversions)), ct);
            Console.WriteLine($"Seeded {report.Projects:N0} projects, {report.Partners:N0} partners, {report.Links:N0} links, {report.Clicks:N0} clicks and {report.Conversions:N0} conversions in {report.Elapsed.TotalSeconds:F1} s.");
            return 0;
        });

        return await root.Parse(args).InvokeAsync();
    }
}
