using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Duban.Data.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Group = table.Column<string>(type: "text", nullable: false),
                    PeriodKind = table.Column<int>(type: "integer", nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: true),
                    OwnerUnitId = table.Column<long>(type: "bigint", nullable: false),
                    CurrentVersion = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false)
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
                name: "card_rules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    Window = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Colour = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_card_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "citations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Issuer = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    PublishedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_citations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "competitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Group = table.Column<string>(type: "text", nullable: false),
                    Stages = table.Column<string>(type: "text", nullable: false),
                    Awards = table.Column<string>(type: "text", nullable: false),
                    PublicityDays = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Standings = table.Column<string>(type: "text", nullable: true),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublicityEnds = table.Column<DateOnly>(type: "date", nullable: true),
                    FinalAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OwnerUnitId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "target_sets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PeriodKey = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_sets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assessment_adjustments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchemeId = table.Column<long>(type: "bigint", nullable: false),
                    PeriodKey = table.Column<string>(type: "text", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Points = table.Column<double>(type: "double precision", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    By = table.Column<string>(type: "text", nullable: false),
                    ByName = table.Column<string>(type: "text", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchemeId = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Rules = table.Column<string>(type: "text", nullable: false),
                    Note = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false)
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
                name: "cards",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RuleId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Colour = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Window = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    WindowFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    WindowTo = table.Column<DateOnly>(type: "date", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IssuedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RevokeReason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cards", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cards_card_rules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "card_rules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_cards_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "citation_units",
                columns: table => new
                {
                    CitationId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_citation_units", x => new { x.CitationId, x.UnitId });
                    table.ForeignKey(
                        name: "FK_citation_units_citations_CitationId",
                        column: x => x.CitationId,
                        principalTable: "citations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_citation_units_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "competition_entries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CompetitionId = table.Column<long>(type: "bigint", nullable: false),
                    StageKey = table.Column<string>(type: "text", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SubmittedBy = table.Column<string>(type: "text", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "text", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CompetitionId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    FiledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FiledBy = table.Column<string>(type: "text", nullable: false),
                    Answer = table.Column<string>(type: "text", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredBy = table.Column<string>(type: "text", nullable: true)
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
                name: "target_items",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SetId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Measure = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Source = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_items", x => x.Id);
                    table.ForeignKey(
                        name: "FK_target_items_target_sets_SetId",
                        column: x => x.SetId,
                        principalTable: "target_sets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assessment_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchemeId = table.Column<long>(type: "bigint", nullable: false),
                    VersionId = table.Column<long>(type: "bigint", nullable: false),
                    PeriodKey = table.Column<string>(type: "text", nullable: false),
                    Rows = table.Column<string>(type: "text", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedBy = table.Column<string>(type: "text", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SchemeId = table.Column<long>(type: "bigint", nullable: false),
                    VersionId = table.Column<long>(type: "bigint", nullable: false),
                    PeriodKey = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OpenedBy = table.Column<string>(type: "text", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                name: "interviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    CardId = table.Column<long>(type: "bigint", nullable: true),
                    Reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RecordedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PersonName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    PersonPost = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_interviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_interviews_cards_CardId",
                        column: x => x.CardId,
                        principalTable: "cards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_interviews_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "target_goals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ItemId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: true),
                    CadreId = table.Column<long>(type: "bigint", nullable: true),
                    Goal = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_goals", x => x.Id);
                    table.CheckConstraint("ck_target_goals_owner", "(\"UnitId\" IS NULL) <> (\"CadreId\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_target_goals_AspNetUsers_CadreId",
                        column: x => x.CadreId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_target_goals_target_items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "target_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_target_goals_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "judge_scores",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SessionId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    JudgeUserId = table.Column<long>(type: "bigint", nullable: false),
                    Scores = table.Column<string>(type: "text", nullable: false),
                    Total = table.Column<double>(type: "double precision", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    SessionId = table.Column<long>(type: "bigint", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false)
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
                    SessionId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "interview_matters",
                columns: table => new
                {
                    InterviewId = table.Column<long>(type: "bigint", nullable: false),
                    MatterId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_interview_matters", x => new { x.InterviewId, x.MatterId });
                    table.ForeignKey(
                        name: "FK_interview_matters_interviews_InterviewId",
                        column: x => x.InterviewId,
                        principalTable: "interviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_interview_matters_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "target_reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GoalId = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<double>(type: "double precision", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ReportedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReportedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DecidedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_reports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_target_reports_target_goals_GoalId",
                        column: x => x.GoalId,
                        principalTable: "target_goals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
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
                name: "IX_cards_RuleId_UnitId_WindowFrom",
                table: "cards",
                columns: new[] { "RuleId", "UnitId", "WindowFrom" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cards_UnitId",
                table: "cards",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_cards_WindowFrom_WindowTo",
                table: "cards",
                columns: new[] { "WindowFrom", "WindowTo" });

            migrationBuilder.CreateIndex(
                name: "IX_citation_units_UnitId",
                table: "citation_units",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_citations_PublishedOn",
                table: "citations",
                column: "PublishedOn");

            migrationBuilder.CreateIndex(
                name: "IX_citations_Year_Number",
                table: "citations",
                columns: new[] { "Year", "Number" },
                unique: true);

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
                name: "IX_interview_matters_MatterId",
                table: "interview_matters",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_interviews_CardId",
                table: "interviews",
                column: "CardId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_interviews_UnitId_RecordedAt",
                table: "interviews",
                columns: new[] { "UnitId", "RecordedAt" });

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

            migrationBuilder.CreateIndex(
                name: "IX_target_goals_CadreId",
                table: "target_goals",
                column: "CadreId");

            migrationBuilder.CreateIndex(
                name: "IX_target_goals_ItemId_CadreId",
                table: "target_goals",
                columns: new[] { "ItemId", "CadreId" },
                unique: true,
                filter: "\"CadreId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_target_goals_ItemId_UnitId",
                table: "target_goals",
                columns: new[] { "ItemId", "UnitId" },
                unique: true,
                filter: "\"UnitId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_target_goals_UnitId",
                table: "target_goals",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_target_items_SetId_Name",
                table: "target_items",
                columns: new[] { "SetId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_target_reports_GoalId_State",
                table: "target_reports",
                columns: new[] { "GoalId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_target_sets_Name_PeriodKey",
                table: "target_sets",
                columns: new[] { "Name", "PeriodKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_adjustments");

            migrationBuilder.DropTable(
                name: "assessment_results");

            migrationBuilder.DropTable(
                name: "citation_units");

            migrationBuilder.DropTable(
                name: "competition_entries");

            migrationBuilder.DropTable(
                name: "competition_objections");

            migrationBuilder.DropTable(
                name: "interview_matters");

            migrationBuilder.DropTable(
                name: "judge_scores");

            migrationBuilder.DropTable(
                name: "judging_entries");

            migrationBuilder.DropTable(
                name: "judging_judges");

            migrationBuilder.DropTable(
                name: "target_reports");

            migrationBuilder.DropTable(
                name: "citations");

            migrationBuilder.DropTable(
                name: "competitions");

            migrationBuilder.DropTable(
                name: "interviews");

            migrationBuilder.DropTable(
                name: "judging_sessions");

            migrationBuilder.DropTable(
                name: "target_goals");

            migrationBuilder.DropTable(
                name: "cards");

            migrationBuilder.DropTable(
                name: "assessment_scheme_versions");

            migrationBuilder.DropTable(
                name: "target_items");

            migrationBuilder.DropTable(
                name: "card_rules");

            migrationBuilder.DropTable(
                name: "assessment_schemes");

            migrationBuilder.DropTable(
                name: "target_sets");
        }
    }
}
