using Duban.Calendar;
using Duban.Items;
using Duban.TimeLimits;

namespace Duban.Matters;

/// <summary>What a person asks to do to an existing matter.</summary>
/// <param name="Action">The action.</param>
public sealed record MatterCommand(MatterAction Action)
{
    /// <summary>Note, reason (return, transfer, reopen) or result (complete).</summary>
    public string? Note { get; init; }

    /// <summary>Verify: accepted or sent back.</summary>
    public bool? Accepted { get; init; }

    /// <summary>Rate: the rating.</summary>
    public Satisfaction? Satisfaction { get; init; }

    /// <summary>Transfer: the receiving unit.</summary>
    public long? TargetUnitId { get; init; }

    /// <summary>Transfer as 上报: the lead unit hands a case beyond its power to the level above (the target), with a
    /// reason, instead of the assigning side moving it.</summary>
    public bool Escalate { get; init; }

    /// <summary>The version the client saw; a stale one is refused.</summary>
    public int? ExpectedVersion { get; init; }

    /// <summary>Extend: the stage whose deadline moves.</summary>
    public Stage? Stage { get; init; }

    /// <summary>Extend: the new due instant.</summary>
    public DateTimeOffset? NewDueAt { get; init; }

    /// <summary>Attach: the files already stored.</summary>
    public IReadOnlyList<Attachments.AttachedFile>? Files { get; init; }

    /// <summary>Meet, Progress: evidence, as ids of attachments already uploaded to the matter (checked by the caller).</summary>
    public IReadOnlyList<long>? AttachmentIds { get; init; }

    /// <summary>Extend, Meet: the node number of the milestone (0 for the 13710 stages).</summary>
    public int Node { get; init; }

    /// <summary>Plan: the node to add.</summary>
    public PlannedNode? PlannedNode { get; init; }

    /// <summary>Progress: the percent done, 0–100 (<see cref="Note"/> holds what was done).</summary>
    public int? Percent { get; init; }

    /// <summary>Progress: the problems met.</summary>
    public string? Problems { get; init; }

    /// <summary>Progress: the next steps.</summary>
    public string? Next { get; init; }

    /// <summary>Progress: why the percent is lower than the last report's (required then).</summary>
    public string? Reason { get; init; }
}

/// <summary>A new matter's clock settings, checked before the assignment event is made.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="AssignerUnitId">The unit assigning it.</param>
/// <param name="LeadUnitId">The lead unit.</param>
/// <param name="CoUnitIds">Co-handling units.</param>
/// <param name="Profile">The time-limit profile name.</param>
/// <param name="Complex">Marked complex.</param>
/// <param name="CompleteBy">An explicit completion deadline, replacing the profile's.</param>
public sealed record AssignCommand(MatterKind Kind, long AssignerUnitId, long LeadUnitId, IReadOnlyList<long> CoUnitIds,
    string Profile, bool Complex, DateTimeOffset? CompleteBy)
{
    /// <summary>A work item's register (required for <see cref="MatterKind.Item"/>).</summary>
    public ItemRegister? Register { get; init; }

    /// <summary>A work item's plan: at least one node, none before the assignment day.</summary>
    public IReadOnlyList<PlannedNode>? Plan { get; init; }

    /// <summary>A work item's reporting cycle (optional).</summary>
    public ReportCycle? Cycle { get; init; }
}

/// <summary>Settings of the lifecycle.</summary>
public sealed record LifecycleOptions
{
    /// <summary>How long after verification an appeal may be closed without a rating (回访期限).</summary>
    public TimeLimit RatingWindow { get; init; } = TimeLimit.WorkingDays(5);

    /// <summary>The latest explicit deadline accepted, counted from now.</summary>
    public TimeSpan MaxExplicitDeadline { get; init; } = TimeSpan.FromDays(3 * 366);

    /// <summary>The longest note, reason or result.</summary>
    public int MaxNoteLength { get; init; } = 4000;

