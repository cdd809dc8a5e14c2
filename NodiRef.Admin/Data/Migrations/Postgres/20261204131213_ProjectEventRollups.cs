using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProjectEventRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversion_daily_project",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ProjectKey = table.Column<int>(type: "integer", nullable: false),
                    EventType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    AmountWhole = table.Column<long>(type: "bigint", nullable: false),
                    AmountRest = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conversion_daily_project", x => new { x.Day, x.ProjectKey, x.EventType, x.Currency, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "referral_daily_project",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ProjectKey = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_referral_daily_project", x => new { x.Day, x.ProjectKey, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "reward_daily_project",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ProjectKey = table.Column<int>(type: "integer", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    AmountWhole = table.Column<long>(type: "bigint", nullable: false),
                    AmountRest = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reward_daily_project", x => new { x.Day, x.ProjectKey, x.Currency, x.Status });
                });

            migrationBuilder.CreateIndex(
                name: "IX_conversion_daily_project_ProjectKey_Day",
                table: "conversion_daily_project",
                columns: new[] { "ProjectKey", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_referral_daily_project_ProjectKey_Day",
                table: "referral_daily_project",
                columns: new[] { "ProjectKey", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_reward_daily_project_ProjectKey_Day",
                table: "reward_daily_project",
                columns: new[] { "ProjectKey", "Day" });

            // The sums of the per-link rollups already kept.
            migrationBuilder.Sql("""
                INSERT INTO referral_daily_project ("Day", "ProjectKey", "Status", "Count")
                SELECT "Day", "ProjectKey", "Status", SUM("Count") FROM referral_daily
                GROUP BY "Day", "ProjectKey", "Status" HAVING SUM("Count") <> 0
                """);
            migrationBuilder.Sql("""
                INSERT INTO conversion_daily_project ("Day", "ProjectKey", "EventType", "Currency", "Status", "Count", "AmountWhole", "AmountRest")
                SELECT "Day", "ProjectKey", "EventType", "Currency", "Status", SUM("Count"), SUM("AmountWhole"), SUM("AmountRest") FROM conversion_daily
                GROUP BY "Day", "ProjectKey", "EventType", "Currency", "Status" HAVING SUM("Count") <> 0 OR SUM("AmountWhole") <> 0 OR SUM("AmountRest") <> 0
                """);
            migrationBuilder.Sql("""
                INSERT INTO reward_daily_project ("Day", "ProjectKey", "Currency", "Status", "Count", "AmountWhole", "AmountRest")
                SELECT "Day", "ProjectKey", "Currency", "Status", SUM("Count"), SUM("AmountWhole"), SUM("AmountRest") FROM reward_daily
                GROUP BY "Day", "ProjectKey", "Currency", "Status" HAVING SUM("Count") <> 0 OR SUM("AmountWhole") <> 0 OR SUM("AmountRest") <> 0
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversion_daily_project");

            migrationBuilder.DropTable(
                name: "referral_daily_project");

            migrationBuilder.DropTable(
                name: "reward_daily_project");
        }
    }
}
