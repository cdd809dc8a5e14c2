using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Databases;

/// <summary>The settings every SQLite connection of the app gets.</summary>
public sealed class SqlitePragmaTests
{
    [Fact]
    public async Task App_connections_use_the_write_ahead_log_and_keep_it_bounded()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var app = new ApiFactory(DatabaseProvider.Sqlite);
        await app.InitializeAsync();
        await using var db = app.Db();
        await db.Database.OpenConnectionAsync(ct);

        async Task<string?> PragmaAsync(string name)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"PRAGMA {name}";
            return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(("wal", "67108864"), (await PragmaAsync("journal_mode"), await PragmaAsync("journal_size_limit")));
    }
}
