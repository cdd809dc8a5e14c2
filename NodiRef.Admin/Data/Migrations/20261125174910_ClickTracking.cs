using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClickTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_clicks_ProjectId",
                table: "clicks");

            migrationBuilder.CreateTable(
                name: "click_daily",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LinkId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectKey = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PartnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_click_daily", x => new { x.Day, x.LinkId, x.ProjectKey, x.Status });
                });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_ProjectId_CreatedAt",
                table: "clicks",
                columns: new[] { "ProjectId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_clicks_Status_CreatedAt",
                table: "clicks",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_click_daily_LinkId_Day",
                table: "click_daily",
                columns: new[] { "LinkId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_click_daily_PartnerId_Day",
                table: "click_daily",
                columns: new[] { "PartnerId", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "click_daily");

            migrationBuilder.DropIndex(
                name: "IX_clicks_ProjectId_CreatedAt",
                table: "clicks");

            migrationBuilder.DropIndex(
                name: "IX_clicks_Status_CreatedAt",
                table: "clicks");

            migrationBuilder.CreateIndex(
                name: "IX_clicks_ProjectId",
                table: "clicks",
                column: "ProjectId");
        }
    }
}
