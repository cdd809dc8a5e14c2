using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeanClickLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_clicks_TrackingId",
                table: "clicks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_clicks_TrackingId",
                table: "clicks",
                column: "TrackingId",
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });
        }
    }
}
