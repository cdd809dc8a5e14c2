using Microsoft.Extensions.Configuration;
using NodiRef.Admin.Data;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Tests.Databases;

/// <summary>Database:Provider and ConnectionStrings:Default, as settings or environment variables.</summary>
public sealed class DatabaseConfigurationTests
{
    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("Postgres", DatabaseProvider.Postgres)]
    [InlineData("postgresql", DatabaseProvider.Postgres)]
    public void The_provider_is_named_in_any_case_and_defaults_to_sqlite(string? value, DatabaseProvider expected) =>
        Assert.Equal(expected, DatabaseConfiguration.ParseProvider(value));

    [Fact]
    public void An_unknown_provider_is_refused_with_the_choices()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DatabaseConfiguration.ParseProvider("mysql"));

        Assert.Contains("Sqlite", e.Message, StringComparison.Ordinal);
        Assert.Contains("Postgres", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variables_choose_postgres_and_its_connection_string()
    {
        var configuration = Configuration(("Database__Provider", "Postgres"), ("ConnectionStrings__Default", "Host=db;Database=nodiref"));

        var options = DatabaseConfiguration.Resolve(configuration, Path.GetTempPath());

        Assert.Equal(new DatabaseOptions(DatabaseProvider.Postgres, "Host=db;Database=nodiref"), options);
    }

    [Fact]
    public void Postgres_without_a_connection_string_says_what_to_set()
    {
        var configuration = Configuration(("Database__Provider", "Postgres"));

        var e = Assert.Throws<InvalidOperationException>(() => DatabaseConfiguration.Resolve(configuration, Path.GetTempPath()));

        Assert.Contains("ConnectionStrings__Default", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_without_a_connection_string_uses_a_file_in_the_data_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), "nodiref-config-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = DatabaseConfiguration.Resolve(Configuration(), root);

            Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
            Assert.Equal($"Data Source={Path.Combine(root, "App_Data", "nodiref.db")}", options.ConnectionString);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // What the host reads from environment variables: "__" becomes ":".
    private static IConfiguration Configuration(params (string Name, string Value)[] variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Name.Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();
}
