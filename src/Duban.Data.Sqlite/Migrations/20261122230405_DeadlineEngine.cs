using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DeadlineEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EscalatedForDueAt",
                table: "milestones",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalatedKinds",
                table: "milestones",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextEscalationAt",
                table: "milestones",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OriginalDueAt",
                table: "milestones",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SupervisionLevel",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "escalations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    MilestoneId = table.Column<long>(type: "INTEGER", nullable: true),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ForDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Manual = table.Column<bool>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Announced = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_escalations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "extension_requests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CurrentDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ProposedDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    RequestedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedByUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_extension_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "accountability_entries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EscalationId = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accountability_entries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_accountability_entries_escalations_EscalationId",
                        column: x => x.EscalationId,
                        principalTable: "escalations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_accountability_entries_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Audience = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalationId = table.Column<long>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeliverAfter = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notices_escalations_EscalationId",
                        column: x => x.EscalationId,
                        principalTable: "escalations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "accountability_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accountability_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_accountability_changes_accountability_entries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "accountability_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_milestones_NextEscalationAt",
                table: "milestones",
                column: "NextEscalationAt");

            migrationBuilder.CreateIndex(
                name: "IX_accountability_changes_EntryId",
                table: "accountability_changes",
                column: "EntryId");

            migrationBuilder.CreateIndex(
                name: "IX_accountability_entries_EscalationId",
                table: "accountability_entries",
                column: "EscalationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_accountability_entries_MatterId",
                table: "accountability_entries",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_accountability_entries_Status_CreatedAt",
                table: "accountability_entries",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_accountability_entries_UnitId",
                table: "accountability_entries",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_escalations_MatterId_At",
                table: "escalations",
                columns: new[] { "MatterId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_escalations_MilestoneId_Kind_ForDueAt",
                table: "escalations",
                columns: new[] { "MilestoneId", "Kind", "ForDueAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_escalations_UnitId_At",
                table: "escalations",
                columns: new[] { "UnitId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_extension_requests_MatterId_Status",
                table: "extension_requests",
                columns: new[] { "MatterId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_extension_requests_Status_RequestedAt",
                table: "extension_requests",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_EscalationId",
                table: "notices",
                column: "EscalationId");

            migrationBuilder.CreateIndex(
                name: "IX_notices_UnitId_ReadAt_DeliverAfter",
                table: "notices",
                columns: new[] { "UnitId", "ReadAt", "DeliverAfter" });

            // Open milestones of matters created before the sweep existed: due for a look at their first rung.
            migrationBuilder.Sql(
                "UPDATE milestones SET \"NextEscalationAt\" = \"DueSoonAt\" WHERE \"MetAt\" IS NULL " +
                "AND \"MatterId\" IN (SELECT \"Id\" FROM matters WHERE \"Status\" <> 'Returned');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accountability_changes");

            migrationBuilder.DropTable(
                name: "extension_requests");

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "accountability_entries");

            migrationBuilder.DropTable(
                name: "escalations");

            migrationBuilder.DropIndex(
                name: "IX_milestones_NextEscalationAt",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "EscalatedForDueAt",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "EscalatedKinds",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "NextEscalationAt",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "OriginalDueAt",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "SupervisionLevel",
                table: "matters");
        }
    }
}
