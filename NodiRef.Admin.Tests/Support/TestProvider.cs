using NodiRef.Admin.Data;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Which database the service, API and tracking tests run on, chosen per test run:
/// <c>NODIREF_TEST_PROVIDER</c> is <c>Sqlite</c> (the default) or <c>Postgres</c>. A PostgreSQL run needs
/// <c>NODIREF_TEST_POSTGRES</c>, a connection string of a role that may create databases (each test,
/// or test class, gets a database of its own). <c>.ci/run</c> runs the suite on both.
/// </summary>
public static class TestProvider
{
    public const string ProviderVariable = "NODIREF_TEST_PROVIDER";
    public const string PostgresVariable = "NODIREF_TEST_POSTGRES";

    /// <summary>The provider of this run's parametrised fixtures.</summary>
    public static DatabaseProvider Current { get; } = DatabaseConfiguration.ParseProvider(Environment.GetEnvironmentVariable(ProviderVariable));

    /// <summary>The PostgreSQL server's connection string, or null when none was given.</summary>
    public static string? PostgresConnectionString { get; } = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// The PostgreSQL connection string for a test that needs PostgreSQL whatever the run's provider.
    /// Without one the test is skipped on a developer's machine, and fails in CI (<c>CI</c> set), so
    /// CI can never pass without having run it. A given but unreachable server fails the test too.
    /// </summary>
    public static string RequirePostgres()
    {
        if (PostgresConnectionString is { } connectionString)
        {
            return connectionString;
        }

        var message = $"{PostgresVariable} is not set: this test needs a PostgreSQL server (see README, \"Test it\": .ci/postgres starts one).";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return null!;
    }

    /// <summary>The server's connection string for the fixtures of a PostgreSQL run; a run without one fails.</summary>
    internal static string PostgresForRun() => PostgresConnectionString
        ?? throw new InvalidOperationException($"{ProviderVariable}=Postgres needs {PostgresVariable}, the connection string of a role that may create databases.");
}
