using Duban.Calendar;
using Duban.Items;
using Duban.Matters;
using Duban.TimeLimits;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A node as submitted: its name and date (2025-03-31).</summary>
public sealed record NodeInput(string? Name, string? DueAt);

/// <summary>A reporting cycle as submitted: <c>{kind:"monthly", day:25}</c> or <c>{kind:"weekly", weekday:5}</c>.</summary>
public sealed record CycleInput(string? Kind, int? Day, int? Weekday);

/// <summary>A new work item as the API spells it.</summary>
public sealed record NewItem
{
    public string? Title { get; init; }
    public string? Content { get; init; }

    /// <summary>key-work, project, reform or meeting.</summary>
    public string? Register { get; init; }

    public string? LeadUnit { get; init; }
    public IReadOnlyList<string>? CoUnits { get; init; }
    public IReadOnlyList<NodeInput>? Plan { get; init; }
    public CycleInput? Cycle { get; init; }

    /// <summary>The parent item's id, for a child item split from it per unit (分解).</summary>
    public long? Parent { get; init; }

    public string? Note { get; init; }

    /// <summary>责任领导、责任人、联络员 (as <see cref="NewMatter.People"/>).</summary>
    public IReadOnlyList<PersonInput?>? People { get; init; }

    /// <summary>专项行动 ids (the office only).</summary>
    public IReadOnlyList<long>? Campaigns { get; init; }
}

/// <summary>A progress report as submitted; <c>files</c> are ids of attachments already uploaded to the item.</summary>
public sealed record ProgressInput(int? Percent, string? Done, string? Problems, string? Next, string? Reason, IReadOnlyList<long>? Files);

/// <summary>Meeting a node: what shows it is met, and the evidence files (attachment ids).</summary>
public sealed record MeetInput(string? Note, IReadOnlyList<long>? Files);

/// <summary>A node or report due as shown.</summary>
public sealed record ItemMilestoneView(int Node, string Name, DateOnly Date, MilestoneStatus Status, string StatusName, DateTimeOffset? MetAt,
    DateOnly? OriginalDate);

/// <summary>A progress report as shown; <paramref name="CoUnit"/> is the co-unit whose share it is (null: the lead unit's).</summary>
public sealed record ProgressView(int Sequence, DateTimeOffset At, string By, int Percent, string? Done, string? Problems, string? Next,
    IReadOnlyList<long> Files, UnitRef? CoUnit = null);

/// <summary>A work item in a list.</summary>
public sealed record ItemSummary(long Id, string Code, string Title, string Register, string RegisterName, UnitRef LeadUnit,
    MatterStatus Status, string StatusName, int? Percent, Colour Colour, string ColourName, DateOnly? NextNodeDate, string? NextNodeName,
    long? ParentId);

/// <summary>A work item in full: plan, reports, colour with its reason, children roll-up.</summary>
public sealed record ItemDetails(ItemSummary Item, string? Content, IReadOnlyList<UnitRef> CoUnits, string? Cycle, DateOnly Start, DateOnly? End,
    double? ExpectedPercent, IReadOnlyList<ItemMilestoneView> Nodes, IReadOnlyList<ItemMilestoneView> Reports, IReadOnlyList<ProgressView> Progress,
    IReadOnlyList<ItemSummary> Children, int? RollupPercent, Colour RollupColour, int Version, IReadOnlyList<MatterAction> AllowedActions);

/// <summary>
/// Work items (工作事项): 重点工作, 重大项目, 改革事项 and 会议议定事项 on a plan of dated nodes with periodic progress reports
/// and three colours. Every change goes through the matter lifecycle (<see cref="ActOnMatter"/>), so the deadline engine,
/// the history and the colour events behave as for any matter.
/// </summary>
public sealed class WorkItems(DubanDbContext db, Rules rules, TimeProvider clock, AssignMatter assign, ActOnMatter act)
{
    /// <summary>Creates an item with its plan (and, with <see cref="NewItem.Parent"/>, as a child of another).</summary>
    /// <exception cref="ValidationFailedException">Any field is invalid (keys such as <c>plan[2].dueAt</c>); nothing is stored.</exception>
    public async Task<long> CreateAsync(NewItem input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以交办工作事项。");
        }

