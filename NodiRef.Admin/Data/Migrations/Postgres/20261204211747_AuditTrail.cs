using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NodiRef.Admin.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActorKind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ActorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    ActorName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    EntityType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    EntityId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    EntityLabel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true, collation: "C"),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ParentType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    ParentId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Changes = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_ActorName_Id",
                table: "audit_events",
                columns: new[] { "ActorName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_At",
                table: "audit_events",
                columns: new[] { "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_EntityType_EntityId_Id",
                table: "audit_events",
                columns: new[] { "EntityType", "EntityId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_ParentType_ParentId_Id",
                table: "audit_events",
                columns: new[] { "ParentType", "ParentId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_events");
        }
    }
}
