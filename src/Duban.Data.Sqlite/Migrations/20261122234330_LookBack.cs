using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LookBack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "lookbacks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CheckedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CheckedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ReopenedBySequence = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lookbacks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_lookbacks_MatterId_ClosedAt",
                table: "lookbacks",
                columns: new[] { "MatterId", "ClosedAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_lookbacks_Status_DueAt",
                table: "lookbacks",
                columns: new[] { "Status", "DueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lookbacks");
        }
    }
}
