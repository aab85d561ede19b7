using System.Globalization;
using System.Text;
using Duban.Attachments;
using Duban.Calendar;
using Duban.Instructions;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A leader's instruction as submitted for registration (登记批示件).</summary>
public sealed record NewInstruction
{
    /// <summary>The leader as a Duban user (id); or leave empty and give <see cref="LeaderName"/>.</summary>
    public long? Leader { get; init; }

    /// <summary>The leader's name when they are not a user (or to override nothing: a user's name comes from the account).</summary>
    public string? LeaderName { get; init; }

    /// <summary>职务, e.g. 市长.</summary>
    public string? LeaderTitle { get; init; }

    /// <summary>批示日期: 2026-03-02.</summary>
    public string? InstructedOn { get; init; }

    /// <summary>批示原文.</summary>
    public string? Text { get; init; }

    /// <summary>来文标题.</summary>
    public string? SourceDocument { get; init; }

    /// <summary>拟办意见.</summary>
    public string? Proposal { get; init; }

    /// <summary>报结果时限 (a date), optional.</summary>
    public string? DueOn { get; init; }
}

/// <summary>交办: the instruction assigned to units, one matter per lead unit, as 13710 matters or work items.</summary>
public sealed record AssignInstruction
{
    /// <summary><c>assignment</c> (13710 交办事项, the default) or <c>item</c> (工作事项).</summary>
    public string? Kind { get; init; }

    /// <summary>The lead units' codes: one matter each.</summary>
    public IReadOnlyList<string>? Units { get; init; }

    /// <summary>配合单位 for every matter.</summary>
    public IReadOnlyList<string>? CoUnits { get; init; }

    /// <summary>The matters' title; by default 落实某某同志批示：(the text's start).</summary>
    public string? Title { get; init; }

    /// <summary>目标任务 (required for 13710 matters).</summary>
    public string? Goal { get; init; }

    /// <summary>工作标准 (required for 13710 matters).</summary>
    public string? Standard { get; init; }

    /// <summary>办结期限; by default the instruction's 报结果时限.</summary>
    public string? DueAt { get; init; }

    /// <summary>A work item's register (key-work, project, reform, meeting).</summary>
    public string? Register { get; init; }

    /// <summary>A work item's plan; by default one node 报送结果 on the due date.</summary>
    public IReadOnlyList<NodeInput>? Plan { get; init; }

    /// <summary>The instruction's version the form was drawn from (409 when stale); optional.</summary>
    public int? Version { get; init; }
}

/// <summary>A step on the report to the leader: <c>draft</c> (生成草稿, prefilled from the results unless text is given),
/// <c>edit</c>, <c>approve</c> (审核通过) or <c>send</c> (报送领导).</summary>
public sealed record ReportStep
{
    public string? Action { get; init; }
    public string? Text { get; init; }

    /// <summary>阶段性报告: allowed before every matter is done, with a <see cref="Reason"/>.</summary>
    public bool Partial { get; init; }

    public string? Reason { get; init; }
    public int? Version { get; init; }
}

/// <summary>Filters for the register.</summary>
public sealed record InstructionFilter
{
    /// <summary>A leader: a user id (digits) or a name.</summary>
    public string? Leader { get; init; }

    public InstructionStatus? Status { get; init; }
    public int? Year { get; init; }
}

/// <summary>An instruction in a list.</summary>
public sealed record InstructionSummary(long Id, string Number, string LeaderName, string? LeaderTitle, long? LeaderUserId, DateOnly InstructedOn,
    string Excerpt, IReadOnlyList<string> Units, InstructionStatus Status, string StatusName, DateOnly? DueOn, bool Overdue, DateTimeOffset? ReportSentAt);

/// <summary>A linked matter as the instruction page shows it.</summary>
public sealed record InstructionMatterView(long Id, string Code, string Title, MatterKind Kind, string KindName, UnitRef LeadUnit, MatterStatus Status,
    string StatusName, bool Done, DateTimeOffset? NextDueAt, bool Overdue, int? Percent, string? Result);

/// <summary>A report as shown.</summary>
public sealed record InstructionReportView(long Id, bool Partial, string? PartialReason, ReportStage Stage, string StageName, string Text,
    string DraftedBy, DateTimeOffset DraftedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? SentBy, DateTimeOffset? SentAt);

