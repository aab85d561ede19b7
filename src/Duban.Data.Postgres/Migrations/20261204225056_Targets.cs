using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Targets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "target_reports");

            migrationBuilder.DropTable(
                name: "target_goals");

            migrationBuilder.DropTable(
                name: "target_items");

            migrationBuilder.DropTable(
                name: "target_sets");
        }
    }
}
