namespace NodiRef.Admin.Data;

/// <summary>The model on PostgreSQL; owns the migrations in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    /// <summary>
    /// Text compares and sorts by code point ("C" collation), as SQLite's BINARY does, whatever the
    /// database's locale: lookups, sorting and the prefix ranges of the searches behave the same on
    /// both databases, and B-tree indexes serve range and prefix conditions.
    /// </summary>
    public const string TextCollation = "C";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<string>().UseCollation(TextCollation);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        EndIndexesWithTheKey(builder);
    }

    /// <summary>
    /// Every SQLite index ends with the row id, which the grids use as the tie-break of every sort
    /// (ORDER BY "CreatedAt", "Id") and which semi-joins select (WHERE "Id" IN (SELECT "Id" ... range)).
    /// PostgreSQL's indexes hold only their columns: ending each with the key (as a key column, or an
    /// included one for unique indexes) gives the same index-only ranges and sorted walks.
    /// </summary>
    private static void EndIndexesWithTheKey(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            // The app's own tables; Identity's are looked up by their own keys and names.
            if (entity.ClrType.Namespace != typeof(Domain.Partner).Namespace
                || entity.FindPrimaryKey() is not { Properties: [var key] } || (key.ClrType != typeof(int) && key.ClrType != typeof(long)))
            {
                continue;
            }

            foreach (var index in entity.GetIndexes().Where(i => !i.Properties.Contains(key)).ToList())
            {
                if (index.IsUnique)
                {
                    index.SetIncludeProperties(new[] { key.Name });
                    continue;
                }

                // Added before the old one goes, so the foreign keys it served stay covered (EF drops
                // an index it made for a foreign key by itself once another one covers it).
                var name = index.GetDatabaseName();
                var filter = index.GetFilter();
                var extended = entity.AddIndex([.. index.Properties, key]);
                if (entity.FindIndex(index.Properties) == index)
                {
                    entity.RemoveIndex(index);
                }

                extended.SetDatabaseName(name);
                extended.SetFilter(filter);
            }
        }
    }
}
