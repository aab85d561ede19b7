using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <summary>Lists in due order read along <c>(NextDueAt, Id)</c>, the matters without a deadline by id with no sort.
    /// (The keyword catch-up of the same name is SQLite's; PostgreSQL's GIN index keeps itself.)</summary>
    public partial class DueOrderIndexAndKeywordCatchUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_matters_NextDueAt_Id",
                table: "matters",
                columns: new[] { "NextDueAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_NextDueAt_Id",
                table: "matters");
        }
    }
}