        var errors = new Dictionary<string, string[]>();
        var title = UserText.Clean(input.Title);
        var content = UserText.Clean(input.Content) ?? title;
        NewMatterRules.CheckText(title, content, errors);
        ItemRegister? register = null;
        if (ItemRegisters.TryParse(input.Register, out var r))
        {
            register = r;
        }
        else if (!string.IsNullOrWhiteSpace(input.Register))
        {
            errors["register"] = ["台账必须是 key-work（重点工作）、project（重大项目）、reform（改革事项）或 meeting（会议议定事项）。"];
        }

        var plan = ParsePlan(input.Plan, errors);
        var cycle = ParseCycle(input.Cycle, errors);
        var lead = input.LeadUnit?.Trim();
        if (string.IsNullOrEmpty(lead))
        {
            errors["leadUnit"] = ["必须指定牵头单位。"];
        }

        if (input.CoUnits is { Count: > NewMatterRules.MaxCoUnits })
        {
            throw ValidationFailedException.For("coUnits", $"配合单位不能超过 {NewMatterRules.MaxCoUnits} 个。");
        }

        var coUnits = (input.CoUnits ?? []).Select(c => c?.Trim() ?? string.Empty).ToList();
        var units = await assign.ActiveUnitsAsync(string.IsNullOrEmpty(lead) ? coUnits : [.. coUnits, lead], cancellationToken);
        long leadId = 0;
        if (!string.IsNullOrEmpty(lead) && !units.TryGetValue(lead, out leadId))
        {
            errors["leadUnit"] = AssignMatter.UnknownUnits([lead]);
        }

        if (coUnits.Where(c => !units.ContainsKey(c)).ToList() is { Count: > 0 } unknown)
        {
            errors["coUnits"] = AssignMatter.UnknownUnits(unknown);
        }

        if (input.Parent is { } parentId)
        {
            var parent = await (await VisibleMatters.QueryAsync(db, actor, cancellationToken)).AsNoTracking()
                .Where(m => m.Id == parentId).Select(m => new { m.Kind, m.ParentId }).SingleOrDefaultAsync(cancellationToken);
            if (parent is null || parent.Kind != MatterKind.Item)
            {
                errors["parent"] = [$"上级工作事项 {parentId} 不存在。"];
            }
            else if (parent.ParentId is not null)
            {
                errors["parent"] = ["只能分解一级：上级事项本身已是分解出的子事项。"];
            }
        }

        var named = await new MatterPeople(db, rules, clock).ResolveAsync(input.People, MatterKind.Item, errors, cancellationToken);
        if (input.Campaigns is { Count: > 0 } && !Campaigns.MayManage(actor))
        {
            errors["campaigns"] = ["只有督查室可以把事项列入专项行动。"];
        }

