using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// A unit's own matters with what its work list's tab counts test (status, next due, next 临期): the indexes by lead
    /// unit and by assigning unit carry those columns, and on PostgreSQL the id as well (<c>INCLUDE</c>), so the counts
    /// read a township's 2,111 matters from the two indexes alone instead of each from the table by id (8,444 buffers,
    /// 17 ms at a million matters).
    /// </summary>
    public partial class UnitIndexesForTabCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_AssignerUnitId";
                DROP INDEX "IX_matters_LeadUnitId_Status";
                CREATE INDEX "IX_matters_AssignerUnitId_Status_NextDueAt_NextDueSoonAt" ON matters ("AssignerUnitId", "Status", "NextDueAt", "NextDueSoonAt") INCLUDE ("Id");
                CREATE INDEX "IX_matters_LeadUnitId_Status_NextDueAt_NextDueSoonAt" ON matters ("LeadUnitId", "Status", "NextDueAt", "NextDueSoonAt") INCLUDE ("Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_AssignerUnitId_Status_NextDueAt_NextDueSoonAt";
                DROP INDEX "IX_matters_LeadUnitId_Status_NextDueAt_NextDueSoonAt";
                CREATE INDEX "IX_matters_AssignerUnitId" ON matters ("AssignerUnitId") INCLUDE ("Id");
                CREATE INDEX "IX_matters_LeadUnitId_Status" ON matters ("LeadUnitId", "Status") INCLUDE ("Id");
                """);
        }
    }
}
