using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FlatReads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "NextDueSoonAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            // 临期 of the matters already stored: the earliest 临期 instant of an unmet milestone while the clock runs.
            migrationBuilder.Sql("""
                UPDATE matters SET "NextDueSoonAt" = (SELECT MIN(s."DueSoonAt") FROM milestones s WHERE s."MatterId" = matters."Id" AND s."MetAt" IS NULL)
                WHERE "NextDueAt" IS NOT NULL;
                """);

            // The keyword index (MatterSearch): character pairs of title, content and code in a contentless FTS5
            // table (no copy of the text; rowids only, detail=none), kept by triggers through duban_terms.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE matter_search USING fts5(terms, content='', contentless_delete=1, detail=none);
                INSERT INTO matter_search(rowid, terms) SELECT "Id", duban_terms("Title", "Content", "Code") FROM matters;
                CREATE TRIGGER matters_search_insert AFTER INSERT ON matters BEGIN
                    INSERT INTO matter_search(rowid, terms) VALUES (new."Id", duban_terms(new."Title", new."Content", new."Code"));
                END;
                CREATE TRIGGER matters_search_update AFTER UPDATE OF "Title", "Content", "Code" ON matters BEGIN
                    DELETE FROM matter_search WHERE rowid = old."Id";
                    INSERT INTO matter_search(rowid, terms) VALUES (new."Id", duban_terms(new."Title", new."Content", new."Code"));
                END;
                CREATE TRIGGER matters_search_delete AFTER DELETE ON matters BEGIN
                    DELETE FROM matter_search WHERE rowid = old."Id";
                END;
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
                DROP TRIGGER matters_search_insert;
                DROP TRIGGER matters_search_update;
                DROP TRIGGER matters_search_delete;
                DROP TABLE matter_search;
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
