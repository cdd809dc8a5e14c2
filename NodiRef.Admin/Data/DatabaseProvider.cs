namespace NodiRef.Admin.Data;

/// <summary>The databases the app runs on: the same model, each with its own migrations.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
