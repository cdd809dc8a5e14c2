using Microsoft.EntityFrameworkCore.Design;

namespace NodiRef.Admin.Data;

// What `dotnet ef migrations add <Name> --context SqliteAppDbContext|PostgresAppDbContext` builds the
// model from. Adding a migration never connects, so the connection strings are placeholders.

internal sealed class SqliteDesignTimeContext : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeContext : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost;Database=nodiref_design_time").Options);
}
