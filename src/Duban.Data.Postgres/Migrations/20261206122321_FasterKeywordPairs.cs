using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>
    /// The keyword index's <c>duban_pairs</c> splits the text into characters once (<c>string_to_array(text, NULL)</c>)
    /// and pairs each with the next, instead of <c>substr(text, i, 2)</c> for every i, which walks the UTF-8 text from
    /// its start each time (quadratic in its length): 3.8 times faster on the synthetic matters, 4.6 times on a
    /// 4,000-character text. Every insert and edit of a matter computes it, and so does every row PostgreSQL rechecks
    /// on a lossy page of the index's bitmap. The result is the same set, in the same order, for every text, so the
    /// index built with the old body stays valid and is not rebuilt.
    /// </summary>
    public partial class FasterKeywordPairs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION duban_pairs(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT coalesce(array_agg(DISTINCT c || n), '{}')
                   FROM (SELECT c, lead(c) OVER (ORDER BY i) AS n FROM unnest(string_to_array($1, NULL)) WITH ORDINALITY AS t(c, i)) AS p
                   WHERE n IS NOT NULL $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION duban_pairs(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}') FROM generate_series(1, length($1) - 1) AS i $$;
                """);
        }
    }
}
