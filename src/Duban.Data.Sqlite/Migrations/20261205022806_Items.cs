using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Items : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_milestones_MatterId_Stage",
                table: "milestones");

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "milestones",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Node",
                table: "milestones",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Colour",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CycleDay",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CycleKind",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ParentId",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Percent",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Register",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Node",
                table: "extension_requests",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "item_colour_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_item_colour_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_item_colour_changes_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_milestones_MatterId_Stage_Node",
                table: "milestones",
                columns: new[] { "MatterId", "Stage", "Node" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_Kind_Register_Colour",
                table: "matters",
                columns: new[] { "Kind", "Register", "Colour" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_ParentId",
                table: "matters",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_item_colour_changes_MatterId_At",
                table: "item_colour_changes",
                columns: new[] { "MatterId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "item_colour_changes");

            migrationBuilder.DropIndex(
                name: "IX_milestones_MatterId_Stage_Node",
                table: "milestones");

            migrationBuilder.DropIndex(
                name: "IX_matters_Kind_Register_Colour",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_ParentId",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "Node",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "Colour",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "CycleDay",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "CycleKind",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ParentId",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Percent",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Register",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Node",
                table: "extension_requests");

            migrationBuilder.CreateIndex(
                name: "IX_milestones_MatterId_Stage",
                table: "milestones",
                columns: new[] { "MatterId", "Stage" },
                unique: true);
        }
    }
}
