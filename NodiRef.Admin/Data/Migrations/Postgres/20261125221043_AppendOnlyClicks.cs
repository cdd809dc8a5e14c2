using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppendOnlyClicks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_clicks_partners_PartnerId",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "FK_clicks_projects_ProjectId",
                table: "clicks");

            migrationBuilder.DropForeignKey(
                name: "FK_clicks_referral_links_LinkId",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "IX_clicks_CreatedAt",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "IX_clicks_LinkId_CreatedAt",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "IX_clicks_PartnerId_CreatedAt",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "IX_clicks_ProjectId_CreatedAt",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "IX_clicks_Status_CreatedAt",
                table: "clicks");

            migrationBuilder.CreateTable(
                name: "click_rollup_state",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    RolledUpThrough = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_click_rollup_state", x => x.Id);
                });

            // The rollups so far count every click there is.
            migrationBuilder.Sql("""INSERT INTO click_rollup_state ("Id", "RolledUpThrough") SELECT 1, COALESCE(MAX("Id"), 0) FROM clicks;""");

            migrationBuilder.CreateIndex(
                name: "IX_clicks_CreatedAt_Id_PartnerId_Status_ProjectId",
                table: "clicks",
                columns: new[] { "CreatedAt", "Id", "PartnerId", "Status", "ProjectId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "click_rollup_state");

            migrationBuilder.DropIndex(
                name: "IX_clicks_CreatedAt_Id_PartnerId_Status_ProjectId",
                table: "clicks");

            migrationBuilder.CreateIndex(
                name: "IX_clicks_CreatedAt",
                table: "clicks",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_LinkId_CreatedAt",
                table: "clicks",
                columns: new[] { "LinkId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_PartnerId_CreatedAt",
                table: "clicks",
                columns: new[] { "PartnerId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_ProjectId_CreatedAt",
                table: "clicks",
                columns: new[] { "ProjectId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_Status_CreatedAt",
                table: "clicks",
                columns: new[] { "Status", "CreatedAt", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_clicks_partners_PartnerId",
                table: "clicks",
                column: "PartnerId",
                principalTable: "partners",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_clicks_projects_ProjectId",
                table: "clicks",
                column: "ProjectId",
                principalTable: "projects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_clicks_referral_links_LinkId",
                table: "clicks",
                column: "LinkId",
                principalTable: "referral_links",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
