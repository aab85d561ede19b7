using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AttachmentOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "MatterId",
                table: "attachments",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "EntryId",
                table: "attachments",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TargetReportId",
                table: "attachments",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_attachments_EntryId",
                table: "attachments",
                column: "EntryId");

            migrationBuilder.CreateIndex(
                name: "IX_attachments_TargetReportId",
                table: "attachments",
                column: "TargetReportId");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_owner",
                table: "attachments",
                sql: "(CASE WHEN \"MatterId\" IS NULL THEN 0 ELSE 1 END) + (CASE WHEN \"EntryId\" IS NULL THEN 0 ELSE 1 END) + (CASE WHEN \"TargetReportId\" IS NULL THEN 0 ELSE 1 END) = 1");

            migrationBuilder.AddForeignKey(
                name: "FK_attachments_competition_entries_EntryId",
                table: "attachments",
                column: "EntryId",
                principalTable: "competition_entries",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_attachments_target_reports_TargetReportId",
                table: "attachments",
                column: "TargetReportId",
                principalTable: "target_reports",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_attachments_competition_entries_EntryId",
                table: "attachments");

            migrationBuilder.DropForeignKey(
                name: "FK_attachments_target_reports_TargetReportId",
                table: "attachments");

            migrationBuilder.DropIndex(
                name: "IX_attachments_EntryId",
                table: "attachments");

            migrationBuilder.DropIndex(
                name: "IX_attachments_TargetReportId",
                table: "attachments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_owner",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "EntryId",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "TargetReportId",
                table: "attachments");

            migrationBuilder.AlterColumn<long>(
                name: "MatterId",
                table: "attachments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
