using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Instructions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "instruction_counters",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Last = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instruction_counters", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "instructions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    LeaderUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaderName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    LeaderTitle = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    LeaderUnitId = table.Column<long>(type: "INTEGER", nullable: true),
                    InstructedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SourceDocument = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Proposal = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    OfficeUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    RegisteredById = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RegisteredByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RegisteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ScanAttachmentId = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instructions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_instructions_AspNetUsers_LeaderUserId",
                        column: x => x.LeaderUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_instructions_attachments_ScanAttachmentId",
                        column: x => x.ScanAttachmentId,
                        principalTable: "attachments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_instructions_units_LeaderUnitId",
                        column: x => x.LeaderUnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_instructions_units_OfficeUnitId",
                        column: x => x.OfficeUnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "instruction_matters",
                columns: table => new
                {
                    InstructionId = table.Column<long>(type: "INTEGER", nullable: false),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instruction_matters", x => new { x.InstructionId, x.MatterId });
                    table.ForeignKey(
                        name: "FK_instruction_matters_instructions_InstructionId",
                        column: x => x.InstructionId,
                        principalTable: "instructions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_instruction_matters_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "instruction_reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstructionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Partial = table.Column<bool>(type: "INTEGER", nullable: false),
                    PartialReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    DraftedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DraftedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ApprovedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ApprovedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instruction_reports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_instruction_reports_instructions_InstructionId",
                        column: x => x.InstructionId,
                        principalTable: "instructions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_instruction_matters_MatterId",
                table: "instruction_matters",
                column: "MatterId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_instruction_reports_InstructionId",
                table: "instruction_reports",
                column: "InstructionId");

            migrationBuilder.CreateIndex(
                name: "IX_instructions_LeaderUnitId",
                table: "instructions",
                column: "LeaderUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_instructions_LeaderUserId",
                table: "instructions",
                column: "LeaderUserId");

            migrationBuilder.CreateIndex(
                name: "IX_instructions_OfficeUnitId",
                table: "instructions",
                column: "OfficeUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_instructions_ScanAttachmentId",
                table: "instructions",
                column: "ScanAttachmentId");

            migrationBuilder.CreateIndex(
                name: "IX_instructions_Year_Sequence",
                table: "instructions",
                columns: new[] { "Year", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "instruction_counters");

            migrationBuilder.DropTable(
                name: "instruction_matters");

            migrationBuilder.DropTable(
                name: "instruction_reports");

            migrationBuilder.DropTable(
                name: "instructions");
        }
    }
}
