using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// PostgreSQL reads at a million matters (PostgreSQL only; the model is unchanged).
    /// <list type="bullet">
    /// <item>The keyword index's <c>duban_pairs</c> splits the text into characters once
    /// (<c>string_to_array(text, NULL)</c>) and pairs each with the next, instead of <c>substr(text, i, 2)</c> for every
    /// i, which walks the UTF-8 text from its start each time (quadratic in its length): 3.8 times faster on the
    /// synthetic matters, 4.6 times on a 4,000-character text. Every insert and edit of a matter computes it. The result
    /// is the same set, in the same order, for every text, so the index built with the old body stays valid and is not
    /// rebuilt.</item>
    /// <item>Three indexes of matters carry the id too (<c>INCLUDE</c>), so the reads that want only ids from them read
    /// the index alone (an index-only scan); on PostgreSQL an index row has no id of its own (SQLite's carry the rowid).
    /// <c>(Status, NextDueAt, SupervisionLevel)</c>: the 督查室 board's list of matters needing attention and its count
    /// test the id against the escalated milestones, so every one of the ~27,000 open matters was read from the table
    /// (27,267 buffers, 50 ms a list; 4,556 and 4.6 ms after). <c>(LeadUnitId, Status)</c> and <c>AssignerUnitId</c>: a
    /// unit's own matters are a union of ids from these two and the co-units (<c>VisibleMatters.ReachAsync</c>); a
    /// township's 2,111 led matters were read from 2,088 table pages for their ids alone, before each was read again by
    /// id (the work list's page of ids 14 ms → 4 ms).</item>
    /// </list>
    /// </summary>
    public partial class FasterPairsAndIndexedIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION duban_pairs(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT coalesce(array_agg(DISTINCT c || n), '{}')
                   FROM (SELECT c, lead(c) OVER (ORDER BY i) AS n FROM unnest(string_to_array($1, NULL)) WITH ORDINALITY AS t(c, i)) AS p
                   WHERE n IS NOT NULL $$;
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
                CREATE OR REPLACE FUNCTION duban_pairs(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}') FROM generate_series(1, length($1) - 1) AS i $$;
                """);
        }
    }
}
