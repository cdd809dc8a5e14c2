using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TokenId",
                table: "conversions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CreatedById",
                table: "api_tokens",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "api_tokens",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_conversions_TokenId_EventKey",
                table: "conversions",
                columns: new[] { "TokenId", "EventKey" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });
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
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });
        }
    }
}
