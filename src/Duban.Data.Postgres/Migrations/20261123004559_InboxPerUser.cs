using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InboxPerUser : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_notices_UnitId_ReadAt_DeliverAfter",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "ReadAt",
                table: "notices");

            migrationBuilder.CreateTable(
                name: "notice_reads",
                columns: table => new
                {
                    NoticeId = table.Column<long>(type: "bigint", nullable: false),
                    ReaderId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_reads", x => new { x.NoticeId, x.ReaderId });
                    table.ForeignKey(
                        name: "FK_notice_reads_notices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "notices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_notices_UnitId_DeliverAfter",
                table: "notices",
                columns: new[] { "UnitId", "DeliverAfter" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notice_reads");

            migrationBuilder.DropIndex(
                name: "IX_notices_UnitId_DeliverAfter",
                table: "notices");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReadAt",
                table: "notices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_notices_UnitId_ReadAt_DeliverAfter",
                table: "notices",
                columns: new[] { "UnitId", "ReadAt", "DeliverAfter" });
        }
    }
}
