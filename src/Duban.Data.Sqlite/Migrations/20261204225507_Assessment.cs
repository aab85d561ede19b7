using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Assessment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assessment_schemes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Group = table.Column<string>(type: "TEXT", nullable: false),
                    PeriodKind = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    OwnerUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    CurrentVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_schemes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_assessment_schemes_units_OwnerUnitId",
                        column: x => x.OwnerUnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "competitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Group = table.Column<string>(type: "TEXT", nullable: false),
                    Stages = table.Column<string>(type: "TEXT", nullable: false),
                    Awards = table.Column<string>(type: "TEXT", nullable: false),
                    PublicityDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Standings = table.Column<string>(type: "TEXT", nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PublicityEnds = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FinalAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OwnerUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assessment_adjustments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodKey = table.Column<string>(type: "TEXT", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Points = table.Column<double>(type: "REAL", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: false),
                    ByName = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_adjustments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_assessment_adjustments_assessment_schemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "assessment_schemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assessment_adjustments_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assessment_scheme_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Rules = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_scheme_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_assessment_scheme_versions_assessment_schemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "assessment_schemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "competition_entries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompetitionId = table.Column<long>(type: "INTEGER", nullable: false),
                    StageKey = table.Column<string>(type: "TEXT", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    SubmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SubmittedBy = table.Column<string>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competition_entries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_competition_entries_competitions_CompetitionId",
                        column: x => x.CompetitionId,
                        principalTable: "competitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_competition_entries_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "competition_objections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompetitionId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    FiledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FiledBy = table.Column<string>(type: "TEXT", nullable: false),
                    Answer = table.Column<string>(type: "TEXT", nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AnsweredBy = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competition_objections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_competition_objections_competitions_CompetitionId",
                        column: x => x.CompetitionId,
                        principalTable: "competitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_competition_objections_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assessment_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    VersionId = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodKey = table.Column<string>(type: "TEXT", nullable: false),
                    Rows = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PublishedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_assessment_results_assessment_scheme_versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "assessment_scheme_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assessment_results_assessment_schemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "assessment_schemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "judging_sessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    VersionId = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodKey = table.Column<string>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedBy = table.Column<string>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_judging_sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_judging_sessions_assessment_scheme_versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "assessment_scheme_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_judging_sessions_assessment_schemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "assessment_schemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "judge_scores",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    JudgeUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    Scores = table.Column<string>(type: "TEXT", nullable: false),
                    Total = table.Column<double>(type: "REAL", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_judge_scores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_judge_scores_judging_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "judging_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "judging_entries",
                columns: table => new
                {
                    SessionId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_judging_entries", x => new { x.SessionId, x.UnitId });
                    table.ForeignKey(
                        name: "FK_judging_entries_judging_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "judging_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_judging_entries_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "judging_judges",
                columns: table => new
                {
                    SessionId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_judging_judges", x => new { x.SessionId, x.UserId });
                    table.ForeignKey(
                        name: "FK_judging_judges_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_judging_judges_judging_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "judging_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_adjustments_SchemeId_PeriodKey",
                table: "assessment_adjustments",
                columns: new[] { "SchemeId", "PeriodKey" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_adjustments_UnitId",
                table: "assessment_adjustments",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_results_SchemeId_PeriodKey",
                table: "assessment_results",
                columns: new[] { "SchemeId", "PeriodKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessment_results_VersionId",
                table: "assessment_results",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_scheme_versions_SchemeId_Version",
                table: "assessment_scheme_versions",
                columns: new[] { "SchemeId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessment_schemes_Group_PeriodKind",
                table: "assessment_schemes",
                columns: new[] { "Group", "PeriodKind" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_schemes_OwnerUnitId",
                table: "assessment_schemes",
                column: "OwnerUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_competition_entries_CompetitionId_StageKey_UnitId",
                table: "competition_entries",
                columns: new[] { "CompetitionId", "StageKey", "UnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_competition_entries_UnitId",
                table: "competition_entries",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_competition_objections_CompetitionId",
                table: "competition_objections",
                column: "CompetitionId");

            migrationBuilder.CreateIndex(
                name: "IX_competition_objections_UnitId",
                table: "competition_objections",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_judge_scores_SessionId_UnitId_JudgeUserId",
                table: "judge_scores",
                columns: new[] { "SessionId", "UnitId", "JudgeUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_judging_entries_UnitId",
                table: "judging_entries",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_judging_judges_UserId",
                table: "judging_judges",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_judging_sessions_SchemeId_PeriodKey",
                table: "judging_sessions",
                columns: new[] { "SchemeId", "PeriodKey" });

            migrationBuilder.CreateIndex(
                name: "IX_judging_sessions_VersionId",
                table: "judging_sessions",
                column: "VersionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_adjustments");

            migrationBuilder.DropTable(
                name: "assessment_results");

            migrationBuilder.DropTable(
                name: "competition_entries");

            migrationBuilder.DropTable(
                name: "competition_objections");

            migrationBuilder.DropTable(
                name: "judge_scores");

            migrationBuilder.DropTable(
                name: "judging_entries");

            migrationBuilder.DropTable(
                name: "judging_judges");

            migrationBuilder.DropTable(
                name: "competitions");

            migrationBuilder.DropTable(
                name: "judging_sessions");

            migrationBuilder.DropTable(
                name: "assessment_scheme_versions");

            migrationBuilder.DropTable(
                name: "assessment_schemes");
        }
    }
}
