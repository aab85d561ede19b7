using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Duban.Data.Postgres.Migrations
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

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HandlingSince",
                table: "matters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UnitId",
                table: "lookbacks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "matter_tallies",
                columns: table => new
                {
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Dimension = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_tallies", x => new { x.UnitId, x.Dimension, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "matter_tally_deltas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Dimension = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_tally_deltas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "unit_day_facts",
                columns: table => new
                {
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Assigned = table.Column<long>(type: "bigint", nullable: false),
                    Returned = table.Column<long>(type: "bigint", nullable: false),
                    TransferredOut = table.Column<long>(type: "bigint", nullable: false),
                    Redone = table.Column<long>(type: "bigint", nullable: false),
                    RatedSatisfied = table.Column<long>(type: "bigint", nullable: false),
                    RatedBasically = table.Column<long>(type: "bigint", nullable: false),
                    RatedDissatisfied = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeOnTime = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeLate = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgePending = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackOnTime = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackLate = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackPending = table.Column<long>(type: "bigint", nullable: false),
                    CompleteOnTime = table.Column<long>(type: "bigint", nullable: false),
                    CompleteWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    CompleteLate = table.Column<long>(type: "bigint", nullable: false),
                    CompletePending = table.Column<long>(type: "bigint", nullable: false),
                    CompletionWorkingDays = table.Column<long>(type: "bigint", nullable: false),
                    SpedUp = table.Column<long>(type: "bigint", nullable: false),
                    Resolved = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_day_facts", x => new { x.Day, x.UnitId, x.Role });
                });

            migrationBuilder.CreateTable(
                name: "unit_day_matters",
                columns: table => new
                {
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    MatterId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_day_matters", x => new { x.UnitId, x.Day, x.MatterId });
                });

            migrationBuilder.CreateTable(
                name: "unit_fact_deltas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MatterId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Assigned = table.Column<long>(type: "bigint", nullable: false),
                    Returned = table.Column<long>(type: "bigint", nullable: false),
                    TransferredOut = table.Column<long>(type: "bigint", nullable: false),
                    Redone = table.Column<long>(type: "bigint", nullable: false),
                    RatedSatisfied = table.Column<long>(type: "bigint", nullable: false),
                    RatedBasically = table.Column<long>(type: "bigint", nullable: false),
                    RatedDissatisfied = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeOnTime = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeLate = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgePending = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackOnTime = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackLate = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackPending = table.Column<long>(type: "bigint", nullable: false),
                    CompleteOnTime = table.Column<long>(type: "bigint", nullable: false),
                    CompleteWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    CompleteLate = table.Column<long>(type: "bigint", nullable: false),
                    CompletePending = table.Column<long>(type: "bigint", nullable: false),
                    CompletionWorkingDays = table.Column<long>(type: "bigint", nullable: false),
                    SpedUp = table.Column<long>(type: "bigint", nullable: false),
                    Resolved = table.Column<long>(type: "bigint", nullable: false)
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
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Assigned = table.Column<long>(type: "bigint", nullable: false),
                    Returned = table.Column<long>(type: "bigint", nullable: false),
                    TransferredOut = table.Column<long>(type: "bigint", nullable: false),
                    Redone = table.Column<long>(type: "bigint", nullable: false),
                    RatedSatisfied = table.Column<long>(type: "bigint", nullable: false),
                    RatedBasically = table.Column<long>(type: "bigint", nullable: false),
                    RatedDissatisfied = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeOnTime = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgeLate = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgePending = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackOnTime = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackLate = table.Column<long>(type: "bigint", nullable: false),
                    FeedbackPending = table.Column<long>(type: "bigint", nullable: false),
                    CompleteOnTime = table.Column<long>(type: "bigint", nullable: false),
                    CompleteWithinExtension = table.Column<long>(type: "bigint", nullable: false),
                    CompleteLate = table.Column<long>(type: "bigint", nullable: false),
                    CompletePending = table.Column<long>(type: "bigint", nullable: false),
                    CompletionWorkingDays = table.Column<long>(type: "bigint", nullable: false),
                    SpedUp = table.Column<long>(type: "bigint", nullable: false),
                    Resolved = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_month_facts", x => new { x.Day, x.UnitId, x.Role });
                });

            migrationBuilder.CreateTable(
                name: "weekly_session_counters",
                columns: table => new
                {
                    OwnerUnitId = table.Column<long>(type: "bigint", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_weekly_session_counters", x => new { x.OwnerUnitId, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "weekly_sessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerUnitId = table.Column<long>(type: "bigint", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Meeting = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SentByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_weekly_sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_weekly_sessions_units_OwnerUnitId",
                        column: x => x.OwnerUnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "weekly_session_matters",
                columns: table => new
                {
                    SessionId = table.Column<long>(type: "bigint", nullable: false),
                    MatterId = table.Column<long>(type: "bigint", nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_weekly_session_matters", x => new { x.SessionId, x.MatterId });
                    table.ForeignKey(
                        name: "FK_weekly_session_matters_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_weekly_session_matters_weekly_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "weekly_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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

            migrationBuilder.CreateIndex(
                name: "IX_weekly_session_matters_MatterId",
                table: "weekly_session_matters",
                column: "MatterId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_weekly_sessions_OwnerUnitId_Year_Number",
                table: "weekly_sessions",
                columns: new[] { "OwnerUnitId", "Year", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "matter_tallies");

            migrationBuilder.DropTable(
                name: "matter_tally_deltas");

            migrationBuilder.DropTable(
                name: "unit_day_facts");

            migrationBuilder.DropTable(
                name: "unit_day_matters");

            migrationBuilder.DropTable(
                name: "unit_fact_deltas");

            migrationBuilder.DropTable(
                name: "unit_month_facts");

            migrationBuilder.DropTable(
                name: "weekly_session_counters");

            migrationBuilder.DropTable(
                name: "weekly_session_matters");

            migrationBuilder.DropTable(
                name: "weekly_sessions");

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
