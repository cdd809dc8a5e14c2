using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
{
    /// <summary>
    /// Partner search anywhere in a word: pg_trgm GIN indexes on the lower-cased name, the external id and the
    /// upper-cased link code, which serve <c>LIKE</c>/<c>ILIKE '%term%'</c> (<see cref="PostgresPartnerSearch"/>).
    /// pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    /// </summary>
    public partial class PartnerSubstringSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX \"IX_partners_NameSearch_trgm\" ON partners USING gin (\"NameSearch\" gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_partners_ExternalId_trgm\" ON partners USING gin (\"ExternalId\" gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_referral_links_CodeKey_trgm\" ON referral_links USING gin (\"CodeKey\" gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_referral_links_CodeKey_trgm\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_partners_ExternalId_trgm\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_partners_NameSearch_trgm\";");
        }
    }
}
