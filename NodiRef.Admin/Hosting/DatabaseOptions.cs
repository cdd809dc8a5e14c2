using NodiRef.Admin.Data;

namespace NodiRef.Admin.Hosting;

/// <summary>
/// Which database the app uses: <c>Database:Provider</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>)
/// and <c>ConnectionStrings:Default</c>; as environment variables <c>Database__Provider</c> and
/// <c>ConnectionStrings__Default</c>.
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";
}
