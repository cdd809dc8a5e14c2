using System.CommandLine;
using NodiRef.Admin.Features.ApiTokens;

namespace NodiRef.Admin.Hosting;

/// <summary>Maintenance commands run with <c>dotnet run --project NodiRef.Admin -- &lt;command&gt;</c>.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["seed", "create-token"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var tokenName = new Option<string>("--name") { Description = "What the token is for, e.g. \"billing backend\".", Required = true };
        var tokenRole = new Option<string>("--role")
        {
            Description = "The token's role (default " + ApiTokenRoles.Default + "). " + string.Join(" ", ApiTokenRoles.All.Select(ApiTokenRoles.Describe)),
            DefaultValueFactory = _ => ApiTokenRoles.Default,
        };
        var tokenExpiry = new Option<int?>("--expires-in-days") { Description = "Days until the token stops working by itself (default: never; revoke it any time)." };
        var createToken = new Command("create-token", "Create an API token and print it (only the token, on standard output).") { tokenName, tokenRole, tokenExpiry };
        createToken.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(tokenExpiry) is < 1)
            {
                await Console.Error.WriteLineAsync("--expires-in-days must be 1 or more.");
                return 2;
            }

            await app.Services.PrepareDatabaseAsync(app.Configuration, ct);
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(worker: "command line create-token"));
            var expiresAt = parse.GetValue(tokenExpiry) is { } days
                ? scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(days)
                : (DateTime?)null;
            var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(parse.GetValue(tokenName), parse.GetValue(tokenRole), expiresAt, ct);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync(result.Describe());
                return 2;
            }

            var token = result.Value!.Token;
            var until = token.ExpiresAt is { } at ? $"until {at.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC" : "until revoked";
            await Console.Error.WriteLineAsync($"Created API token \"{token.Name}\" ({token.Role}, {token.Prefix}, {until}). It is shown only now:");
            Console.WriteLine(result.Value.Secret);
            return 0;
        });

        // The demo-data seeder is a program of its own (NodiRef.Admin.Seeder), so its fake-data package is not the app's.
        var seed = new Command("seed", "Moved: dotnet run --project NodiRef.Admin.Seeder -- --partners N --links N [--clicks N].");
        seed.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("The seeder is its own program now: dotnet run --project NodiRef.Admin.Seeder -- --partners 1000 --links 1500");
            return 2;
        });

        var root = new RootCommand("NodiRef.Admin maintenance commands.") { seed, createToken };
        return await root.Parse(args).InvokeAsync();
    }
}