    /// <summary>An extension must be asked for at least this many working days before the due instant (0 = any time before it).</summary>
    public int ExtensionNoticeWorkingDays { get; init; } = 1;

    /// <summary>The latest deadline an extension may set, counted from now.</summary>
    public TimeSpan MaxExtension { get; init; } = TimeSpan.FromDays(366);

    /// <summary>Settings for work items (nodes, reports, colours).</summary>
    public ItemOptions Items { get; init; } = new();
}

/// <summary>
/// The lifecycle of a matter: 交办 → 签收 (or 退回) → 反馈 → 申请办结 → 审核 → 回访 → 销号, with 转办 and reopening.
/// Decides whether an action is allowed and, if so, returns the event it makes. Pure: time, the calendar, the
/// profiles and the unit tree come in as arguments.
/// </summary>
public sealed class MatterLifecycle
{
    private readonly WorkingCalendar _calendar;
    private readonly IReadOnlyDictionary<string, TimeLimitProfile> _profiles;
    private readonly LifecycleOptions _options;

    /// <summary>Creates the lifecycle over a calendar and the configured profiles.</summary>
    public MatterLifecycle(WorkingCalendar calendar, IEnumerable<TimeLimitProfile> profiles, LifecycleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(profiles);
        _calendar = calendar;
        _profiles = profiles.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _options = options ?? new LifecycleOptions();
    }

    /// <summary>The calendar deadlines are counted on.</summary>
    public WorkingCalendar Calendar => _calendar;

    /// <summary>The configured profiles by name.</summary>
    public IReadOnlyDictionary<string, TimeLimitProfile> Profiles => _profiles;

    /// <summary>Settings.</summary>
    public LifecycleOptions Options => _options;

