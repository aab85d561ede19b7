using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EveryPage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "form_submissions",
                columns: table => new
                {
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_form_submissions", x => new { x.ActorId, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "notice_document_counters",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_document_counters", x => new { x.Kind, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "notice_documents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OfficeUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: true),
                    Number = table.Column<int>(type: "INTEGER", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Requirements = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CopyTo = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DraftedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DraftedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DraftedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EditedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ApprovedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ApprovedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovalNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReturnedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReturnedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReturnedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReturnNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    IssuedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    IssuedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_documents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notice_documents_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_notice_documents_units_OfficeUnitId",
                        column: x => x.OfficeUnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "unit_channels",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Secret = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_channels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_unit_channels_units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_matters_AssignedAt",
                table: "matters",
                column: "AssignedAt");

            migrationBuilder.CreateIndex(
                name: "IX_form_submissions_At",
                table: "form_submissions",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_notice_documents_Kind_Year_Number",
                table: "notice_documents",
                columns: new[] { "Kind", "Year", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notice_documents_MatterId",
                table: "notice_documents",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_notice_documents_OfficeUnitId",
                table: "notice_documents",
                column: "OfficeUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_notice_documents_Status_DraftedAt",
                table: "notice_documents",
                columns: new[] { "Status", "DraftedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_unit_channels_UnitId",
                table: "unit_channels",
                column: "UnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "form_submissions");

            migrationBuilder.DropTable(
                name: "notice_document_counters");

            migrationBuilder.DropTable(
                name: "notice_documents");

            migrationBuilder.DropTable(
                name: "unit_channels");

            migrationBuilder.DropIndex(
                name: "IX_matters_AssignedAt",
                table: "matters");
        }
    }
}
