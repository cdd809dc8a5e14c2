using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrackingTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_EventKey",
                table: "conversions");

            migrationBuilder.AddColumn<DateTime>(
                name: "LeasedUntil",
                table: "idempotency_records",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TokenId",
                table: "conversions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CreatedById",
                table: "api_tokens",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "api_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_conversions_TokenId_EventKey",
                table: "conversions",
                columns: new[] { "TokenId", "EventKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conversions_TokenId_EventKey",
                table: "conversions");

            migrationBuilder.DropColumn(
                name: "LeasedUntil",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "TokenId",
                table: "conversions");

            migrationBuilder.DropColumn(
                name: "CreatedById",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "api_tokens");

            migrationBuilder.CreateIndex(
                name: "IX_conversions_EventKey",
                table: "conversions",
                column: "EventKey",
                unique: true);
        }
    }
}
