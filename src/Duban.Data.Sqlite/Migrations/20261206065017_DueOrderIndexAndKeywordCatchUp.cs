using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <summary>
    /// Lists in due order read along <c>(NextDueAt, Id)</c>, the matters without a deadline by id with no sort. On SQLite
    /// the keyword index (<c>matter_search</c>) is no longer written row by row as matters are inserted: new matters are
    /// indexed in bulk by <c>MatterSearch.CatchUpAsync</c> and read meanwhile by the substring test, as matters above
    /// <c>matter_search_state."Through"</c> (the insert trigger made FTS5 flush and merge at every savepoint, three times
    /// the CPU of an imported row). Edits and deletes of matters already indexed still go through triggers.
    /// </summary>
    public partial class DueOrderIndexAndKeywordCatchUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_matters_NextDueAt_Id",
                table: "matters",
                columns: new[] { "NextDueAt", "Id" });

            migrationBuilder.Sql("""
                CREATE TABLE matter_search_state ("Through" INTEGER NOT NULL);
                INSERT INTO matter_search_state ("Through") SELECT COALESCE(MAX("Id"), 0) FROM matters;
                DROP TRIGGER matters_search_insert;
                DROP TRIGGER matters_search_update;
                DROP TRIGGER matters_search_delete;
                CREATE TRIGGER matters_search_update AFTER UPDATE OF "Title", "Content", "Code" ON matters
                WHEN old."Id" <= (SELECT "Through" FROM matter_search_state) BEGIN
                    DELETE FROM matter_search WHERE rowid = old."Id";
                    INSERT INTO matter_search(rowid, terms) VALUES (new."Id", duban_terms(new."Title", new."Content", new."Code"));
                END;
                CREATE TRIGGER matters_search_delete AFTER DELETE ON matters
                WHEN old."Id" <= (SELECT "Through" FROM matter_search_state) BEGIN
                    DELETE FROM matter_search WHERE rowid = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_NextDueAt_Id",
                table: "matters");

            migrationBuilder.Sql("""
                INSERT INTO matter_search(rowid, terms) SELECT "Id", duban_terms("Title", "Content", "Code") FROM matters
                WHERE "Id" > (SELECT "Through" FROM matter_search_state);
                DROP TRIGGER matters_search_update;
                DROP TRIGGER matters_search_delete;
                DROP TABLE matter_search_state;
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
        }
    }
}