        var tags = await Campaigns.ResolveAsync(db, input.Campaigns, errors, cancellationToken);
        var matter = new MatterToAssign(MatterKind.Item, register == ItemRegister.Meeting ? MatterSource.Meeting : MatterSource.Instruction,
            title ?? string.Empty, content ?? string.Empty, leadId)
        {
            CoUnitIds = coUnits.Where(units.ContainsKey).Select(c => units[c]).ToList(),
            Note = UserText.Clean(input.Note),
            Register = register,
            Plan = plan,
            Cycle = cycle,
        };
        var prepared = assign.Prepare(matter, actor, clock.GetUtcNow(), errors);
        // Inside a caller's transaction (an instruction assigned to several units) that one; alone, one of our own.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var stored = await assign.AddAsync(prepared, cancellationToken);
        stored.ParentId = input.Parent;
        named.ForEach(p => p.Matter = stored);
        db.MatterPeople.AddRange(named);
        db.MatterCampaigns.AddRange(tags.Select(t => new MatterCampaign { Matter = stored, CampaignId = t }));
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return stored.Id;
    }

    /// <summary>进度填报 by the lead unit.</summary>
    public Task<MatterEvent> ReportAsync(long id, ProgressInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActAsync(id, new MatterCommand(MatterAction.Progress)
        {
            Percent = input.Percent,
            Note = input.Done,
            Problems = input.Problems,
            Next = input.Next,
            Reason = input.Reason,
            AttachmentIds = input.Files,
        }, actor, cancellationToken);
    }

    /// <summary>增加节点 (lead unit or assigning side), within the plan's start and end.</summary>
    public Task<MatterEvent> AddNodeAsync(long id, NodeInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        var node = ParseNode(input, "", errors);
        return errors.Count > 0
            ? throw new ValidationFailedException(errors)
            : ActAsync(id, new MatterCommand(MatterAction.Plan) { PlannedNode = node }, actor, cancellationToken);
    }

    /// <summary>完成节点 with evidence, by the lead unit.</summary>
    public Task<MatterEvent> MeetAsync(long id, int node, MeetInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActAsync(id, new MatterCommand(MatterAction.Meet) { Node = node, Note = input.Note, AttachmentIds = input.Files }, actor, cancellationToken);
    }

    private async Task<MatterEvent> ActAsync(long id, MatterCommand command, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (command.AttachmentIds is { Count: > 0 } files)
        {
            var distinct = files.Distinct().ToList();
            var found = await db.Attachments.AsNoTracking().CountAsync(a => a.MatterId == id && distinct.Contains(a.Id), cancellationToken);
            if (found != distinct.Count)
            {
                throw ValidationFailedException.For("files", "附件须先上传到本事项（POST /api/matters/{id}/attachments），再在此引用其编号。");
            }

            command = command with { AttachmentIds = distinct };
        }

        return await act.ExecuteAsync(id, command, null, actor, cancellationToken);
    }

    /// <summary>Items the actor may see, filtered by register, colour and parent; newest first.</summary>
    public async Task<IReadOnlyList<ItemSummary>> ListAsync(ItemRegister? register, Colour? colour, long? parent, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var query = (await VisibleMatters.QueryAsync(db, actor, cancellationToken)).AsNoTracking().Where(m => m.Kind == MatterKind.Item);
        if (register is { } reg)
        {
            query = query.Where(m => m.Register == reg);
        }

        if (colour is { } c)
        {
            query = query.Where(m => m.Colour == c);
        }

        if (parent is { } p)
        {
            query = query.Where(m => m.ParentId == p);
        }

        var rows = await query.OrderByDescending(m => m.Id).Take(1000)
            .Include(m => m.LeadUnit).Include(m => m.Milestones).AsSplitQuery().ToListAsync(cancellationToken);
        return rows.Select(Summary).ToList();
    }

    /// <summary>One item: its plan, reports, progress history, colour and its children's roll-up.</summary>
    public async Task<ItemDetails> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, id, actor, cancellationToken,
            include: q => q.Include(m => m.LeadUnit).Include(m => m.Events));
        if (state.Kind != MatterKind.Item)
        {
            throw new NotFoundException($"工作事项 {id} 不存在。");
        }

        var now = clock.GetUtcNow();
        var coUnits = await db.Units.AsNoTracking().Where(u => state.CoUnitIds.Contains(u.Id)).ToListAsync(cancellationToken);
        var children = await ListAsync(null, null, id, actor, cancellationToken);
        var own = matter.Colour ?? ItemColour.Of(state, now, rules.LifecycleOptions.Items.Tolerance);
        var (rollupPercent, rollupColour) = ItemRollup.Of(children.Select(c => new ChildProgress(c.Percent, c.Colour)).ToList(), own);
        var reports = matter.Events.Where(e => e.Action == MatterAction.Progress).OrderBy(e => e.Sequence)
            .Select(e => (Row: e, Data: EventJson.Deserialize(e.Data))).ToList();
        var shareUnits = reports.Where(r => r.Data.CoUnitId is not null).Select(r => r.Data.CoUnitId!.Value).Distinct().ToList();
        var sharers = shareUnits.Count == 0
            ? new Dictionary<long, Unit>()
            : await db.Units.AsNoTracking().Where(u => shareUnits.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var progress = reports.Select(r => new ProgressView(r.Row.Sequence, ChinaTime.ToLocal(r.Row.At), r.Row.ActorName, r.Data.Percent ?? 0, r.Row.Note,
            r.Data.Problems, r.Data.Next, r.Data.AttachmentIds ?? [],
            r.Data.CoUnitId is { } co && sharers.TryGetValue(co, out var unit) ? ViewMapping.Ref(unit) : null)).ToList();
        return new ItemDetails(Summary(matter), matter.Content, state.CoUnitIds.Select(u => coUnits.Single(x => x.Id == u)).Select(ViewMapping.Ref).ToList(),
            state.Cycle?.Label, ItemPlan.Start(state), ItemPlan.End(state), ItemColour.Expected(state, now),
            Views(state, Stage.Node, now), Views(state, Stage.Report, now), progress, children, rollupPercent, rollupColour, state.Version,
            rules.Lifecycle().AllowedActions(state, actor, now, tree));
    }

    internal static List<ItemMilestoneView> Views(MatterState state, Stage stage, DateTimeOffset now) =>
        state.Milestones.Where(m => m.Stage == stage).OrderBy(m => m.DueAt).ThenBy(m => m.Node).Select(m =>
        {
            var status = m.StatusAt(now, state.IsClockSuspended);
            return new ItemMilestoneView(m.Node, Labels.Of(m), ItemPlan.DayOf(m.DueAt), status, Labels.Of(status),
                m.MetAt is { } met ? ChinaTime.ToLocal(met) : null, m.OriginalDueAt is { } o ? ItemPlan.DayOf(o) : null);
        }).ToList();

    private static ItemSummary Summary(Matter m) => ItemQueries.Summary(m);

    private static List<PlannedNode>? ParsePlan(IReadOnlyList<NodeInput>? plan, Dictionary<string, string[]> errors)
    {
        if (plan is null)
        {
            return null;
        }

        var nodes = new List<PlannedNode>();
        for (var i = 0; i < plan.Count; i++)
        {
            if (ParseNode(plan[i] ?? new NodeInput(null, null), FormattableString.Invariant($"plan[{i}]."), errors) is { } node)
            {
                nodes.Add(node);
            }
        }

        return nodes;
    }

    private static PlannedNode? ParseNode(NodeInput input, string prefix, Dictionary<string, string[]> errors)
    {
        var name = UserText.Clean(input.Name);
        if (string.IsNullOrWhiteSpace(input.DueAt) || !ChinaTime.TryParseDeadline(input.DueAt, out var due))
        {
            errors[prefix + "dueAt"] = ["请填写节点日期，如 2025-03-31。"];
            if (name is null)
            {
                errors[prefix + "name"] = ["请填写节点名称。"];
            }

            return null;
        }

        return new PlannedNode(name ?? string.Empty, ItemPlan.DayOf(due));
    }

    private static ReportCycle? ParseCycle(CycleInput? input, Dictionary<string, string[]> errors)
    {
        if (input is null)
        {
            return null;
        }

        if (string.Equals(input.Kind?.Trim(), "weekly", StringComparison.OrdinalIgnoreCase))
        {
            return input.Weekday is { } w ? new ReportCycle(CycleKind.Weekly, w) : Fail(errors, "cycle.weekday", "请填写每周填报的星期（1 为周一，7 为周日）。");
        }

        if (string.Equals(input.Kind?.Trim(), "monthly", StringComparison.OrdinalIgnoreCase))
        {
            return input.Day is { } d ? new ReportCycle(CycleKind.Monthly, d) : Fail(errors, "cycle.day", "请填写每月填报日（1–31）。");
        }

        return Fail(errors, "cycle.kind", "填报周期必须是 weekly（每周）或 monthly（每月）。");
    }

    private static ReportCycle? Fail(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }
}
