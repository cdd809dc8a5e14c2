using System.Data.Common;

namespace NodiRef.Admin.Data;

/// <summary>A referral link as the click writer needs it, with its partner's and project's state.</summary>
public sealed record TrackedLink(
    int Id,
    string Code,
    int PartnerId,
    int? ProjectId,
    string? TargetUrl,
    PartnerStatus PartnerStatus,
    ProjectStatus? ProjectStatus,
    string? LandingUrl);

/// <summary>
/// Opens the click writer's <see cref="ClickStore"/>, as <c>IDbContextFactory</c> opens a context: one per
/// database (<see cref="SqliteClickStore"/>, <see cref="PostgresClickStore"/>), registered by
/// <see cref="AppDatabase.AddAppDatabase"/>.
/// </summary>
public interface IClickStoreFactory
{
    /// <summary>A store on a connection of its own, kept open until the store is disposed.</summary>
    Task<ClickStore> OpenAsync(CancellationToken ct = default);
}

/// <summary>
/// The SQL of the tracking hot path, on one connection that the click writer keeps open. Every
/// statement has a fixed shape, is compiled once and re-executed with new values: a statement with
/// hundreds of named parameters costs more to bind than to run (Microsoft.Data.Sqlite looks each
/// name up in the statement, which is quadratic), and re-parsing the SQL of every batch is wasted.
/// Values are bound as each database stores them. What differs between the databases (how the rollups
/// keep up, whether anyone else may write, how clicks go in) is the business of each subclass.
/// </summary>
public abstract class ClickStore : IAsyncDisposable
{
    private readonly AppDbContext _db;
    private readonly Dictionary<string, DbCommand> _commands = [];

    private protected ClickStore(AppDbContext db)
    {
        _db = db;
        Connection = db.Database.GetDbConnection();
    }

    /// <summary>The store's own connection (for tests that check its settings).</summary>
    internal DbConnection Connection { get; }

    /// <summary>
    /// Whether the rollups trail the clicks (<see cref="ClickRollupState"/>): true where one writer owns the
    /// database, so click ids are committed in order and "every click after id N" is exact; readers then add
    /// the clicks after N themselves (<see cref="IClickCounts"/>). False where each batch adds to the rollups
    /// in its own transaction.
    /// </summary>
    public abstract bool DefersRollups { get; }

    /// <summary>Starts a write transaction (on SQLite it takes the write lock at once: BEGIN IMMEDIATE).</summary>
    public virtual async Task<DbTransaction> BeginAsync(CancellationToken ct = default) => await Connection.BeginTransactionAsync(ct);

    /// <summary>Commits a transaction of <see cref="BeginAsync"/>.</summary>
    public virtual Task CommitAsync(DbTransaction tx, CancellationToken ct = default) => tx.CommitAsync(ct);

    /// <summary>
    /// Changes at least whenever the database was written by anyone but this store since the last
    /// call; null when the database cannot tell, so nothing read earlier may be trusted. Call it inside
    /// the write transaction, where no one else can write until it commits; compare it with its value
    /// taken after the store's own commit.
    /// </summary>
    public abstract Task<(long, long)?> ChangeStampAsync(DbTransaction? tx, CancellationToken ct = default);

    /// <summary>The links with these code keys, with their partner's status and their project's status and landing page.</summary>
    public async Task<IReadOnlyList<(string CodeKey, TrackedLink Link)>> FindLinksAsync(DbTransaction tx, IReadOnlyCollection<string> codeKeys, CancellationToken ct = default)
    {
        // One statement for any number of keys: the list is a single parameter.
        var cmd = Command(tx, "links", $"""
            SELECT l."CodeKey", l."Id", l."Code", l."PartnerId", l."ProjectId", l."TargetUrl", p."Status", pr."Status", pr."LandingUrl"
            FROM referral_links l
            JOIN partners p ON p."Id" = l."PartnerId"
            LEFT JOIN projects pr ON pr."Id" = l."ProjectId"
            {LinksByKeys}
            """, 1);
        cmd.Parameters[0].Value = KeyList(codeKeys);
        var links = new List<(string, TrackedLink)>(codeKeys.Count);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            links.Add((reader.GetString(0), new TrackedLink(
                reader.GetInt32(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                Enum.Parse<PartnerStatus>(reader.GetString(6)),
                reader.IsDBNull(7) ? null : Enum.Parse<ProjectStatus>(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8))));
        }

        return links;
    }

    /// <summary>Appends clicks (and, where the rollups do not trail them, adds them to the rollups) in the caller's transaction.</summary>
    public Task AddAsync(DbTransaction tx, IReadOnlyList<Click> clicks, CancellationToken ct = default)
    {
        foreach (var click in clicks)
        {
            // Stored as EF stores every DateTime (UtcDateTimeConverter): to the microsecond, so the click
            // compares equal to its own time read back, on both databases.
            click.CreatedAt = UtcDateTimeConverter.ToMicroseconds(click.CreatedAt);
        }

        return AppendAsync(tx, clicks, ct);
    }

    /// <summary>
    /// Where the rollups trail the clicks: counts every click after <see cref="ClickRollupState.RolledUpThrough"/>
    /// into them and moves that mark to the last click, in the caller's transaction; answers the number of
    /// clicks counted (none where nothing trails).
    /// </summary>
    public abstract Task<long> RollUpAsync(DbTransaction tx, CancellationToken ct = default);

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var cmd in _commands.Values)
        {
            await cmd.DisposeAsync();
        }

        await _db.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The WHERE clause (and any row lock) that picks the links whose <c>l."CodeKey"</c> is in the list bound to <c>@p0</c>.</summary>
    private protected abstract string LinksByKeys { get; }

    /// <summary>The code keys as the value bound to <c>@p0</c> of <see cref="LinksByKeys"/>.</summary>
    private protected abstract object KeyList(IReadOnlyCollection<string> codeKeys);

    /// <summary>Writes the clicks, whose times are already as the database stores them.</summary>
    private protected abstract Task AppendAsync(DbTransaction tx, IReadOnlyList<Click> clicks, CancellationToken ct);

    /// <summary>Opens a context's connection for a store, with <paramref name="sessionSql"/> run on it first (if any).</summary>
    private protected static async Task<ClickStore> ConnectAsync(IDbContextFactory<AppDbContext> dbFactory, string? sessionSql, Func<AppDbContext, ClickStore> create, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            if (sessionSql is not null)
            {
                await db.Database.ExecuteSqlRawAsync(sessionSql, ct);
            }

            return create(db);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The statement under this name, created on first use and reused from then on.</summary>
    private protected DbCommand Command(DbTransaction? tx, string name, string sql, int parameters)
    {
        if (!_commands.TryGetValue(name, out var cmd))
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < parameters; i++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@p" + i;
                p.Value = DBNull.Value;
                cmd.Parameters.Add(p);
            }

            // Microsoft.Data.Sqlite compiles the statement on its first run and keeps it while the text stays the same.
            _commands[name] = cmd;
        }

        cmd.Transaction = tx;
        return cmd;
    }
}
