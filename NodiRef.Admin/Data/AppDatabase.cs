using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NodiRef.Admin.Data;

/// <summary>
/// Wires <see cref="AppDbContext"/> to a provider: the provider's context subclass (and so its
/// migrations) behind <c>IDbContextFactory&lt;AppDbContext&gt;</c>, which is all the features use, and
/// the provider's strategy for each job EF does not translate. This is the one place that picks by provider.
/// </summary>
public static class AppDatabase
{
    /// <summary>
    /// Registers <c>IDbContextFactory&lt;AppDbContext&gt;</c> (one context per operation), a scoped
    /// <see cref="AppDbContext"/> (Identity's stores, the health check, Data Protection's key ring), and the
    /// provider's <see cref="IClickStoreFactory"/>, <see cref="IClickCounts"/>, <see cref="IDatabaseLock"/> and
    /// <see cref="IBulkLoader"/> and <see cref="IPartnerSearch"/> (on SQLite also the <see cref="WalCheckpointer"/>).
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, DatabaseProvider provider, Action<DbContextOptionsBuilder> configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                Register<SqliteAppDbContext>(services, configure);
                services.AddSingleton<WalCheckpointer>();
                services.AddSingleton<IClickStoreFactory, SqliteClickStore.Factory>();
                services.AddSingleton<IClickCounts, SqliteClickCounts>();
                services.AddSingleton<IDatabaseLock, SqliteDatabaseLock>();
                services.AddSingleton<IBulkLoader, SqliteBulkLoader>();
                services.AddSingleton<IPartnerSearch, SqlitePartnerSearch>();
                return services;
            case DatabaseProvider.Postgres:
                Register<PostgresAppDbContext>(services, configure);
                services.AddSingleton<IClickStoreFactory, PostgresClickStore.Factory>();
                services.AddSingleton<IClickCounts, PostgresClickCounts>();
                services.AddSingleton<IDatabaseLock, PostgresDatabaseLock>();
                services.AddSingleton<IBulkLoader, PostgresBulkLoader>();
                services.AddSingleton<IPartnerSearch, PostgresPartnerSearch>();
                return services;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a database provider.");
        }
    }

    /// <summary>
    /// Points the options at a database by connection string, with the provider's settings (on SQLite the
    /// per-connection pragmas, <paramref name="synchronous"/> among them).
    /// </summary>
    public static DbContextOptionsBuilder UseAppDatabase(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, SqliteSynchronous synchronous = SqliteSynchronous.Full) =>
        provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas(synchronous)).ConfigureWarnings(ReviewedMigrationWarnings),
            DatabaseProvider.Postgres => options.UseNpgsql(connectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a database provider."),
        };

    /// <summary>
    /// Warnings for the migrations' authors, not for whoever installs them: <c>AppendOnlyClicks</c> rebuilds the click
    /// log with foreign keys off (a pragma SQLite runs outside a transaction) and then adds its triggers, as reviewed
    /// when it was written; every fresh SQLite install would otherwise start with two warnings that it "may not be
    /// in an expected state".
    /// </summary>
    private static void ReviewedMigrationWarnings(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(SqliteEventId.TableRebuildPendingWarning, RelationalEventId.NonTransactionalMigrationOperationWarning);

    /// <summary>Points the options at an open connection (a test's in-memory SQLite database, say).</summary>
    public static DbContextOptionsBuilder UseAppDatabase(this DbContextOptionsBuilder options, DatabaseProvider provider, DbConnection connection) =>
        provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connection),
            DatabaseProvider.Postgres => options.UseNpgsql(connection),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a database provider."),
        };

    /// <summary>A context of the provider's type on the given options (for tools and tests that build their own).</summary>
    public static AppDbContext CreateContext(DatabaseProvider provider, Action<DbContextOptionsBuilder> configure)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteAppDbContext>();
                configure(sqlite);
                return new SqliteAppDbContext(sqlite.Options);
            case DatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresAppDbContext>();
                configure(postgres);
                return new PostgresAppDbContext(postgres.Options);
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a database provider.");
        }
    }

    private static void Register<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : AppDbContext
    {
        services.AddDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<AppDbContext>, ContextFactory<TContext>>();
        // Identity's stores save users and roles on the scope's context: recorded under the scope's current user.
        services.AddScoped<AppDbContext>(sp =>
        {
            var db = sp.GetRequiredService<TContext>();
            db.Auditor ??= new Auditor(sp.GetRequiredService<Features.Common.CurrentUser>().ActorAsync, sp.GetRequiredService<TimeProvider>());
            return db;
        });
    }

    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
