using Microsoft.EntityFrameworkCore;

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
}
