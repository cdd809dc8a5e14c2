namespace NodiRef.Admin.Hosting;

public static class DatabaseConfiguration
{
    /// <summary>
    /// The configured provider and connection string. SQLite needs nothing: without
    /// <c>ConnectionStrings:Default</c> it uses a file in the app's data folder (created on demand).
    /// PostgreSQL needs a connection string.
    /// </summary>
    public static DatabaseOptions Resolve(IConfiguration configuration, string contentRoot)
    {
        var provider = ParseProvider(configuration[DatabaseOptions.ProviderKey]);
        var synchronous = ParseSynchronous(configuration[DatabaseOptions.SqliteSynchronousKey]);
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new DatabaseOptions(provider, configured, synchronous);
        }

        if (provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                "Database:Provider is Postgres but ConnectionStrings:Default is not set; e.g. ConnectionStrings__Default=\"Host=localhost;Database=nodiref;Username=nodiref;Password=...\".");
        }

        var folder = Path.Combine(contentRoot, "App_Data");
        Directory.CreateDirectory(folder);
        return new DatabaseOptions(provider, $"Data Source={Path.Combine(folder, "nodiref.db")}", synchronous);
    }

    /// <summary><c>Sqlite</c> (also when unset) or <c>Postgres</c>, in any case.</summary>
    public static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"Database:Provider \"{value}\" is not supported: use Sqlite (the default) or Postgres."),
    };

    /// <summary><c>Full</c> (also when unset) or <c>Normal</c>, in any case.</summary>
    public static SqliteSynchronous ParseSynchronous(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "FULL" => SqliteSynchronous.Full,
        "NORMAL" => SqliteSynchronous.Normal,
        _ => throw new InvalidOperationException($"Database:SqliteSynchronous \"{value}\" is not supported: use Full (the default) or Normal."),
    };
}
