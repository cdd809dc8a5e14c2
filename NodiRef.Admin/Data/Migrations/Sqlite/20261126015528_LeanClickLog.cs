using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Sqlite
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

            migrationBuilder.AlterColumn<long>(
                name: "Id",
                table: "clicks",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER")
                .OldAnnotation("Sqlite:Autoincrement", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "Id",
                table: "clicks",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER")
                .Annotation("Sqlite:Autoincrement", true);

            migrationBuilder.CreateIndex(
                name: "IX_clicks_TrackingId",
                table: "clicks",
                column: "TrackingId",
                unique: true);
        }
    }
}
