using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// Three indexes of matters carry the id too (<c>INCLUDE</c>), so the reads that want only ids from them read the
    /// index alone (an index-only scan). On PostgreSQL an index row has no id of its own (SQLite's carry the rowid, so
    /// the model's indexes are unchanged): at a million matters
    /// <list type="bullet">
    /// <item><c>(Status, NextDueAt, SupervisionLevel)</c>: the 督查室 board's list of matters needing attention and its
    /// count test the id against the escalated milestones, so every one of the ~27,000 open matters was read from the
    /// table (27,267 buffers, 50 ms a list; 4,556 and 4.6 ms after);</item>
    /// <item><c>(LeadUnitId, Status)</c> and <c>AssignerUnitId</c>: a unit's own matters are a union of ids from these
    /// two and the co-units (<c>VisibleMatters.ReachAsync</c>); a township's 2,111 led matters were read from 2,088
    /// table pages for their ids alone, before each was read again by id (the work list's page of ids 14 ms → 4 ms).</item>
    /// </list>
    /// </summary>
    public partial class OpenMattersIndexOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_Status_NextDueAt_SupervisionLevel";
                CREATE INDEX "IX_matters_Status_NextDueAt_SupervisionLevel" ON matters ("Status", "NextDueAt", "SupervisionLevel") INCLUDE ("Id");
                DROP INDEX "IX_matters_LeadUnitId_Status";
                CREATE INDEX "IX_matters_LeadUnitId_Status" ON matters ("LeadUnitId", "Status") INCLUDE ("Id");
                DROP INDEX "IX_matters_AssignerUnitId";
                CREATE INDEX "IX_matters_AssignerUnitId" ON matters ("AssignerUnitId") INCLUDE ("Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_Status_NextDueAt_SupervisionLevel";
                CREATE INDEX "IX_matters_Status_NextDueAt_SupervisionLevel" ON matters ("Status", "NextDueAt", "SupervisionLevel");
                DROP INDEX "IX_matters_LeadUnitId_Status";
                CREATE INDEX "IX_matters_LeadUnitId_Status" ON matters ("LeadUnitId", "Status");
                DROP INDEX "IX_matters_AssignerUnitId";
                CREATE INDEX "IX_matters_AssignerUnitId" ON matters ("AssignerUnitId");
                """);
        }
    }
}
