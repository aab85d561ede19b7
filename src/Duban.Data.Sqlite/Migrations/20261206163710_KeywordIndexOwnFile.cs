using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <summary>
    /// SQLite's keyword index leaves the database for a file of its own beside it (<c>KeywordIndexFile</c>): filling FTS5
    /// cost about 0.27 ms of CPU a matter under the database's only write lock, half of an import's time. The
    /// database keeps what the index needs to follow it: its own random id (<c>matter_search_source</c>, so an index
    /// made for another database is never trusted) and a log of edits and deletes of matters
    /// (<c>matter_search_changes</c>, written by triggers) that the indexer applies. The new file is filled from the
    /// matters by the web host within seconds of its start; search is right meanwhile (the substring test).
    /// </summary>
    public partial class KeywordIndexOwnFile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER matters_search_update;
                DROP TRIGGER matters_search_delete;
                DROP TABLE matter_search;
                DROP TABLE matter_search_state;
                CREATE TABLE matter_search_source ("Source" TEXT NOT NULL);
                INSERT INTO matter_search_source ("Source") VALUES (lower(hex(randomblob(16))));
                CREATE TABLE matter_search_changes ("Seq" INTEGER PRIMARY KEY AUTOINCREMENT, "MatterId" INTEGER NOT NULL);
                CREATE TRIGGER matters_search_update AFTER UPDATE OF "Title", "Content", "Code" ON matters BEGIN
                    INSERT INTO matter_search_changes ("MatterId") VALUES (new."Id");
                END;
                CREATE TRIGGER matters_search_delete AFTER DELETE ON matters BEGIN
                    INSERT INTO matter_search_changes ("MatterId") VALUES (old."Id");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER matters_search_update;
                DROP TRIGGER matters_search_delete;
                DROP TABLE matter_search_changes;
                DROP TABLE matter_search_source;
                CREATE VIRTUAL TABLE matter_search USING fts5(terms, content='', contentless_delete=1, detail=none);
                CREATE TABLE matter_search_state ("Through" INTEGER NOT NULL);
                INSERT INTO matter_search_state ("Through") VALUES (0);
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
    }
}
