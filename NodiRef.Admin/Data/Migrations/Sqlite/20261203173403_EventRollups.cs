using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EventRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversion_daily",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LinkId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectKey = table.Column<int>(type: "INTEGER", nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PartnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    AmountWhole = table.Column<long>(type: "INTEGER", nullable: false),
                    AmountRest = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conversion_daily", x => new { x.Day, x.LinkId, x.ProjectKey, x.EventType, x.Currency, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "referral_daily",
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
                    table.PrimaryKey("PK_referral_daily", x => new { x.Day, x.LinkId, x.ProjectKey, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "reward_daily",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LinkId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectKey = table.Column<int>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PartnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    AmountWhole = table.Column<long>(type: "INTEGER", nullable: false),
                    AmountRest = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reward_daily", x => new { x.Day, x.LinkId, x.ProjectKey, x.Currency, x.Status });
                });

            migrationBuilder.CreateIndex(
                name: "IX_conversion_daily_PartnerId_Day",
                table: "conversion_daily",
                columns: new[] { "PartnerId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_referral_daily_PartnerId_Day",
                table: "referral_daily",
                columns: new[] { "PartnerId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_reward_daily_PartnerId_Day",
                table: "reward_daily",
                columns: new[] { "PartnerId", "Day" });

            // Count what is already there; from now on every save keeps the rollups (Data/EventRollups.cs).
            migrationBuilder.Sql("""
                INSERT INTO referral_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
                SELECT substr("CreatedAt", 1, 10), "LinkId", "ProjectKey", "Status", MIN("PartnerId"), COUNT(*)
                FROM referrals GROUP BY substr("CreatedAt", 1, 10), "LinkId", "ProjectKey", "Status"
                """);
            migrationBuilder.Sql("""
                INSERT INTO conversion_daily ("Day", "LinkId", "ProjectKey", "EventType", "Currency", "Status", "PartnerId", "Count", "AmountWhole", "AmountRest")
                SELECT substr("CreatedAt", 1, 10), "LinkId", COALESCE("ProjectId", 0), "EventType", "Currency", "Status", MIN("PartnerId"), COUNT(*),
                       SUM("AmountUnits" / 100000000), SUM("AmountUnits" % 100000000)
                FROM conversions GROUP BY substr("CreatedAt", 1, 10), "LinkId", COALESCE("ProjectId", 0), "EventType", "Currency", "Status"
                """);
            migrationBuilder.Sql("""
                INSERT INTO reward_daily ("Day", "LinkId", "ProjectKey", "Currency", "Status", "PartnerId", "Count", "AmountWhole", "AmountRest")
                SELECT substr("CreatedAt", 1, 10), "LinkId", COALESCE("ProjectId", 0), "Currency", "Status", MIN("PartnerId"), COUNT(*),
                       SUM("AmountUnits" / 100000000), SUM("AmountUnits" % 100000000)
                FROM rewards GROUP BY substr("CreatedAt", 1, 10), "LinkId", COALESCE("ProjectId", 0), "Currency", "Status"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversion_daily");

            migrationBuilder.DropTable(
                name: "referral_daily");

            migrationBuilder.DropTable(
                name: "reward_daily");
        }
    }
}
