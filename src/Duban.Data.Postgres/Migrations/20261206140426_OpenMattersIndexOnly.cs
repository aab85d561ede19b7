using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// The open matters' index <c>(Status, NextDueAt, SupervisionLevel)</c> carries the id too (<c>INCLUDE</c>), so the
    /// 督查室 board's list of matters needing attention and its count read the index alone (an index-only scan): their
    /// condition tests the id against the escalated milestones, and on PostgreSQL an index row has no id of its own, so
    /// every one of the ~25,000 open matters of a million was read from the table, 50 ms a list, 5 ms after. (SQLite's
    /// indexes carry the rowid already; the model's index is unchanged.)
    /// </summary>
    public partial class OpenMattersIndexOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_Status_NextDueAt_SupervisionLevel";
                CREATE INDEX "IX_matters_Status_NextDueAt_SupervisionLevel" ON matters ("Status", "NextDueAt", "SupervisionLevel") INCLUDE ("Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_Status_NextDueAt_SupervisionLevel";
                CREATE INDEX "IX_matters_Status_NextDueAt_SupervisionLevel" ON matters ("Status", "NextDueAt", "SupervisionLevel");
                """);
        }
    }
}
