namespace NodiRef.Admin.Data;

/// <summary>The model on SQLite; owns the migrations in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);
