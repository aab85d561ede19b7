using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FlatReads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextDueSoonAt",
                table: "matters",
                type: "timestamp with time zone",
                nullable: true);

            // 临期 of the matters already stored: the earliest 临期 instant of an unmet milestone while the clock runs.
            migrationBuilder.Sql("""
                UPDATE matters SET "NextDueSoonAt" = (SELECT MIN(s."DueSoonAt") FROM milestones s WHERE s."MatterId" = matters."Id" AND s."MetAt" IS NULL)
                WHERE "NextDueAt" IS NOT NULL;
                """);

            // The keyword index (MatterSearch): a GIN index over the distinct character pairs of title, content and
            // code, ASCII letters lowered; the expression must be written as MatterSearch.PostgresIndexed queries it.
            migrationBuilder.Sql("""
                CREATE FUNCTION duban_pairs(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}') FROM generate_series(1, length($1) - 1) AS i $$;
                CREATE INDEX "IX_matters_Search" ON matters USING gin (duban_pairs(lower(("Title" || ' ' || "Content" || ' ' || "Code") COLLATE "C")));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_milestones_Escalated",
                table: "milestones",
                column: "MatterId",
                filter: "\"MetAt\" IS NULL AND \"EscalatedKinds\" <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_matters_NextDueSoonAt",
                table: "matters",
                column: "NextDueSoonAt");

            migrationBuilder.CreateIndex(
                name: "IX_matters_Status_NextDueAt_SupervisionLevel",
                table: "matters",
                columns: new[] { "Status", "NextDueAt", "SupervisionLevel" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_Search";
                DROP FUNCTION duban_pairs(text);
                """);

            migrationBuilder.DropIndex(
                name: "IX_milestones_Escalated",
                table: "milestones");

            migrationBuilder.DropIndex(
                name: "IX_matters_NextDueSoonAt",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_Status_NextDueAt_SupervisionLevel",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "NextDueSoonAt",
                table: "matters");
        }
    }
}
