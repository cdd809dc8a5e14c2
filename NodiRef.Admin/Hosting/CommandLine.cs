using System.CommandLine;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Seeding;

namespace NodiRef.Admin.Hosting;

/// <summary>Maintenance commands run with <c>dotnet run --project NodiRef.Admin -- &lt;command&gt;</c>.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["seed", "create-token"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var partners = new Option<int>("--partners") { Description = "How many partners to add.", DefaultValueFactory = _ => 1000 };
        var links = new Option<int>("--links") { Description = "How many referral links to add.", DefaultValueFactory = _ => 1500 };
        var projects = new Option<int>("--projects") { Description = "How many projects to add.", DefaultValueFactory = _ => 12 };
        var clicks = new Option<long>("--clicks") { Description = "How many clicks to add on the new links (with their daily totals).", DefaultValueFactory = _ => 0 };
        var seed = new Command("seed", "Fill the database with realistic demo projects, partners, links and clicks.") { partners, links, projects, clicks };
        seed.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(partners) < 0 || parse.GetValue(links) < 0 || parse.GetValue(projects) < 0 || parse.GetValue(clicks) < 0)
            {
                await Console.Error.WriteLineAsync("Counts must be zero or more.");
                return 2;
            }

            await app.Services.PrepareDatabaseAsync(app.Configuration, ct);
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System());
            var report = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>()
                .SeedAsync(new SeedOptions(parse.GetValue(partners), parse.GetValue(links), parse.GetValue(projects), parse.GetValue(clicks)), ct);
            Console.WriteLine($"Seeded {report.Projects:N0} projects, {report.Partners:N0} partners, {report.Links:N0} links and {report.Clicks:N0} clicks in {report.Elapsed.TotalSeconds:F1} s.");
            return 0;
        });

        var tokenName = new Option<string>("--name") { Description = "What the token is for, e.g. \"billing backend\".", Required = true };
        var tokenRole = new Option<string>("--role") { Description = "Admin, Operator or Viewer.", DefaultValueFactory = _ => Roles.Admin };
        var createToken = new Command("create-token", "Create an API token and print it (only the token, on standard output).") { tokenName, tokenRole };
        createToken.SetAction(async (parse, ct) =>
        {
            await app.Services.PrepareDatabaseAsync(app.Configuration, ct);
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System());
            var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(parse.GetValue(tokenName), parse.GetValue(tokenRole), ct);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync(result.Describe());
                return 2;
            }

            await Console.Error.WriteLineAsync($"Created API token \"{result.Value!.Token.Name}\" ({result.Value.Token.Role}, {result.Value.Token.Prefix}). It is shown only now:");
            Console.WriteLine(result.Value.Secret);
            return 0;
        });

        var root = new RootCommand("NodiRef.Admin maintenance commands.") { seed, createToken };
        return await root.Parse(args).InvokeAsync();
    }
}
