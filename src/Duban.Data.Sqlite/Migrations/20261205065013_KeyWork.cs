using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class KeyWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_unit_fact_deltas_matters_MatterId",
                table: "unit_fact_deltas");

            migrationBuilder.DropIndex(
                name: "IX_unit_fact_deltas_Day",
                table: "unit_fact_deltas");

            migrationBuilder.DropIndex(
                name: "IX_unit_fact_deltas_MatterId",
                table: "unit_fact_deltas");

            migrationBuilder.DropIndex(
                name: "IX_milestones_MatterId_Stage",
                table: "milestones");

            migrationBuilder.DropIndex(
                name: "IX_matters_NextDueAt",
                table: "matters");

            migrationBuilder.AlterColumn<long>(
                name: "TransferredOut",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "SpedUp",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "Returned",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "Resolved",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "Redone",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "RatedSatisfied",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "RatedDissatisfied",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "RatedBasically",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackWithinExtension",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackPending",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackOnTime",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackLate",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "CompletionWorkingDays",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "CompleteWithinExtension",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "CompletePending",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "CompleteOnTime",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "CompleteLate",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "Assigned",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgeWithinExtension",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgePending",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgeOnTime",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgeLate",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "milestones",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Node",
                table: "milestones",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Colour",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ColourDueAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CycleDay",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CycleKind",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ParentId",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Percent",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Register",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Node",
                table: "extension_requests",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<long>(
                name: "MatterId",
                table: "attachments",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "EntryId",
                table: "attachments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TargetReportId",
                table: "attachments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    OwnerUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaigns", x => x.Id);
                });

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
                name: "item_colour_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_item_colour_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_item_colour_changes_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "matter_people",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    UserId = table.Column<long>(type: "INTEGER", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    UnitName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_people", x => x.Id);
                    table.ForeignKey(
                        name: "FK_matter_people_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_matter_people_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "matter_campaigns",
                columns: table => new
                {
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_campaigns", x => new { x.MatterId, x.CampaignId });
                    table.ForeignKey(
                        name: "FK_matter_campaigns_campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_matter_campaigns_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "ix_unit_month_facts_trend",
                table: "unit_month_facts",
                columns: new[] { "Role", "Day", "Assigned", "CompleteOnTime", "CompleteWithinExtension", "CompleteLate", "CompletePending" });

            migrationBuilder.CreateIndex(
                name: "IX_milestones_MatterId_Stage_Node",
                table: "milestones",
                columns: new[] { "MatterId", "Stage", "Node" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_ColourDueAt",
                table: "matters",
                column: "ColourDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_matters_Kind_Register_Colour",
                table: "matters",
                columns: new[] { "Kind", "Register", "Colour" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_NextDueAt_LeadUnitId",
                table: "matters",
                columns: new[] { "NextDueAt", "LeadUnitId" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_ParentId",
                table: "matters",
                column: "ParentId");

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

            migrationBuilder.CreateIndex(
                name: "IX_campaigns_Name",
                table: "campaigns",
                column: "Name",
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_item_colour_changes_MatterId_At",
                table: "item_colour_changes",
                columns: new[] { "MatterId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_matter_campaigns_CampaignId",
                table: "matter_campaigns",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_matter_people_MatterId",
                table: "matter_people",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_matter_people_Name_Role",
                table: "matter_people",
                columns: new[] { "Name", "Role" });

            migrationBuilder.CreateIndex(
                name: "IX_matter_people_UserId_Role",
                table: "matter_people",
                columns: new[] { "UserId", "Role" });

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

            migrationBuilder.DropTable(
                name: "instruction_counters");

            migrationBuilder.DropTable(
                name: "instruction_matters");

            migrationBuilder.DropTable(
                name: "instruction_reports");

            migrationBuilder.DropTable(
                name: "item_colour_changes");

            migrationBuilder.DropTable(
                name: "matter_campaigns");

            migrationBuilder.DropTable(
                name: "matter_people");

            migrationBuilder.DropTable(
                name: "instructions");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropIndex(
                name: "ix_unit_month_facts_trend",
                table: "unit_month_facts");

            migrationBuilder.DropIndex(
                name: "IX_milestones_MatterId_Stage_Node",
                table: "milestones");

            migrationBuilder.DropIndex(
                name: "IX_matters_ColourDueAt",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_Kind_Register_Colour",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_NextDueAt_LeadUnitId",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_ParentId",
                table: "matters");

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
                name: "Name",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "Node",
                table: "milestones");

            migrationBuilder.DropColumn(
                name: "Colour",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ColourDueAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "CycleDay",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "CycleKind",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ParentId",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Percent",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Register",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Node",
                table: "extension_requests");

            migrationBuilder.DropColumn(
                name: "EntryId",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "TargetReportId",
                table: "attachments");

            migrationBuilder.AlterColumn<long>(
                name: "TransferredOut",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "SpedUp",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "Returned",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "Resolved",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "Redone",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "RatedSatisfied",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "RatedDissatisfied",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "RatedBasically",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackWithinExtension",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackPending",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackOnTime",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "FeedbackLate",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "CompletionWorkingDays",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "CompleteWithinExtension",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "CompletePending",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "CompleteOnTime",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "CompleteLate",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "Assigned",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgeWithinExtension",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgePending",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgeOnTime",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "AcknowledgeLate",
                table: "unit_fact_deltas",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<long>(
                name: "MatterId",
                table: "attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_unit_fact_deltas_Day",
                table: "unit_fact_deltas",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_unit_fact_deltas_MatterId",
                table: "unit_fact_deltas",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_milestones_MatterId_Stage",
                table: "milestones",
                columns: new[] { "MatterId", "Stage" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_NextDueAt",
                table: "matters",
                column: "NextDueAt");

            migrationBuilder.AddForeignKey(
                name: "FK_unit_fact_deltas_matters_MatterId",
                table: "unit_fact_deltas",
                column: "MatterId",
                principalTable: "matters",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
