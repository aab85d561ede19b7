using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <summary>
    /// A unit's own matters with what its work list's tab counts test (status, next due, next 临期): the indexes by lead
    /// unit and by assigning unit carry those columns (and, as every SQLite index, the row id), so the counts read a
    /// township's matters from the two indexes alone instead of each from the table by id.
    /// </summary>
    public partial class UnitIndexesForTabCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_AssignerUnitId",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_LeadUnitId_Status",
                table: "matters");

            migrationBuilder.CreateIndex(
                name: "IX_matters_AssignerUnitId_Status_NextDueAt_NextDueSoonAt",
                table: "matters",
                columns: new[] { "AssignerUnitId", "Status", "NextDueAt", "NextDueSoonAt" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_LeadUnitId_Status_NextDueAt_NextDueSoonAt",
                table: "matters",
                columns: new[] { "LeadUnitId", "Status", "NextDueAt", "NextDueSoonAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_AssignerUnitId_Status_NextDueAt_NextDueSoonAt",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_LeadUnitId_Status_NextDueAt_NextDueSoonAt",
                table: "matters");

            migrationBuilder.CreateIndex(
                name: "IX_matters_AssignerUnitId",
                table: "matters",
                column: "AssignerUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_matters_LeadUnitId_Status",
                table: "matters",
                columns: new[] { "LeadUnitId", "Status" });
        }
    }
}
