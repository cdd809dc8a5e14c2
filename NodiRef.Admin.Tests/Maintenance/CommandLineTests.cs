using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Maintenance;

/// <summary><c>create-token</c> run as from a shell, on an app of its own over a fresh SQLite file.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nodiref-cli-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Database => Path.Combine(_folder, "nodiref.db");

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Create_token_defaults_to_the_dialogs_role_records_no_creator_and_never_expires()
    {
        var (exit, token) = await RunAsync("create-token", "--name", "shop backend");

        Assert.Equal(0, exit);
        Assert.Equal(ApiTokenRoles.Default, token!.Role);
        Assert.Equal(Roles.Tracking, token.Role);
        Assert.Null(token.CreatedById);
        Assert.Null(token.ExpiresAt);
    }

    [Fact]
    public async Task Create_token_takes_any_token_role_and_an_expiry_in_days()
    {
        var before = DateTime.UtcNow;
        var (exit, token) = await RunAsync("create-token", "--name", "reporting", "--role", Roles.Viewer, "--expires-in-days", "90");

        Assert.Equal(0, exit);
        Assert.Equal(Roles.Viewer, token!.Role);
        Assert.InRange(token.ExpiresAt!.Value, before.AddDays(90), DateTime.UtcNow.AddDays(90));
    }

    [Theory]
    [InlineData("--expires-in-days", "0")]
    [InlineData("--role", "Owner")]
    public async Task Create_token_refuses_a_bad_option_and_creates_nothing(string option, string value)
    {
        var (exit, token) = await RunAsync("create-token", "--name", "bad", option, value);

        Assert.NotEqual(0, exit);
        Assert.Null(token);
    }

    private async Task<(int Exit, ApiToken? Token)> RunAsync(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = _folder });
        builder.Configuration[DatabaseOptions.ProviderKey] = nameof(DatabaseProvider.Sqlite);
        builder.Configuration["ConnectionStrings:Default"] = $"Data Source={Database}";
        builder.AddNodiRef();
        await using var app = builder.Build();

        var exit = await CommandLine.RunAsync(app, args);

        if (!File.Exists(Database))
        {
            return (exit, null);
        }

        await using var db = (await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct)).Arranging();
        return (exit, await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(Ct));
    }

    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection($"Data Source={Database}"))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open is left for the temp folder's cleaner.
        }

        return ValueTask.CompletedTask;
    }
}
