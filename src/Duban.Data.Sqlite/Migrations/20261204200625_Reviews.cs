using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Reviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_accountability_entries_UnitId",
                table: "accountability_entries");

            migrationBuilder.AddColumn<DateTime>(
                name: "HandlingSince",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UnitId",
                table: "lookbacks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "unit_day_facts",
                columns: table => new
                {
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    Assigned = table.Column<long>(type: "INTEGER", nullable: false),
                    Returned = table.Column<long>(type: "INTEGER", nullable: false),
                    TransferredOut = table.Column<long>(type: "INTEGER", nullable: false),
                    Redone = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedSatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedBasically = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedDissatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeLate = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgePending = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackLate = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackPending = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteLate = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletePending = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletionWorkingDays = table.Column<long>(type: "INTEGER", nullable: false),
                    SpedUp = table.Column<long>(type: "INTEGER", nullable: false),
                    Resolved = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_day_facts", x => new { x.Day, x.UnitId, x.Role });
                });

            migrationBuilder.CreateTable(
                name: "unit_day_matters",
                columns: table => new
                {
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_day_matters", x => new { x.UnitId, x.Day, x.MatterId });
                });

            migrationBuilder.CreateTable(
                name: "unit_fact_deltas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    Assigned = table.Column<long>(type: "INTEGER", nullable: false),
                    Returned = table.Column<long>(type: "INTEGER", nullable: false),
                    TransferredOut = table.Column<long>(type: "INTEGER", nullable: false),
                    Redone = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedSatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedBasically = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedDissatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeLate = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgePending = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackLate = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackPending = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteLate = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletePending = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletionWorkingDays = table.Column<long>(type: "INTEGER", nullable: false),
                    SpedUp = table.Column<long>(type: "INTEGER", nullable: false),
                    Resolved = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_fact_deltas", x => x.Id);
                    table.ForeignKey(
                        name: "FK_unit_fact_deltas_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "unit_month_facts",
                columns: table => new
                {
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    Assigned = table.Column<long>(type: "INTEGER", nullable: false),
                    Returned = table.Column<long>(type: "INTEGER", nullable: false),
                    TransferredOut = table.Column<long>(type: "INTEGER", nullable: false),
                    Redone = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedSatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedBasically = table.Column<long>(type: "INTEGER", nullable: false),
                    RatedDissatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeLate = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgePending = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackLate = table.Column<long>(type: "INTEGER", nullable: false),
                    FeedbackPending = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteOnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteWithinExtension = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteLate = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletePending = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletionWorkingDays = table.Column<long>(type: "INTEGER", nullable: false),
                    SpedUp = table.Column<long>(type: "INTEGER", nullable: false),
                    Resolved = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_month_facts", x => new { x.Day, x.UnitId, x.Role });
                });

            migrationBuilder.CreateIndex(
                name: "IX_lookbacks_Status_CheckedAt",
                table: "lookbacks",
                columns: new[] { "Status", "CheckedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_accountability_entries_UnitId_CreatedAt",
                table: "accountability_entries",
                columns: new[] { "UnitId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_unit_fact_deltas_Day",
                table: "unit_fact_deltas",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_unit_fact_deltas_MatterId",
                table: "unit_fact_deltas",
                column: "MatterId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "unit_day_facts");

            migrationBuilder.DropTable(
                name: "unit_day_matters");

            migrationBuilder.DropTable(
                name: "unit_fact_deltas");

            migrationBuilder.DropTable(
                name: "unit_month_facts");

            migrationBuilder.DropIndex(
                name: "IX_lookbacks_Status_CheckedAt",
                table: "lookbacks");

            migrationBuilder.DropIndex(
                name: "IX_accountability_entries_UnitId_CreatedAt",
                table: "accountability_entries");

            migrationBuilder.DropColumn(
                name: "HandlingSince",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "UnitId",
                table: "lookbacks");

            migrationBuilder.CreateIndex(
                name: "IX_accountability_entries_UnitId",
                table: "accountability_entries",
                column: "UnitId");
        }
    }
}
