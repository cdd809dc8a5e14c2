using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropUnusedRollupLinkIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_click_daily_LinkId_Day",
                table: "click_daily");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_click_daily_LinkId_Day",
                table: "click_daily",
                columns: new[] { "LinkId", "Day" });
        }
    }
}
