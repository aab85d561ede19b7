using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// PostgreSQL's keyword index leaves the writes (PostgreSQL only; the model is unchanged). The GIN index over
    /// <c>duban_pairs(…)</c> of matters cost about 0.67 ms of the database's CPU inside every insert and edit of a matter
    /// (the pairs cut by a SQL function, then ~250 GIN entries): an import of 100,000 rows ran at ~700 rows/s, and 5,000
    /// matters took 3.3 s to copy in with it and 0.09 s without. Now each matter's pairs (<c>SearchTerms.PairCodes</c>, cut
    /// by the app, a pair to an integer) are kept in <c>matter_search</c> under a GIN index, written in bulk by the app's
    /// catch-up (<c>KeywordIndexTable</c>); triggers log the matters added, edited (title, content, code) and deleted in
    /// <c>matter_search_changes</c> in the writing transaction, and search treats logged matters as candidates until
    /// the catch-up has applied them. Every existing matter is logged here, so the web host indexes them after the
    /// upgrade; search is right meanwhile (the substring test).
    /// </summary>
    public partial class KeywordIndexBesideWrites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_matters_Search";
                DROP FUNCTION duban_pairs(text);
                CREATE TABLE matter_search ("MatterId" bigint PRIMARY KEY, "Pairs" integer[] NOT NULL);
                CREATE INDEX "IX_matter_search_Pairs" ON matter_search USING gin ("Pairs");
                CREATE TABLE matter_search_changes ("Seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "MatterId" bigint NOT NULL);
                CREATE FUNCTION duban_log_added_matters() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO matter_search_changes ("MatterId") SELECT "Id" FROM added ORDER BY "Id";
                    RETURN NULL;
                END $$;
                CREATE FUNCTION duban_log_matter_text() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        INSERT INTO matter_search_changes ("MatterId") VALUES (old."Id");
                    ELSE
                        INSERT INTO matter_search_changes ("MatterId") VALUES (new."Id");
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER matters_search_insert AFTER INSERT ON matters REFERENCING NEW TABLE AS added
                    FOR EACH STATEMENT EXECUTE FUNCTION duban_log_added_matters();
                CREATE TRIGGER matters_search_update AFTER UPDATE OF "Title", "Content", "Code" ON matters FOR EACH ROW
                    WHEN (old."Title" IS DISTINCT FROM new."Title" OR old."Content" IS DISTINCT FROM new."Content" OR old."Code" IS DISTINCT FROM new."Code")
                    EXECUTE FUNCTION duban_log_matter_text();
                CREATE TRIGGER matters_search_delete AFTER DELETE ON matters FOR EACH ROW EXECUTE FUNCTION duban_log_matter_text();
                INSERT INTO matter_search_changes ("MatterId") SELECT "Id" FROM matters ORDER BY "Id";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER matters_search_insert ON matters;
                DROP TRIGGER matters_search_update ON matters;
                DROP TRIGGER matters_search_delete ON matters;
                DROP FUNCTION duban_log_added_matters();
                DROP FUNCTION duban_log_matter_text();
                DROP TABLE matter_search_changes;
                DROP TABLE matter_search;
                CREATE FUNCTION duban_pairs(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT coalesce(array_agg(DISTINCT c || n), '{}')
                   FROM (SELECT c, lead(c) OVER (ORDER BY i) AS n FROM unnest(string_to_array($1, NULL)) WITH ORDINALITY AS t(c, i)) AS p
                   WHERE n IS NOT NULL $$;
                CREATE INDEX "IX_matters_Search" ON matters USING gin (duban_pairs(lower(("Title" || ' ' || "Content" || ' ' || "Code") COLLATE "C")));
                """);
        }
    }
}