/// <summary>An instruction in full, with what the reader may do.</summary>
public sealed record InstructionDetails(InstructionSummary Summary, string Text, string? SourceDocument, string? Proposal, string OfficeName,
    string RegisteredBy, DateTimeOffset RegisteredAt, long? ScanAttachmentId, IReadOnlyList<InstructionMatterView> Matters,
    IReadOnlyList<InstructionReportView> Reports, int Version, bool MayManage, bool MayApprove, DateTimeOffset? ClosedAt)
{
    /// <summary>The report being worked on (草稿 or 已审核), if any.</summary>
    public InstructionReportView? OpenReport => Reports.LastOrDefault(r => r.Stage != ReportStage.Sent);
}

/// <summary>A leader a picker offers.</summary>
public sealed record LeaderChoice(long Id, string Name, string UnitName);

/// <summary>
/// The 领导批示件 register: the office registers a leader's instruction, assigns it to units as 13710 matters
/// (<see cref="AssignMatter"/>) or work items (<see cref="WorkItems"/>) linked to it, and reports the results back to the
/// leader (办理结果报告: drafted from the units' results, approved, sent to the leader's inbox, recorded). The leader sees
/// their own; a unit sees those it was assigned; the office sees those it (or an office it oversees) registered.
/// </summary>
public sealed class InstructionRegister(DubanDbContext db, TimeProvider clock, AssignMatter assign, WorkItems items, MatterAttachments attachments)
{
    public const int MaxText = 4000, MaxName = 50, MaxDocument = 200, MaxReport = 20000;

    /// <summary>Who registers, assigns and reports: the supervision office and administrators.</summary>
    public static bool MayManage(Actor actor) => actor is not null && (actor.Has(Role.Supervisor) || actor.Has(Role.Admin));

    /// <summary>Who sees the register's menu entry: the office and leaders (their 「我的批示」).</summary>
    public static bool MayOpen(Actor actor) => MayManage(actor) || (actor is not null && actor.Has(Role.Leader));

    /// <summary>Who approves a report (审核通过): the role that verifies the office's matters (办结审核), the assigning side —
    /// the office's supervisors and leaders of the office unit — and administrators.</summary>
    public static bool MayApprove(Actor actor, Instruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return actor is not null && (actor.Has(Role.Admin)
            || (actor.UnitId == instruction.OfficeUnitId && (actor.Has(Role.Supervisor) || actor.Has(Role.Leader))));
    }

    /// <summary>Users holding the leader role, for the picker.</summary>
    public async Task<IReadOnlyList<LeaderChoice>> LeadersAsync(CancellationToken cancellationToken = default)
    {
        var leaderRole = WireEnum.Name(Role.Leader);
        var rows = await (from u in db.Users.AsNoTracking()
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          where r.Name == leaderRole
                          orderby u.DisplayName
                          select new { u.Id, u.DisplayName, Unit = u.Unit!.Name }).Take(500).ToListAsync(cancellationToken);
        return rows.Select(r => new LeaderChoice(r.Id, r.DisplayName, r.Unit)).ToList();
    }

    /// <summary>登记: checks every field at once and numbers the instruction 批示〔year〕n号 in its year of registration.</summary>
    /// <exception cref="ValidationFailedException">Any field is invalid; nothing is stored.</exception>
    /// <exception cref="ForbiddenException">Not the office.</exception>
    public async Task<long> RegisterAsync(NewInstruction input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以登记领导批示件。");
        }