    /// <summary>Checks a new matter's clock settings and makes its first event.</summary>
    /// <exception cref="ForbiddenException">The actor may not assign.</exception>
    /// <exception cref="ValidationFailedException">A setting is invalid.</exception>
    public MatterEvent Assign(AssignCommand command, Actor actor, DateTimeOffset now, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor) && !(command.Kind == MatterKind.Appeal && AccessRules.MayReceiveAppeals(actor)))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以交办事项。");
        }

        var errors = CheckAssign(command, now);
        if (errors.Count > 0 || !_profiles.TryGetValue(command.Profile, out var profile))
        {
            throw new ValidationFailedException(errors);
        }

        var completeBy = command.CompleteBy is { } explicitDue
            ? new Deadline(ChinaTime.ToLocal(explicitDue), !_calendar.IsCertain(ChinaTime.DateOf(explicitDue)))
            : (Deadline?)null;
        var schedule = command.Kind == MatterKind.Item ? ScheduleItem(command, profile, now) : profile.Schedule(now, command.Complex, _calendar, completeBy);
        return new MatterEvent(1, MatterAction.Assign, now, actor.Ref, note, new MatterEventData
        {
            Register = command.Register,
            Cycle = command.Cycle,
            Kind = command.Kind,
            AssignerUnitId = command.AssignerUnitId,
            LeadUnitId = command.LeadUnitId,
            CoUnitIds = command.CoUnitIds,
            Profile = profile.Name,
            Complex = command.Complex,
            Schedule = schedule,
        });
    }

    /// <summary>A work item's first schedule: acknowledge by the profile's limit (capped at the first node), the nodes, and
    /// the first report due when there is a cycle.</summary>
    private List<ScheduledMilestone> ScheduleItem(AssignCommand command, TimeLimitProfile profile, DateTimeOffset now)
    {
        var nodes = ItemPlan.ScheduleNodes(command.Plan!, 1, now, _calendar, _options.Items);
        var first = nodes[0];
        var schedule = new List<ScheduledMilestone>
        {
            profile.ScheduleStage(Stage.Acknowledge, now, false, _calendar, new Deadline(first.DueAt, first.IsProvisional)),
        };
        schedule.AddRange(nodes);
        if (command.Cycle is { } cycle)
        {
            schedule.Add(ItemPlan.ScheduleReport(cycle, 1, ChinaTime.DateOf(now), now, _calendar, _options.Items));
        }

        return schedule;
    }

    /// <summary>The problems with a new matter's clock settings, by field (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string[]> CheckAssign(AssignCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new Dictionary<string, string[]>();
        if (!_profiles.ContainsKey(command.Profile))
        {
            errors["profile"] = [$"未知的时限规则「{command.Profile}」，可选：{string.Join("、", _profiles.Keys)}。"];
        }

        if (command.CoUnitIds.Contains(command.LeadUnitId))
        {
            errors["coUnits"] = ["配合单位不能包含牵头单位。"];
        }
        else if (command.CoUnitIds.Distinct().Count() != command.CoUnitIds.Count)
        {
            errors["coUnits"] = ["配合单位重复。"];
        }

        if (command.CompleteBy is { } due && (due <= now || due > now + _options.MaxExplicitDeadline))
        {
            errors["dueAt"] = [$"办结期限必须晚于现在且不超过 {(int)_options.MaxExplicitDeadline.TotalDays} 天。"];
        }

        if (command.Kind == MatterKind.Item)
        {
            if (command.Register is null)
            {
                errors["register"] = ["请选择台账：key-work（重点工作）、project（重大项目）、reform（改革事项）或 meeting（会议议定事项）。"];
            }

            if (command.Cycle is { IsValid: false } cycle)
            {
                errors["cycle"] = [cycle.Kind == CycleKind.Weekly ? "每周填报日必须是 1（周一）到 7（周日）。" : "每月填报日必须是 1 到 31。"];
            }

            var today = ChinaTime.DateOf(now);
            ItemPlan.Check(command.Plan, today, ChinaTime.DateOf(now + _options.MaxExplicitDeadline), _options.Items, errors);
        }

        return errors;
    }

    /// <summary>The actions the actor may take on the matter right now.</summary>
    public IReadOnlyList<MatterAction> AllowedActions(MatterState state, Actor actor, DateTimeOffset now, IUnitTree tree) =>
        Enum.GetValues<MatterAction>()
            .Where(a => Allows(a, state, actor, now, tree))
            .ToList();

    /// <summary>Whether the actor may take this one action right now (what <see cref="AllowedActions"/> would list).</summary>
    public bool Allows(MatterAction action, MatterState state, Actor actor, DateTimeOffset now, IUnitTree tree) =>
        action != MatterAction.Assign && MayAct(action, state, actor, tree) && StatusAllows(action, state, now);

    /// <summary>Decides an action: returns the event it makes, or throws saying why not.</summary>
    /// <exception cref="ConcurrencyConflictException">The client's version is stale.</exception>
    /// <exception cref="ForbiddenException">The actor is not on the side that may take the action.</exception>
    /// <exception cref="InvalidTransitionException">The action does not fit the status.</exception>
    /// <exception cref="ValidationFailedException">A required field is missing or invalid.</exception>
    public MatterEvent Decide(MatterState state, MatterCommand command, Actor actor, DateTimeOffset now, IUnitTree tree)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var action = command.Action;
        if (action == MatterAction.Assign)
        {
            throw new InvalidTransitionException(action, state.Status, AllowedActions(state, actor, now, tree));
        }

        if (command.ExpectedVersion is { } expected && expected != state.Version)
        {
            throw new ConcurrencyConflictException(expected, state.Version) { Status = state.Status };
        }

        if (command.Escalate && action == MatterAction.Transfer)
        {
            if (!AccessRules.IsLeadUnit(actor, state))
            {
                throw new ForbiddenException("只有牵头单位可以上报。");
            }

            if (state.Status is not (MatterStatus.Assigned or MatterStatus.Acknowledged))
            {
                throw new InvalidTransitionException(action, state.Status, AllowedActions(state, actor, now, tree));
            }
        }
        else if (!MayAct(action, state, actor, tree))
        {
            throw new ForbiddenException(action == MatterAction.Attach
                ? "只有牵头单位、配合单位和交办方可以上传附件。"
                : action == MatterAction.Plan
            ? "只有牵头单位和交办方可以增加节点。"
            : action == MatterAction.Progress
            ? "只有牵头单位和配合单位可以填报进度。"
            : IsLeadUnitAction(action)
                ? $"只有牵头单位可以{Labels.Of(action)}。"
                : $"只有交办方（督查室、领导）可以{Labels.Of(action)}。");
        }

        if (action == MatterAction.Complete && state.Kind == MatterKind.Item && state.Status == MatterStatus.Acknowledged
            && UnmetNodes(state) is { Count: > 0 } unmet)
        {
            throw new RuleConflictException($"还有未完成的时间节点：{string.Join("、", unmet.Select(m => m.Name))}，不能申请办结。");
        }

        if (!StatusAllows(action, state, now))
        {
            throw new InvalidTransitionException(action, state.Status, AllowedActions(state, actor, now, tree));
        }

        var note = Normalize(command.Note);
        if (note is { Length: var length } && length > _options.MaxNoteLength)
        {
            throw ValidationFailedException.For(NoteField(action), $"不能超过 {_options.MaxNoteLength} 字。");
        }

        var data = action switch
        {
            MatterAction.Return or MatterAction.Feedback or MatterAction.Complete or MatterAction.Reopen
                when note is null => throw ValidationFailedException.For(NoteField(action), $"{Labels.Of(action)}必须填写{NoteLabel(action)}。"),
            MatterAction.Verify => VerifyData(state, command, note, now),
            MatterAction.Rate => RateData(state, command, now),
            MatterAction.Transfer => TransferData(state, command, note, now),
            MatterAction.Reopen => new MatterEventData { Schedule = [ScheduleCompletion(state, now)] },
            MatterAction.Extend => ExtendData(state, command, now),
            MatterAction.Attach => Attached(state, command.Files ?? [], actor.Ref, now).Data,
            MatterAction.Plan => PlanData(state, command, now),
            MatterAction.Meet => MeetData(state, command, note),
            MatterAction.Progress => ProgressData(state, command, note, now, actor),
            _ => new MatterEventData(),
        };
        if (action == MatterAction.Attach)
        {
            note ??= Attached(state, data.Files!, actor.Ref, now).Note;
        }

        return new MatterEvent(state.Version + 1, action, now, actor.Ref, note, data);
    }

    /// <summary>The event that records files added to a matter (上传附件). <see cref="Decide"/> makes it for staff after
    /// checking who they are; the public portal's intake makes it for the citizen's files, which come with the appeal.</summary>
    /// <exception cref="ValidationFailedException">No files.</exception>
    public static MatterEvent Attached(MatterState state, IReadOnlyList<Attachments.AttachedFile> files, ActorRef actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw ValidationFailedException.For("files", "请选择要上传的文件。");
        }

        // The history reads 上传附件 a.pdf、b.png without opening the event's data.
        return new MatterEvent(state.Version + 1, MatterAction.Attach, now, actor, string.Join("、", files.Select(f => f.Name)),
            new MatterEventData { Files = files });
    }

    private static List<Milestone> UnmetNodes(MatterState state) =>
        state.Milestones.Where(m => m.Stage == Stage.Node && m.MetAt is null).OrderBy(m => m.DueAt).ToList();

    /// <summary>增加节点: a named node dated from the plan's start through its end (moving the end is an extension).</summary>
    private MatterEventData PlanData(MatterState state, MatterCommand command, DateTimeOffset now)
    {
        if (command.PlannedNode is not { } node)
        {
            throw ValidationFailedException.For("name", "请填写节点名称和日期。");
        }

        var errors = new Dictionary<string, string[]>();
        var start = ItemPlan.Start(state);
        ItemPlan.CheckNode(node, start, ItemPlan.End(state) ?? start, _options.Items, errors);
        if (state.Milestones.Count(m => m.Stage == Stage.Node) >= _options.Items.MaxNodes)
        {
            errors["name"] = [$"时间节点不能超过 {_options.Items.MaxNodes} 个。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var number = state.Milestones.Where(m => m.Stage == Stage.Node).Select(m => m.Node).DefaultIfEmpty(0).Max() + 1;
        return new MatterEventData { Schedule = ItemPlan.ScheduleNodes([node], number, now, _calendar, _options.Items) };
    }

    /// <summary>完成节点: an unmet node, with a note saying what shows it is met (evidence files optional).</summary>
    private static MatterEventData MeetData(MatterState state, MatterCommand command, string? note)
    {
        var milestone = state.FindMilestone(Stage.Node, command.Node)
            ?? throw ValidationFailedException.For("node", $"节点 {command.Node} 不存在。");
        if (milestone.MetAt is not null)
        {
            throw new RuleConflictException($"节点「{milestone.Name}」已完成。");
        }

        return note is null
            ? throw ValidationFailedException.For("note", "请说明节点完成情况（佐证材料可上传附件）。")
            : new MatterEventData { Stage = Stage.Node, Node = command.Node, AttachmentIds = command.AttachmentIds is { Count: > 0 } f ? f : null };
    }

    /// <summary>进度填报: percent 0–100 (lower than the last only with a reason) and what was done; meets the report due
    /// and schedules the next one.</summary>
    /// <remarks>A co-unit (配合单位) reports its own share: stored as its report, it neither moves the item's percent
    /// nor meets the lead unit's report due, and is not held to the lead's last percent.</remarks>
    private MatterEventData ProgressData(MatterState state, MatterCommand command, string? note, DateTimeOffset now, Actor actor)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = Normalize(command.Reason);
        var share = !AccessRules.IsLeadUnit(actor, state);
        if (command.Percent is not { } percent || percent is < 0 or > 100)
        {
            errors["percent"] = ["完成进度必须是 0 到 100 之间的整数。"];
        }
        else if (!share && state.Percent is { } last && percent < last && reason is null)
        {
            errors["percent"] = [$"完成进度低于上次填报的 {last}%，请说明理由。"];
        }

        if (note is null)
        {
            errors["done"] = ["请填写本期完成情况。"];
        }

        foreach (var (field, text) in new[] { ("problems", command.Problems), ("next", command.Next), ("reason", command.Reason) })
        {
            if (Normalize(text) is { Length: var length } && length > _options.MaxNoteLength)
            {
                errors[field] = [$"不能超过 {_options.MaxNoteLength} 字。"];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var problems = Normalize(command.Problems);
        return new MatterEventData
        {
            Percent = command.Percent,
            Problems = reason is null ? problems : $"{problems}{(problems is null ? "" : "\n")}进度调低理由：{reason}",
            Next = Normalize(command.Next),
            AttachmentIds = command.AttachmentIds is { Count: > 0 } f ? f : null,
            CoUnitId = share ? actor.UnitId : null,
            Schedule = !share && ItemPlan.NextReport(state, now, _calendar, _options.Items) is { } report ? [report] : null,
        };
    }

    /// <summary>The event that records a change of a matter's named people (更改人员): the office or the lead unit
    /// changed them; <paramref name="summary"/> is the new list as read (责任人：张三、联络员：李四).</summary>
    public static MatterEvent PeopleChanged(MatterState state, string summary, ActorRef actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new MatterEvent(state.Version + 1, MatterAction.People, now, actor, summary, new MatterEventData());
    }

    /// <summary>审核: accepted, or sent back (退回重办) with a reason. A work item sent back reports again: its next report
    /// due is scheduled from today (the completion report met the last one).</summary>
    private MatterEventData VerifyData(MatterState state, MatterCommand command, string? note, DateTimeOffset now)
    {
        if (command.Accepted is not { } accepted)
        {
            throw ValidationFailedException.For("accepted", "请选择审核结果：通过或退回重办。");
        }

        if (!accepted && note is null)
        {
            throw ValidationFailedException.For("note", "退回重办必须说明理由。");
        }

        return new MatterEventData
        {
            Accepted = accepted,
            Schedule = !accepted && state.Kind == MatterKind.Item && ItemPlan.NextReport(state, now, _calendar, _options.Items) is { } report
                ? [report]
                : null,
        };
    }

    private MatterEventData RateData(MatterState state, MatterCommand command, DateTimeOffset now) => command.Satisfaction switch
    {
        null => throw ValidationFailedException.For("satisfaction", "请选择满意度：满意、基本满意或不满意。"),
        Satisfaction.Dissatisfied => new MatterEventData
        {
            Satisfaction = Satisfaction.Dissatisfied,
            Schedule = [ScheduleCompletion(state, now)],
        },
        { } rating => new MatterEventData { Satisfaction = rating },
    };

    private MatterEventData TransferData(MatterState state, MatterCommand command, string? note, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.TargetUnitId is not { } target)
        {
            errors["unit"] = ["请选择转办的单位。"];
        }
        else if (target == state.LeadUnitId)
        {
            errors["unit"] = ["转办单位与当前牵头单位相同。"];
        }

        if (note is null)
        {
            errors["reason"] = ["转办必须说明理由。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new MatterEventData
        {
            FromUnitId = state.LeadUnitId,
            LeadUnitId = command.TargetUnitId,
            Escalated = command.Escalate ? true : null,
            Schedule = ProfileOf(state).Schedule(now, state.Complex, _calendar),
        };
    }

    /// <summary>
    /// Checks an extension request (延期申请) by the lead unit: the milestone is unmet, the request comes at least
    /// <see cref="LifecycleOptions.ExtensionNoticeWorkingDays"/> working days before its due instant, and the proposed
    /// date is later than the current one and within <see cref="LifecycleOptions.MaxExtension"/>.
    /// </summary>
    /// <exception cref="ForbiddenException">The actor is not the lead unit.</exception>
    /// <exception cref="RuleConflictException">The matter or milestone no longer allows an extension (409).</exception>
    /// <exception cref="ValidationFailedException">The proposed date or the reason is invalid (400).</exception>
    public void CheckExtensionRequest(MatterState state, Stage stage, DateTimeOffset proposed, string? reason, Actor actor, DateTimeOffset now, int node = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.IsLeadUnit(actor, state))
        {
            throw new ForbiddenException("只有牵头单位可以申请延期。");
        }

        var milestone = state.FindMilestone(stage, node)
            ?? throw ValidationFailedException.For(stage == Stage.Node ? "node" : "stage", stage == Stage.Node ? $"节点 {node} 不存在。" : $"事项没有{Labels.Of(stage)}节点。");
        var name = Labels.Of(milestone);
        if (!StatusAllows(MatterAction.Extend, state, now) || milestone.MetAt is not null)
        {
            throw new RuleConflictException($"事项当前状态为「{Labels.Of(state.Status)}」，{name}节点{(milestone.MetAt is null ? "" : "已完成，")}不能申请延期。");
        }

        // "At least N working days before": before the last N working days up to the due instant begin.
        var latest = _options.ExtensionNoticeWorkingDays <= 0
            ? milestone.DueAt
            : TimeLimit.WorkingDays(_options.ExtensionNoticeWorkingDays).WindowStartBefore(milestone.DueAt, _calendar);
        if (now >= latest)
        {
            throw new RuleConflictException(now >= milestone.DueAt
                ? $"{name}期限已过，不能再申请延期。"
                : $"延期须在期限前至少 {_options.ExtensionNoticeWorkingDays} 个工作日申请（截至 {ChinaTime.ToLocal(latest):yyyy-MM-dd HH:mm}）。");
        }

        var errors = new Dictionary<string, string[]>();
        if (proposed <= milestone.DueAt || proposed <= now || proposed > now + _options.MaxExtension)
        {
            errors["dueAt"] = [$"延期后的期限必须晚于原期限，且不超过 {(int)_options.MaxExtension.TotalDays} 天。"];
        }

        if (Normalize(reason) is null)
        {
            errors["reason"] = ["必须说明延期理由。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    /// <summary>An approved extension: the stage moves to the new instant; later unmet stages move by as many working days.</summary>
    private MatterEventData ExtendData(MatterState state, MatterCommand command, DateTimeOffset now)
    {
        if (command.Stage is not { } stage || command.NewDueAt is not { } newDue)
        {
            throw ValidationFailedException.For("dueAt", "请指定延期的节点和新的期限。");
        }

        var milestone = state.FindMilestone(stage, command.Node)
            ?? throw ValidationFailedException.For("node", $"节点 {command.Node} 不存在。");
        if (milestone.MetAt is not null)
        {
            throw new RuleConflictException($"{Labels.Of(milestone)}节点已完成，不能延期。");
        }

        if (newDue <= milestone.DueAt || newDue > now + _options.MaxExtension)
        {
            throw ValidationFailedException.For("dueAt", $"延期后的期限必须晚于原期限，且不超过 {(int)_options.MaxExtension.TotalDays} 天。");
        }

        var profile = ProfileOf(state);
        var shiftDays = _calendar.WorkingDaysBetween(LastDay(milestone.DueAt), LastDay(newDue));
        var moved = new List<ScheduledMilestone> { Rescheduled(profile, stage, milestone, ChinaTime.ToLocal(newDue)) };
        if (!stage.IsClock())
        {
            // A work item's nodes are dated one by one: moving one moves only it (and may move the plan's end).
            return new MatterEventData { Stage = stage, Node = command.Node, Schedule = moved };
        }

        foreach (var later in state.Milestones.Where(m => m.Stage.IsClock() && m.Stage > stage && m.MetAt is null))
        {
            var due = later.DueAt.TimeOfDay == TimeSpan.Zero && ChinaTime.ToLocal(later.DueAt).TimeOfDay == TimeSpan.Zero
                ? ChinaTime.EndOf(_calendar.AddWorkingDays(LastDay(later.DueAt), Math.Max(0, shiftDays)).Date)
                : ChinaTime.ToLocal(later.DueAt + (newDue - milestone.DueAt));
            if (due > later.DueAt)
            {
                moved.Add(Rescheduled(profile, later.Stage, later, due));
            }
        }

        return new MatterEventData { Stage = stage, Schedule = moved };
    }

    private ScheduledMilestone Rescheduled(TimeLimitProfile profile, Stage stage, Milestone milestone, DateTimeOffset due) =>
        new(stage, due, WindowOf(profile, stage).WindowStartBefore(due, _calendar), milestone.IsProvisional || !_calendar.IsCertain(LastDay(due)))
        {
            Node = milestone.Node,
            Name = milestone.Name,
        };

    private TimeLimit WindowOf(TimeLimitProfile profile, Stage stage) => stage switch
    {
        Stage.Node => _options.Items.NodeDueSoon,
        Stage.Report => _options.Items.ReportDueSoon,
        _ => profile.For(stage).DueSoonWindow,
    };

    /// <summary>The date holding the last moment before a deadline (24:00 belongs to the day before).</summary>
    private static DateOnly LastDay(DateTimeOffset due) => ChinaTime.DateOf(due.AddTicks(-1));

    /// <summary>Going back to handling restarts the completion clock from now; earlier stages stay met.</summary>
    private ScheduledMilestone ScheduleCompletion(MatterState state, DateTimeOffset now) =>
        ProfileOf(state).ScheduleStage(Stage.Complete, now, state.Complex, _calendar);

    private TimeLimitProfile ProfileOf(MatterState state) =>
        _profiles.TryGetValue(state.Profile, out var p) ? p : _profiles[TimeLimitProfile.DefaultName];

    private static bool IsLeadUnitAction(MatterAction action) =>
        action is MatterAction.Acknowledge or MatterAction.Return or MatterAction.Feedback or MatterAction.Complete
            or MatterAction.Meet or MatterAction.Progress;

    private static bool MayAct(MatterAction action, MatterState state, Actor actor, IUnitTree tree) => action switch
    {
        MatterAction.Attach => AccessRules.MayAttach(actor, state, tree),
        MatterAction.Plan => AccessRules.IsLeadUnit(actor, state) || AccessRules.IsAssigningSide(actor, state, tree),
        MatterAction.Progress => AccessRules.IsLeadUnit(actor, state) || IsCoUnitStaff(actor, state),
        _ when IsLeadUnitAction(action) => AccessRules.IsLeadUnit(actor, state),
        _ => AccessRules.IsAssigningSide(actor, state, tree),
    };

    /// <summary>Staff of a co-unit (配合单位): they report their share of a work item's progress.</summary>
    private static bool IsCoUnitStaff(Actor actor, MatterState state) =>
        state.Kind == MatterKind.Item && state.CoUnitIds.Contains(actor.UnitId)
        && (actor.Has(Role.Handler) || actor.Has(Role.Leader) || actor.Has(Role.Supervisor));

    private bool StatusAllows(MatterAction action, MatterState state, DateTimeOffset now) => action switch
    {
        MatterAction.Assign => false,
        MatterAction.Acknowledge or MatterAction.Return => state.Status == MatterStatus.Assigned,
        MatterAction.Feedback => state.Status == MatterStatus.Acknowledged,
        MatterAction.Complete => state.Status == MatterStatus.Acknowledged
            && (state.Kind != MatterKind.Item || state.Milestones.All(m => m.Stage != Stage.Node || m.MetAt is not null)),
        MatterAction.Verify => state.Status == MatterStatus.Reported,
        MatterAction.Rate => state.Status == MatterStatus.Verified,
        MatterAction.Close => state.Status == MatterStatus.Rated
            || (state.Status == MatterStatus.Verified && (state.Kind is MatterKind.Assignment or MatterKind.Item || RatingWindowPassed(state, now))),
        MatterAction.Transfer => state.Status is MatterStatus.Assigned or MatterStatus.Returned or MatterStatus.Acknowledged,
        MatterAction.Reopen => state.Status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed,
        MatterAction.Extend => state.Status is MatterStatus.Assigned or MatterStatus.Acknowledged,
        MatterAction.Attach => state.Status != MatterStatus.Closed, // after 销号 the record is final
        MatterAction.Plan => state.Kind == MatterKind.Item && state.Status is MatterStatus.Assigned or MatterStatus.Acknowledged,
        MatterAction.Meet or MatterAction.Progress => state.Kind == MatterKind.Item && state.Status == MatterStatus.Acknowledged,
        MatterAction.People => false, // not a lifecycle step: recorded by PeopleChanged
    };

    private bool RatingWindowPassed(MatterState state, DateTimeOffset now) =>
        state.VerifiedAt is { } verified && now >= _options.RatingWindow.DueFrom(verified, _calendar).DueAt;

    private static string? Normalize(string? text) => Text.UserText.Clean(text);

    private static string NoteField(MatterAction action) => action switch
    {
        MatterAction.Return or MatterAction.Reopen or MatterAction.Transfer => "reason",
        MatterAction.Complete => "result",
        _ => "note",
    };

    private static string NoteLabel(MatterAction action) => action switch
    {
        MatterAction.Return or MatterAction.Reopen or MatterAction.Transfer => "理由",
        MatterAction.Complete => "办理结果",
        _ => "内容",
    };
}
