using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PeriodKey = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_sets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "target_items",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SetId = table.Column<long>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Measure = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ItemId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: true),
                    CadreId = table.Column<long>(type: "INTEGER", nullable: true),
                    Goal = table.Column<double>(type: "REAL", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GoalId = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<double>(type: "REAL", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ReportedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReportedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReportedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
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
