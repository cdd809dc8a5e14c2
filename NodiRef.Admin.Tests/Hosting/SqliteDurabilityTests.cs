using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>The SQLite pragmas that decide durability are on every connection the app opens: its contexts' and the click writer's.</summary>
public sealed class SqliteDurabilityTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, 2)]
    [InlineData("Full", 2)]
    [InlineData("normal", 1)]
    public async Task Synchronous_and_the_journal_size_limit_are_applied_on_every_app_connection(string? setting, long synchronous)
    {
        var settings = setting is null ? null : new Dictionary<string, string?> { [DatabaseOptions.SqliteSynchronousKey] = setting };
        await using var api = new ApiFactory(DatabaseProvider.Sqlite, settings: settings);
        await api.InitializeAsync();

        await using (var db = api.Db())
        {
            await db.Database.OpenConnectionAsync(Ct);
            Assert.Equal(synchronous, await PragmaAsync(db.Database.GetDbConnection(), "synchronous"));
            Assert.Equal(64L * 1024 * 1024, await PragmaAsync(db.Database.GetDbConnection(), "journal_size_limit"));
            Assert.Equal("wal", (await ScalarAsync(db.Database.GetDbConnection(), "PRAGMA journal_mode"))?.ToString());
        }

        // The click writer's connection is opened the same way, through the app's context factory.
        await using var store = await api.Services.GetRequiredService<IClickStoreFactory>().OpenAsync(Ct);
        Assert.Equal(synchronous, await PragmaAsync(store.Connection, "synchronous"));
        Assert.Equal(64L * 1024 * 1024, await PragmaAsync(store.Connection, "journal_size_limit"));
    }

    [Fact]
    public void An_unknown_synchronous_level_stops_the_start()
    {
        Assert.Equal(SqliteSynchronous.Full, DatabaseConfiguration.ParseSynchronous(null));
        Assert.Equal(SqliteSynchronous.Normal, DatabaseConfiguration.ParseSynchronous(" NORMAL "));
        Assert.Throws<InvalidOperationException>(() => DatabaseConfiguration.ParseSynchronous("off"));
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name) =>
        Convert.ToInt64(await ScalarAsync(connection, $"PRAGMA {name}"), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}
