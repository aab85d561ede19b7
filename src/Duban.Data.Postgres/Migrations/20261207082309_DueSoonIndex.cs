using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// The matters with a running deadline by due instant, with their 临期 instant (PostgreSQL only; not in the model):
    /// the 督查室's 临期 tab (next due still ahead, 临期 instant passed) is read from this small index alone. Without it
    /// PostgreSQL took every matter due from now on from <c>(NextDueAt, Id)</c> and fetched each row for its 临期 instant
    /// (it estimated 58 rows where a million held 1,898): 2.5 ms of the office's work list's ~8 ms of tab counts, then
    /// 5.3 ms in all (psql on the 1M database, BENCHMARKS.md). Only matters with a deadline are in it (~25,000 of a
    /// million), so writes barely feel it.
    /// </summary>
    public partial class DueSoonIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX "IX_matters_DueSoon" ON matters ("NextDueAt") INCLUDE ("NextDueSoonAt") WHERE "NextDueAt" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_matters_DueSoon";""");
        }
    }
}
