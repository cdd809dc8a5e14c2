namespace NodiRef.Admin.Hosting;

/// <summary>
/// Which database the app uses: <c>Database:Provider</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>)
/// and <c>ConnectionStrings:Default</c>; as environment variables <c>Database__Provider</c> and
/// <c>ConnectionStrings__Default</c>. On SQLite, <c>Database:SqliteSynchronous</c> (<c>Full</c>, the
/// default, or <c>Normal</c>) chooses what an acknowledged write survives (<see cref="Data.SqliteSynchronous"/>).
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString, SqliteSynchronous SqliteSynchronous = SqliteSynchronous.Full)
{
    public const string ProviderKey = "Database:Provider";
    public const string SqliteSynchronousKey = "Database:SqliteSynchronous";
}