        var errors = new Dictionary<string, string[]>();
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        User? leader = null;
        var name = UserText.Clean(input.LeaderName);
        if (input.Leader is { } leaderId)
        {
            leader = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == leaderId, cancellationToken);
            if (leader is null)
            {
                errors["leader"] = [$"用户 {leaderId} 不存在。"];
            }
        }
        else if (name is null)
        {
            errors["leader"] = ["请选择批示领导，或填写领导姓名。"];
        }
        else if (name.Length > MaxName)
        {
            errors["leaderName"] = [$"领导姓名不能超过 {MaxName} 字。"];
        }

        var title = UserText.Clean(input.LeaderTitle);
        Limit(errors, "leaderTitle", title, "职务", MaxName);
        if (!TryDate(input.InstructedOn, out var instructedOn))
        {
            errors["instructedOn"] = ["请填写批示日期，如 2026-03-02。"];
        }
        else if (instructedOn > today)
        {
            errors["instructedOn"] = ["批示日期不能晚于今天。"];
        }

        var text = UserText.Clean(input.Text);
        if (text is null)
        {
            errors["text"] = ["请填写批示原文。"];
        }
        else
        {
            Limit(errors, "text", text, "批示原文", MaxText);
        }

        var document = UserText.Clean(input.SourceDocument);
        Limit(errors, "sourceDocument", document, "来文标题", MaxDocument);
        var proposal = UserText.Clean(input.Proposal);
        Limit(errors, "proposal", proposal, "拟办意见", MaxText);
        DateOnly? dueOn = null;
        if (!string.IsNullOrWhiteSpace(input.DueOn))
        {
            if (!TryDate(input.DueOn, out var due))
            {
                errors["dueOn"] = ["报结果时限须是日期，如 2026-03-16。"];
            }
            else if (errors.ContainsKey("instructedOn") || due >= instructedOn)
            {
                dueOn = due;
            }
            else
            {
                errors["dueOn"] = ["报结果时限不能早于批示日期。"];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var now = clock.GetUtcNow();
        var year = ChinaTime.DateOf(now).Year;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sequence = (int)(await db.Database.SqlQueryRaw<long>(
            """
            INSERT INTO instruction_counters ("Year", "Last") VALUES ({0}, 1)
            ON CONFLICT ("Year") DO UPDATE SET "Last" = instruction_counters."Last" + 1
            RETURNING "Last" AS "Value"
            """, year).ToListAsync(cancellationToken))[0];
        var instruction = new Instruction
        {
            Number = InstructionProgress.Number(year, sequence),
            Year = year,
            Sequence = sequence,
            LeaderUserId = leader?.Id,
            LeaderUnitId = leader?.UnitId,
            LeaderName = leader?.DisplayName ?? name!,
            LeaderTitle = title,
            InstructedOn = instructedOn,
            Text = text!,
            SourceDocument = document,
            Proposal = proposal,
            DueOn = dueOn,
            OfficeUnitId = actor.UnitId,
            RegisteredById = actor.Id,
            RegisteredByName = actor.Name,
            RegisteredAt = now,
            Version = 1,
        };
        db.Instructions.Add(instruction);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return instruction.Id;
    }

    /// <summary>The instructions the actor may see, newest first (at most 1,000).</summary>
    public async Task<IReadOnlyList<InstructionSummary>> ListAsync(InstructionFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var query = await VisibleAsync(actor, cancellationToken);
        if (UserText.Clean(filter.Leader) is { } leader)
        {
            query = long.TryParse(leader, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
                ? query.Where(i => i.LeaderUserId == userId)
                : query.Where(i => i.LeaderName == leader);
        }

        if (filter.Year is { } year)
        {
            query = query.Where(i => i.InstructedOn >= new DateOnly(year, 1, 1) && i.InstructedOn <= new DateOnly(year, 12, 31));
        }

        var rows = await query.AsNoTracking().OrderByDescending(i => i.InstructedOn).ThenByDescending(i => i.Id).Take(1000)
            .Include(i => i.Reports).Include(i => i.Matters).ThenInclude(m => m.Matter).ThenInclude(m => m!.LeadUnit)
            .AsSplitQuery().ToListAsync(cancellationToken);
        var list = rows.Select(Summary).ToList();
        return filter.Status is { } status ? list.Where(s => s.Status == status).ToList() : list;
    }

    /// <summary>One instruction: its text, linked matters with their results, and (for the office and the leader) its reports.</summary>
    /// <exception cref="NotFoundException">No such instruction, or the actor may not see it.</exception>
    public async Task<InstructionDetails> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var instruction = await LoadAsync(id, actor, false, cancellationToken);
        var now = clock.GetUtcNow();
        var linked = instruction.Matters.Select(m => m.MatterId).ToList();
        var visible = await (await VisibleMatters.QueryAsync(db, actor, cancellationToken))
            .Where(m => linked.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
        var results = await ResultsAsync(linked, cancellationToken);
        var matters = instruction.Matters.OrderBy(m => m.Position).Select(m => m.Matter!).Where(m => visible.Contains(m.Id)).Select(m =>
            new InstructionMatterView(m.Id, m.Code, m.Title, m.Kind, Labels.Of(m.Kind), ViewMapping.Ref(m.LeadUnit!), m.Status, Labels.Of(m.Status),
                InstructionProgress.IsDone(m.Status), m.NextDueAt is { } due ? ChinaTime.ToLocal(due) : null, MatterConditions.IsOverdue(m.NextDueAt, now),
                m.Percent, results.GetValueOrDefault(m.Id))).ToList();
        var manage = MayManage(actor);
        var isLeader = IsLeader(actor, instruction);
        var reports = instruction.Reports.OrderBy(r => r.Id).Where(r => manage || (isLeader && r.Stage == ReportStage.Sent)).Select(View).ToList();
        var office = await db.Units.AsNoTracking().Where(u => u.Id == instruction.OfficeUnitId).Select(u => u.Name).SingleAsync(cancellationToken);
        return new InstructionDetails(Summary(instruction), instruction.Text, instruction.SourceDocument, instruction.Proposal, office,
            instruction.RegisteredByName, ChinaTime.ToLocal(instruction.RegisteredAt), instruction.ScanAttachmentId, matters, reports, instruction.Version,
            manage, MayApprove(actor, instruction), instruction.ClosedAt is { } closed ? ChinaTime.ToLocal(closed) : null);
    }

    /// <summary>交办: one matter per lead unit, through the usual assignment (四明确, deadlines, notices), linked to the
    /// instruction; all or nothing.</summary>
    /// <exception cref="ValidationFailedException">Bad input; field keys as for matters (<c>goal</c>, <c>dueAt</c>, <c>plan[0].dueAt</c>),
    /// unknown units under <c>units</c>.</exception>
    /// <exception cref="RuleConflictException">The instruction was closed or reported, or the version is stale.</exception>
    public async Task<IReadOnlyList<long>> AssignAsync(long id, AssignInstruction input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var instruction = await LoadAsync(id, actor, true, cancellationToken);
        RequireManager(actor);
        CheckVersion(instruction, input.Version);
        var status = StatusOf(instruction);
        if (status is InstructionStatus.Reported or InstructionStatus.Closed)
        {
            throw new RuleConflictException($"批示件已{InstructionProgress.Label(status)}，不能再交办。");
        }

        var isItem = string.Equals(input.Kind?.Trim(), "item", StringComparison.OrdinalIgnoreCase);
        if (!isItem && !string.IsNullOrWhiteSpace(input.Kind) && !string.Equals(input.Kind.Trim(), "assignment", StringComparison.OrdinalIgnoreCase))
        {
            throw ValidationFailedException.For("kind", "交办方式必须是 assignment（13710 交办事项）或 item（工作事项）。");
        }

        var units = (input.Units ?? []).Select(u => u?.Trim()).Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).Distinct().ToList();
        if (units.Count == 0)
        {
            throw ValidationFailedException.For("units", "请至少选择一个承办单位。");
        }

        if (units.Count > 30)
        {
            throw ValidationFailedException.For("units", "一次最多交办 30 个单位。");
        }

        var title = UserText.Clean(input.Title) ?? DefaultTitle(instruction);
        var content = instruction.Proposal is null ? $"{instruction.LeaderName}同志批示：{instruction.Text}" : $"{instruction.LeaderName}同志批示：{instruction.Text}\n拟办意见：{instruction.Proposal}";
        var due = UserText.Clean(input.DueAt) ?? instruction.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = new List<long>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var unit in units)
            {
                try
                {
                    created.Add(isItem
                        ? await items.CreateAsync(new NewItem
                        {
                            Title = title,
                            Content = content,
                            Register = input.Register ?? "key-work",
                            LeadUnit = unit,
                            CoUnits = input.CoUnits,
                            Plan = input.Plan ?? (due is null ? null : new List<NodeInput> { new("报送办理结果", due) }),
                        }, actor, cancellationToken)
                        : await assign.ExecuteAsync(new NewMatter
                        {
                            Kind = "assignment",
                            Source = "instruction",
                            Title = title,
                            Content = content,
                            Goal = input.Goal,
                            Standard = input.Standard,
                            LeadUnit = unit,
                            CoUnits = input.CoUnits,
                            DueAt = due,
                            Note = $"落实{instruction.Number}",
                        }, actor, cancellationToken));
                }
                catch (ValidationFailedException invalid)
                {
                    // The same form for every unit: a unit that does not exist is named under units.
                    throw new ValidationFailedException(invalid.Errors.ToDictionary(e => e.Key == "leadUnit" ? "units" : e.Key, e => e.Value));
                }
            }

            var position = instruction.Matters.Count;
            instruction.Matters.AddRange(created.Select(m => new InstructionMatter { MatterId = m, Position = position++ }));
            instruction.Version++;
            await SaveAsync(instruction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear(); // nothing of a refused batch stays tracked either
            throw;
        }

        return created;
    }

    /// <summary>The report to the leader, one step at a time: draft, edit, approve, send.</summary>
    /// <exception cref="RuleConflictException">The step does not fit (matters not all done without <c>partial</c>, nothing to
    /// approve, not approved yet, already reported) or the version is stale.</exception>
    public async Task ReportAsync(long id, ReportStep step, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(actor);
        var instruction = await LoadAsync(id, actor, true, cancellationToken);
        var action = step.Action?.Trim().ToLowerInvariant();
        if (action == "approve" ? !MayApprove(actor, instruction) : !MayManage(actor))
        {
            throw new ForbiddenException(action == "approve" ? "只有督查室（办结审核的同一角色）可以审核办理结果报告。" : "只有督查室可以起草和报送办理结果报告。");
        }

        CheckVersion(instruction, step.Version);
        var status = StatusOf(instruction);
        if (status is InstructionStatus.Reported or InstructionStatus.Closed)
        {
            throw new RuleConflictException($"批示件已{InstructionProgress.Label(status)}，不能再起草或报送报告。");
        }

        var open = instruction.Reports.Where(r => r.Stage != ReportStage.Sent).OrderBy(r => r.Id).LastOrDefault();
        var now = clock.GetUtcNow();
        switch (action)
        {
            case "draft":
                if (open is not null)
                {
                    throw new RuleConflictException("已有一份未报送的报告，请在其上修改。");
                }

                var statuses = instruction.Matters.Select(m => m.Matter!.Status).ToList();
                string? reason = null;
                if (!InstructionProgress.AllDone(statuses))
                {
                    if (!step.Partial)
                    {
                        var pending = statuses.Count(s => !InstructionProgress.IsDone(s));
                        throw new RuleConflictException(statuses.Count == 0
                            ? "批示件尚未交办，没有可报告的办理结果。"
                            : $"尚有 {pending} 件事项未办结，不能起草办理结果报告；如需先报阶段性进展，请选择「阶段性报告」并说明理由。");
                    }

                    reason = UserText.Clean(step.Reason) ?? throw ValidationFailedException.For("reason", "阶段性报告须说明理由。");
                    Limit(reason, "reason", "理由", 1000);
                }

                var text = UserText.Clean(step.Text) ?? await DraftTextAsync(instruction, reason is not null, cancellationToken);
                Limit(text, "text", "报告正文", MaxReport);
                instruction.Reports.Add(new InstructionReport
                {
                    Partial = reason is not null,
                    PartialReason = reason,
                    Stage = ReportStage.Draft,
                    Text = text,
                    DraftedByName = actor.Name,
                    DraftedAt = now,
                });
                break;
            case "edit":
                var edited = UserText.Clean(step.Text) ?? throw ValidationFailedException.For("text", "报告正文不能为空。");
                Limit(edited, "text", "报告正文", MaxReport);
                var draft = open ?? throw new RuleConflictException("还没有报告草稿，请先生成草稿。");
                draft.Text = edited;
                draft.DraftedByName = actor.Name;
                draft.DraftedAt = now;
                draft.Stage = ReportStage.Draft; // an approved report that changes is approved again
                draft.ApprovedByName = null;
                draft.ApprovedAt = null;
                break;
            case "approve":
                var toApprove = open ?? throw new RuleConflictException("还没有报告草稿，无可审核。");
                if (toApprove.Stage != ReportStage.Draft)
                {
                    throw new RuleConflictException("报告已审核通过，待报送。");
                }

                toApprove.Stage = ReportStage.Approved;
                toApprove.ApprovedByName = actor.Name;
                toApprove.ApprovedAt = now;
                break;
            case "send":
                var toSend = open ?? throw new RuleConflictException("还没有报告草稿，无可报送。");
                if (toSend.Stage != ReportStage.Approved)
                {
                    throw new RuleConflictException("报告须先审核通过，才能报送领导。");
                }

                if (!toSend.Partial && !InstructionProgress.AllDone(instruction.Matters.Select(m => m.Matter!.Status).ToList()))
                {
                    throw new RuleConflictException("有事项重新办理，尚未全部办结：请改作阶段性报告或待办结后再报送。");
                }

                toSend.Stage = ReportStage.Sent;
                toSend.SentByName = actor.Name;
                toSend.SentAt = now;
                if (instruction.LeaderUnitId is { } leaderUnit)
                {
                    db.Notices.Add(new Notice
                    {
                        UnitId = leaderUnit,
                        Audience = Audience.Heads,
                        Title = $"【{(toSend.Partial ? "阶段性报告" : "办理结果报告")}】{instruction.Number}",
                        Body = $"{instruction.LeaderName}同志：您{ReviewBulletin.Short(instruction.InstructedOn)}批示的「{Excerpt(instruction.Text, 40)}」，督查室已报送{(toSend.Partial ? "阶段性办理情况" : "办理结果")}。",
                        Link = FormattableString.Invariant($"/Instructions/{instruction.Id}"),
                        CreatedAt = now,
                        DeliverAfter = now, // a person chose to send it now
                    });
                }

                break;
            default:
                throw ValidationFailedException.For("action", "操作必须是 draft（生成草稿）、edit（修改）、approve（审核通过）或 send（报送领导）。");
        }

        instruction.Version++;
        await SaveAsync(instruction, cancellationToken);
    }

    /// <summary>办结归档: after the final report was sent.</summary>
    public async Task CloseAsync(long id, int? version, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var instruction = await LoadAsync(id, actor, true, cancellationToken);
        RequireManager(actor);
        CheckVersion(instruction, version);
        if (StatusOf(instruction) != InstructionStatus.Reported)
        {
            throw new RuleConflictException("办理结果报告报送领导后才能办结归档。");
        }

        instruction.ClosedAt = clock.GetUtcNow();
        instruction.ClosedByName = actor.Name;
        instruction.Version++;
        await SaveAsync(instruction, cancellationToken);
    }

    /// <summary>The scan (扫描件): stored as an attachment of the first linked matter (the attachment seam belongs to matters),
    /// and named on the instruction.</summary>
    /// <exception cref="RuleConflictException">Not yet assigned: there is no matter to hold the file.</exception>
    public async Task AttachScanAsync(long id, AttachedFile file, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(actor);
        var instruction = await LoadAsync(id, actor, true, cancellationToken);
        RequireManager(actor);
        var first = instruction.Matters.OrderBy(m => m.Position).FirstOrDefault()
            ?? throw new RuleConflictException("批示件交办后才能上传扫描件（扫描件附在第一件交办事项上）。");
        var added = await attachments.AttachAsync(first.MatterId, [file], actor, cancellationToken);
        instruction.ScanAttachmentId = added[0].Id;
        instruction.Version++;
        await SaveAsync(instruction, cancellationToken);
    }

    /// <summary>Names an attachment already uploaded to one of the linked matters as the scan (API clients upload it with
    /// <c>POST /api/matters/{id}/attachments</c> first).</summary>
    public async Task SetScanAsync(long id, long attachmentId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var instruction = await LoadAsync(id, actor, true, cancellationToken);
        RequireManager(actor);
        var linked = instruction.Matters.Select(m => m.MatterId).ToList();
        if (!await db.Attachments.AsNoTracking().AnyAsync(a => a.Id == attachmentId && a.MatterId != null && linked.Contains(a.MatterId.Value), cancellationToken))
        {
            throw ValidationFailedException.For("attachment", "扫描件须先上传到本批示件交办的事项上（POST /api/matters/{id}/attachments），再在此引用其编号。");
        }

        instruction.ScanAttachmentId = attachmentId;
        instruction.Version++;
        await SaveAsync(instruction, cancellationToken);
    }

    /// <summary>The prefilled draft: the instruction, then each unit's result (its completion note, or a work item's last
    /// progress report), then 特此报告.</summary>
    private async Task<string> DraftTextAsync(Instruction instruction, bool partial, CancellationToken cancellationToken)
    {
        var results = await ResultsAsync(instruction.Matters.Select(m => m.MatterId).ToList(), cancellationToken);
        var office = await db.Units.AsNoTracking().Where(u => u.Id == instruction.OfficeUnitId).Select(u => u.Name).SingleAsync(cancellationToken);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{instruction.LeaderName}同志：\n");
        text.Append(CultureInfo.InvariantCulture, $"{instruction.InstructedOn.Year}年{ReviewBulletin.Short(instruction.InstructedOn)}，您");
        if (instruction.SourceDocument is { } document)
        {
            text.Append(CultureInfo.InvariantCulture, $"在《{document.Trim('《', '》')}》上");
        }

        text.Append(CultureInfo.InvariantCulture, $"批示：“{instruction.Text}”{office}按照批示要求，交");
        var matters = instruction.Matters.OrderBy(m => m.Position).Select(m => m.Matter!).ToList();
        text.Append(string.Join("、", matters.Select(m => m.LeadUnit!.Name).Distinct()));
        text.Append(partial ? "办理。现将阶段性办理情况报告如下：\n" : "办理。现将办理结果报告如下：\n");
        var n = 0;
        foreach (var matter in matters)
        {
            var result = results.GetValueOrDefault(matter.Id);
            var state = InstructionProgress.IsDone(matter.Status) ? "已办结" : $"目前{Labels.Of(matter.Status)}";
            text.Append(CultureInfo.InvariantCulture, $"{ReviewBulletin.Ordinal(++n)}、{matter.LeadUnit!.Name}（{state}）：{result ?? "尚未报送办理结果。"}\n");
        }

        text.Append(partial ? "我们将继续跟踪督办，办结后另行报告。\n特此报告。" : "特此报告。");
        return text.ToString();
    }

    /// <summary>Each matter's latest result: its last completion note (申请办结) or a work item's last progress report.</summary>
    private async Task<Dictionary<long, string>> ResultsAsync(List<long> matterIds, CancellationToken cancellationToken)
    {
        if (matterIds.Count == 0)
        {
            return [];
        }

        var rows = await db.MatterEvents.AsNoTracking()
            .Where(e => matterIds.Contains(e.MatterId) && (e.Action == MatterAction.Complete || e.Action == MatterAction.Progress) && e.Note != null)
            .Select(e => new { e.MatterId, e.Sequence, e.Action, e.Note, e.Data }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.MatterId).ToDictionary(g => g.Key, g =>
        {
            var last = g.OrderByDescending(r => r.Action == MatterAction.Complete).ThenByDescending(r => r.Sequence).First();
            if (last.Action == MatterAction.Progress && EventJson.Deserialize(last.Data).Percent is { } percent)
            {
                return string.Create(CultureInfo.InvariantCulture, $"已完成 {percent}%，{last.Note}");
            }

            return last.Note!;
        });
    }

    private async Task<IQueryable<Instruction>> VisibleAsync(Actor actor, CancellationToken cancellationToken)
    {
        var all = db.Instructions.AsQueryable();
        if (actor.Has(Role.Admin))
        {
            return all;
        }

        var unitId = actor.UnitId;
        var person = Enterprises.PersonOf(actor);
        if (actor.Has(Role.Supervisor))
        {
            var tree = await UnitTree.LoadAsync(db, [unitId], cancellationToken);
            var scope = tree.OversightPath(actor) ?? "\u0001"; // no oversight: own unit's matters only
            var overseen = db.Units.Where(u => u.Path.StartsWith(scope)).Select(u => u.Id);
            return all.Where(i => overseen.Contains(i.OfficeUnitId) || i.OfficeUnitId == unitId);
        }

        // A leader sees their own; a unit those it was assigned (as lead or co-unit).
        return all.Where(i => (person != null && i.LeaderUserId == person)
            || i.Matters.Any(m => m.Matter!.LeadUnitId == unitId || m.Matter.CoUnits.Any(c => c.UnitId == unitId)));
    }

    private async Task<Instruction> LoadAsync(long id, Actor actor, bool track, CancellationToken cancellationToken)
    {
        var query = await VisibleAsync(actor, cancellationToken);
        if (!track)
        {
            query = query.AsNoTracking();
        }

        return await query.Include(i => i.Reports).Include(i => i.Matters).ThenInclude(m => m.Matter).ThenInclude(m => m!.LeadUnit)
            .AsSplitQuery().SingleOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw new NotFoundException($"批示件 {id} 不存在。");
    }

    private async Task SaveAsync(Instruction instruction, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Instructions.AsNoTracking().Where(i => i.Id == instruction.Id).Select(i => i.Version).SingleAsync(cancellationToken);
            throw Stale(instruction.Version - 1, current);
        }
    }

    private static void CheckVersion(Instruction instruction, int? version)
    {
        if (version is { } v && v != instruction.Version)
        {
            throw Stale(v, instruction.Version);
        }
    }

    private static RuleConflictException Stale(int expected, int actual) =>
        new(string.Create(CultureInfo.InvariantCulture, $"批示件已被他人修改（您的版本 {expected}，当前版本 {actual}），请刷新后重试。"));

    private static void RequireManager(Actor actor)
    {
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以交办批示件、上传扫描件或办结归档。");
        }
    }

    private static bool IsLeader(Actor actor, Instruction instruction) =>
        instruction.LeaderUserId is { } leader && Enterprises.PersonOf(actor) == leader;

    internal static InstructionStatus StatusOf(Instruction instruction) =>
        InstructionProgress.Of(instruction.Matters.Select(m => m.Matter!.Status).ToList(),
            instruction.Reports.Any(r => r.Stage == ReportStage.Sent && !r.Partial), instruction.ClosedAt is not null);

    private InstructionSummary Summary(Instruction i)
    {
        var status = StatusOf(i);
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var sent = i.Reports.Where(r => r.Stage == ReportStage.Sent).Max(r => r.SentAt);
        return new InstructionSummary(i.Id, i.Number, i.LeaderName, i.LeaderTitle, i.LeaderUserId, i.InstructedOn, Excerpt(i.Text, 60),
            i.Matters.OrderBy(m => m.Position).Select(m => m.Matter!.LeadUnit!.Name).Distinct().ToList(), status, InstructionProgress.Label(status), i.DueOn,
            i.DueOn is { } due && due < today && status is not (InstructionStatus.Reported or InstructionStatus.Closed),
            sent is { } s ? ChinaTime.ToLocal(s) : null);
    }

    private static InstructionReportView View(InstructionReport r) => new(r.Id, r.Partial, r.PartialReason, r.Stage, InstructionProgress.Label(r.Stage), r.Text,
        r.DraftedByName, ChinaTime.ToLocal(r.DraftedAt), r.ApprovedByName, r.ApprovedAt is { } a ? ChinaTime.ToLocal(a) : null, r.SentByName,
        r.SentAt is { } s ? ChinaTime.ToLocal(s) : null);

    private static string DefaultTitle(Instruction instruction) => Excerpt($"落实{instruction.LeaderName}同志批示：{instruction.Text}", NewMatterRules.MaxTitle);

    /// <summary>The start of a text, on one line, with … when cut.</summary>
    public static string Excerpt(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= length ? line : string.Concat(line.AsSpan(0, length - 1), "…");
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        ChinaTime.TryParseDate(text?.Trim(), out date);

    private static void Limit(Dictionary<string, string[]> errors, string field, string? value, string label, int max)
    {
        if (value is { Length: var length } && length > max)
        {
            errors[field] = [$"{label}不能超过 {max} 字。"];
        }
    }

    private static void Limit(string value, string field, string label, int max)
    {
        if (value.Length > max)
        {
            throw ValidationFailedException.For(field, $"{label}不能超过 {max} 字。");
        }
    }
}
