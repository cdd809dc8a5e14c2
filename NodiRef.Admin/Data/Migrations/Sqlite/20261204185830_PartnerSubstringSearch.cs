using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Sqlite
{
    /// <summary>
    /// Partner search anywhere in a word: an FTS5 table with the trigram tokenizer (case-insensitive), one row per
    /// partner (rowid = partner id) with its name, external id and link codes (one per line), filled from the rows
    /// there are and kept by triggers on partners and referral links (<see cref="SqlitePartnerSearch"/>).
    /// </summary>
    public partial class PartnerSubstringSearch : Migration
    {
        private const string Codes = "coalesce((SELECT group_concat(l.\"Code\", char(10)) FROM referral_links AS l WHERE l.\"PartnerId\" = {0}), '')";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE VIRTUAL TABLE partner_search USING fts5(name, external_id, codes, tokenize = 'trigram');");
            migrationBuilder.Sql($"INSERT INTO partner_search (rowid, name, external_id, codes) SELECT p.\"Id\", p.\"Name\", coalesce(p.\"ExternalId\", ''), {string.Format(Codes, "p.\"Id\"")} FROM partners AS p;");
            migrationBuilder.Sql("""
                CREATE TRIGGER partner_search_partner_insert AFTER INSERT ON partners BEGIN
                    INSERT INTO partner_search (rowid, name, external_id, codes) VALUES (new."Id", new."Name", coalesce(new."ExternalId", ''), '');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER partner_search_partner_update AFTER UPDATE OF "Name", "ExternalId" ON partners BEGIN
                    UPDATE partner_search SET name = new."Name", external_id = coalesce(new."ExternalId", '') WHERE rowid = new."Id";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER partner_search_partner_delete AFTER DELETE ON partners BEGIN
                    DELETE FROM partner_search WHERE rowid = old."Id";
                END;
                """);
            // A new code is appended, not gathered again: a bulk load inserts links with their indexes dropped,
            // where a lookup of the partner's other links would scan the table once per row.
            migrationBuilder.Sql("""
                CREATE TRIGGER partner_search_link_insert AFTER INSERT ON referral_links BEGIN
                    UPDATE partner_search SET codes = CASE WHEN codes = '' THEN new."Code" ELSE codes || char(10) || new."Code" END WHERE rowid = new."PartnerId";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER partner_search_link_update AFTER UPDATE OF "Code", "PartnerId" ON referral_links BEGIN
                    UPDATE partner_search SET codes = {string.Format(Codes, "old.\"PartnerId\"")} WHERE rowid = old."PartnerId";
                    UPDATE partner_search SET codes = {string.Format(Codes, "new.\"PartnerId\"")} WHERE rowid = new."PartnerId";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER partner_search_link_delete AFTER DELETE ON referral_links BEGIN
                    UPDATE partner_search SET codes = {string.Format(Codes, "old.\"PartnerId\"")} WHERE rowid = old."PartnerId";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "partner_insert", "partner_update", "partner_delete", "link_insert", "link_update", "link_delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS partner_search_{trigger};");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS partner_search;");
        }
    }
}
