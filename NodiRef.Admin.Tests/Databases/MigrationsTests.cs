using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using NodiRef.Admin.Data;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Databases;

/// <summary>
/// Each provider's migrations hold the whole model: a change to an entity or its configuration
/// without a migration for both databases fails here (and names the command that fixes it).
/// </summary>
public sealed class MigrationsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void The_migrations_contain_every_change_of_the_model(DatabaseProvider provider)
    {
        // Comparing models needs no server.
        using var db = DesignTimeContext(provider);

        var differences = Differences(db);

        Assert.True(
            differences.Count == 0 && !db.Database.HasPendingModelChanges(),
            $"The {provider} migrations miss model changes ({string.Join("; ", differences.Select(Describe))}). Add a migration for EACH provider: "
            + $"dotnet ef migrations add <Name> --project NodiRef.Admin --context {db.GetType().Name} --output-dir Data/Migrations/{provider}");
    }

    [Fact]
    public void Existing_sqlite_databases_keep_their_migration_history()
    {
        using var db = DesignTimeContext(DatabaseProvider.Sqlite);

        // The ids recorded in __EFMigrationsHistory of databases created before PostgreSQL came.
        Assert.Equal(["20261125171348_Initial", "20261125190527_ApiAndTracking"], db.Database.GetMigrations().Take(2));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Each_provider_has_only_its_own_migrations(DatabaseProvider provider)
    {
        using var db = DesignTimeContext(provider);
        var assembly = db.GetService<IMigrationsAssembly>();

        Assert.NotEmpty(assembly.Migrations);
        Assert.All(assembly.Migrations.Values, type => Assert.Equal($"NodiRef.Admin.Data.Migrations.{provider}", type.Namespace));
        Assert.Equal($"NodiRef.Admin.Data.Migrations.{provider}", assembly.ModelSnapshot!.GetType().Namespace);
    }

    [Fact]
    public async Task Postgres_migrations_apply_to_an_empty_database_once_when_two_instances_start_together()
    {
        var server = TestProvider.RequirePostgres();
        var connectionString = await PostgresDatabases.CreateEmptyAsync(server, Ct);
        try
        {
            await using var first = AppDatabase.CreateContext(DatabaseProvider.Postgres, o => o.UseAppDatabase(DatabaseProvider.Postgres, connectionString));
            await using var second = AppDatabase.CreateContext(DatabaseProvider.Postgres, o => o.UseAppDatabase(DatabaseProvider.Postgres, connectionString));

            await Task.WhenAll(DatabaseStartup.MigrateAsync(first, new PostgresDatabaseLock(), Ct), DatabaseStartup.MigrateAsync(second, new PostgresDatabaseLock(), Ct));

            Assert.Empty(await first.Database.GetPendingMigrationsAsync(Ct));
            Assert.Equal(first.Database.GetMigrations(), await second.Database.GetAppliedMigrationsAsync(Ct));
            Assert.Equal(0, await first.Partners.CountAsync(Ct));
        }
        finally
        {
            await PostgresDatabases.DropAsync(connectionString);
        }
    }

    private static AppDbContext DesignTimeContext(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDesignTimeContext().CreateDbContext([]),
        _ => new PostgresDesignTimeContext().CreateDbContext([]),
    };

    // What HasPendingModelChanges compares, kept to say what differs.
    private static IReadOnlyList<MigrationOperation> Differences(AppDbContext db)
    {
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model;
        if (snapshot is IMutableModel mutable)
        {
            snapshot = mutable.FinalizeModel();
        }

        var source = snapshot is null ? null : db.GetService<IModelRuntimeInitializer>().Initialize(snapshot).GetRelationalModel();
        return db.GetService<IMigrationsModelDiffer>().GetDifferences(source, db.GetService<IDesignTimeModel>().Model.GetRelationalModel());
    }

    private static string Describe(MigrationOperation operation) => operation switch
    {
        TableOperation t => $"{operation.GetType().Name} {t.Name}",
        ColumnOperation c => $"{operation.GetType().Name} {c.Table}.{c.Name}",
        CreateIndexOperation i => $"{operation.GetType().Name} {i.Table}.{i.Name}",
        DropIndexOperation i => $"{operation.GetType().Name} {i.Table}.{i.Name}",
        _ => operation.GetType().Name,
    };
}
