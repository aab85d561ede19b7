using System.Globalization;
using Duban.Assessment;
using Duban.Attachments;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>An item of a target set as entered: its name, measure word and source (Chinese or wire name).</summary>
public sealed record TargetItemInput(string? Name, string? Measure, string? Source);

/// <summary>A goal as entered: the item's name, the unit (code or name) or the cadre (login name), and the goal.</summary>
public sealed record TargetGoalInput(string? Item, string? Unit, string? Cadre, double? Goal);

/// <summary>A target set to create or extend: its name and period, items, and goals per unit or cadre.</summary>
public sealed record TargetSetInput(string? Name, string? Period, IReadOnlyList<TargetItemInput>? Items, IReadOnlyList<TargetGoalInput>? Goals);

/// <summary>An item as listed.</summary>
public sealed record TargetItemView(long Id, string Name, string Measure, TargetSource Source, string SourceName, int Goals);

/// <summary>A target set as listed.</summary>
public sealed record TargetSetView(long Id, string Name, string Period, string PeriodLabel, DateOnly From, DateOnly To,
    IReadOnlyList<TargetItemView> Items);

/// <summary>Whose target: a unit or a 包联 cadre.</summary>
public sealed record TargetOwner(long? UnitId, long? CadreId, string Name, string? UnitName);

/// <summary>A target's progress as the table shows it.</summary>
/// <param name="GoalId">The target.</param>
/// <param name="ItemId">Its item.</param>
/// <param name="Item">The item's name.</param>
/// <param name="Measure">计量单位.</param>
/// <param name="Source">Where 完成数 comes from.</param>
/// <param name="Owner">The unit or cadre.</param>
/// <param name="Done">完成数.</param>
/// <param name="Goal">目标数.</param>
/// <param name="Completion">完成率 (1 = 100%).</param>
/// <param name="Expected">序时进度 (1 = 100%).</param>
/// <param name="Behind">落后于序时进度.</param>
/// <param name="Rank">Rank by 完成率 among the same item's targets.</param>
/// <param name="Pending">Reported amounts awaiting the office's decision (not counted).</param>
public sealed record TargetRow(long GoalId, long ItemId, string Item, string Measure, TargetSource Source, TargetOwner Owner,
    double Done, double Goal, double Completion, double Expected, bool Behind, int Rank, double Pending);

/// <summary>A set's progress: one row per target the reader may see.</summary>
public sealed record TargetBoard(TargetSetView Set, DateOnly Today, bool MayManage, IReadOnlyList<TargetRow> Rows);

/// <summary>A report of progress as listed, with its files (证明材料).</summary>
public sealed record TargetReportView(long Id, long GoalId, string Item, string Owner, double Amount, string Note, TargetReportState State,
    string StateName, string ReportedByName, DateTimeOffset ReportedAt, string? DecidedByName, DateTimeOffset? DecidedAt, string? Reason,
    IReadOnlyList<AttachmentView> Files);

/// <summary>What a save did (or, in a dry run, would do).</summary>
public sealed record TargetSaveResult(long? SetId, int ItemsAdded, int GoalsAdded, int GoalsChanged);

/// <summary>
/// 目标任务: target sets per period with items and goals per unit or cadre, progress counted from Duban's own data or
/// from reports the office confirmed, and the ranks. The office (督查室) and administrators manage; leaders read what
/// they oversee; a unit reads its own targets and reports progress on them.
/// </summary>
public sealed class TargetTasks(DubanDbContext db, TimeProvider clock)
{
    /// <summary>Today's Beijing date.</summary>
    public DateOnly Today => ChinaTime.DateOf(clock.GetUtcNow());

    /// <summary>Whether the actor manages targets: the office and administrators.</summary>
    public static bool MayManage(Actor actor) => actor is not null && (actor.Has(Role.Admin) || actor.Has(Role.Supervisor));

    /// <summary>Creates a set, or adds items and goals to the set of that name and period (a goal given again is changed).
    /// Every line is checked first; nothing is stored unless all pass (and nothing at all in a dry run).</summary>
    /// <exception cref="ForbiddenException">The actor is not the office or an administrator.</exception>
    /// <exception cref="ValidationFailedException">A field is wrong; the keys name it (name, period, items[0].source, goals[2].unit).</exception>
    public async Task<TargetSaveResult> SaveAsync(TargetSetInput input, Actor actor, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室或管理员可以设置目标任务。");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var plan = await PlanAsync(input, errors, "", cancellationToken);
        if (errors.Count > 0 || plan is null)
        {
            throw new ValidationFailedException(errors);
        }

        return dryRun ? plan.Result : await ApplyAsync([plan], actor, cancellationToken);
    }

    /// <summary>The sets, newest period first, with their items.</summary>
    public async Task<IReadOnlyList<TargetSetView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var sets = await db.TargetSets.AsNoTracking().Include(s => s.Items).ThenInclude(i => i.Goals)
            .OrderByDescending(s => s.From).ThenBy(s => s.Name).Take(500).ToListAsync(cancellationToken);
        return sets.Select(View).ToList();
    }

    /// <summary>One set by id.</summary>
    /// <exception cref="NotFoundException">No such set.</exception>
    public async Task<TargetSetView> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var set = await db.TargetSets.AsNoTracking().Include(s => s.Items).ThenInclude(i => i.Goals)
            .SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException($"目标任务 {id} 不存在。");
        return View(set);
    }

    /// <summary>Finds a set by its id, or by its name and period.</summary>
    /// <exception cref="ValidationFailedException">Neither given, or the period does not parse.</exception>
    /// <exception cref="NotFoundException">No such set.</exception>
    public async Task<long> FindAsync(string? set, string? period, CancellationToken cancellationToken = default)
    {
        var text = set?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw ValidationFailedException.For("set", "请指定目标任务。");
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            var found = await db.TargetSets.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Id, s.PeriodKey }).SingleOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException($"目标任务 {id} 不存在。");
            if (period is { Length: > 0 } && ParsePeriod(period).Key != found.PeriodKey)
            {
                throw ValidationFailedException.For("period", $"该目标任务的考核期间是 {found.PeriodKey}，不是 {period.Trim()}。");
            }

            return found.Id;
        }

        var q = db.TargetSets.AsNoTracking().Where(s => s.Name == text);
        if (period is { Length: > 0 })
        {
            var key = ParsePeriod(period).Key;
            q = q.Where(s => s.PeriodKey == key);
        }

        return await q.OrderByDescending(s => s.From).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"没有名为「{text}」的目标任务。");
    }

    /// <summary>A set's progress: every target the reader may see, with its rank among all the item's targets.</summary>
    /// <exception cref="NotFoundException">No such set.</exception>
    public async Task<TargetBoard> ProgressAsync(long setId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var set = await db.TargetSets.AsNoTracking().Include(s => s.Items).ThenInclude(i => i.Goals)
            .SingleOrDefaultAsync(s => s.Id == setId, cancellationToken) ?? throw new NotFoundException($"目标任务 {setId} 不存在。");
        var today = Today;
        var goals = set.Items.SelectMany(i => i.Goals.Select(g => (Item: i, Goal: g))).ToList();
        var done = await DoneAsync(set, goals, today, cancellationToken);
        var goalIds = goals.Select(g => g.Goal.Id).ToList();
        var pending = await db.TargetReports.AsNoTracking().Where(r => goalIds.Contains(r.GoalId) && r.State == TargetReportState.Pending)
            .GroupBy(r => r.GoalId).Select(g => new { g.Key, Sum = g.Sum(r => r.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
        var owners = await OwnersAsync(goals.Select(g => g.Goal).ToList(), cancellationToken);
        var standings = Targets.Standings(goals.Select(g => new TargetInput(g.Goal.Id, g.Item.Id, g.Goal.Goal, done.GetValueOrDefault(g.Goal.Id))),
            set.From, set.To, today).ToDictionary(s => s.GoalId);
        var visible = await VisibleAsync(actor, cancellationToken);
        var rows = goals
            .Where(g => visible.Sees(g.Goal.UnitId, g.Goal.CadreId, owners[g.Goal.Id].UnitId))
            .Select(g =>
            {
                var s = standings[g.Goal.Id];
                var owner = owners[g.Goal.Id];
                return new TargetRow(g.Goal.Id, g.Item.Id, g.Item.Name, g.Item.Measure, g.Item.Source,
                    new TargetOwner(g.Goal.UnitId, g.Goal.CadreId, owner.Name, owner.UnitName),
                    s.Progress.Done, s.Progress.Goal, s.Progress.Completion, s.Progress.Expected, s.Progress.Behind, s.Rank,
                    pending.GetValueOrDefault(g.Goal.Id));
            })
            .OrderBy(r => set.Items.First(i => i.Id == r.ItemId).Position).ThenBy(r => r.Rank).ThenBy(r => r.Owner.Name, StringComparer.Ordinal)
            .ToList();
        return new TargetBoard(View(set), today, MayManage(actor), rows);
    }

    /// <summary>A unit (or the cadre) reports progress on a 手工填报 target: an amount of 0 or more and a note.</summary>
    /// <exception cref="NotFoundException">No such target, or not the reader's.</exception>
    /// <exception cref="ValidationFailedException">A negative amount, a missing note, or a target counted automatically.</exception>
    /// <exception cref="RuleConflictException">The period closed more than 10 days ago.</exception>
    public Task<TargetReportView> ReportAsync(long goalId, double? amount, string? note, Actor actor, CancellationToken cancellationToken = default) =>
        ReportAsync(goalId, amount, note, [], actor, cancellationToken);

    /// <summary>A report with files already stored (<see cref="AttachmentFiles.StoreAsync"/>) as its evidence: the report
    /// and its attachments are written together or not at all.</summary>
    /// <exception cref="NotFoundException">No such target, or not the reader's.</exception>
    /// <exception cref="ValidationFailedException">A negative amount, a missing note, or a target counted automatically.</exception>
    /// <exception cref="RuleConflictException">The period closed more than 10 days ago.</exception>
    public async Task<TargetReportView> ReportAsync(long goalId, double? amount, string? note, IReadOnlyList<AttachedFile> files, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(files);
        var goal = await db.TargetGoals.AsNoTracking().Include(g => g.Item).ThenInclude(i => i!.Set)
            .SingleOrDefaultAsync(g => g.Id == goalId, cancellationToken) ?? throw new NotFoundException($"目标 {goalId} 不存在。");
        var person = Enterprises.PersonOf(actor);
        var own = (goal.UnitId is { } unit && unit == actor.UnitId && actor.Roles.Any(r => r != Role.Cadre))
            || (goal.CadreId is { } cadre && cadre == person);
        if (!own && !MayManage(actor))
        {
            throw new NotFoundException($"目标 {goalId} 不存在。");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (goal.Item!.Source != TargetSource.Manual)
        {
            errors["goalId"] = [$"「{goal.Item.Name}」按{Targets.Label(goal.Item.Source)}自动统计，不需要填报。"];
        }

        if (amount is not { } value)
        {
            errors["amount"] = ["请填写完成数量。"];
        }
        else if (Targets.AmountProblem(value) is { } problem)
        {
            errors["amount"] = [problem];
        }

        var text = UserText.Clean(note);
        if (text is null or { Length: > Targets.MaxNote })
        {
            errors["note"] = [$"请写明完成情况（不超过 {Targets.MaxNote} 字）。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        Targets.EnsureOpen(PeriodOf(goal.Item.Set!), Today);
        var report = new TargetReport
        {
            GoalId = goal.Id, Amount = amount!.Value, Note = text!, ReportedById = actor.Id, ReportedByName = actor.Name,
            ReportedAt = clock.GetUtcNow(), State = TargetReportState.Pending,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.TargetReports.Add(report);
        await db.SaveChangesAsync(cancellationToken);
        if (files.Count > 0)
        {
            db.Attachments.AddRange(AttachmentOwners.Rows(AttachmentOwner.TargetReport(report.Id), files, actor, report.ReportedAt));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (await ReportsAsync(goal.Item.SetId, actor, cancellationToken, report.Id)).Single();
    }

    /// <summary>The office confirms a report (it then counts) or rejects it with a reason; each report is decided once.</summary>
    /// <exception cref="ForbiddenException">The actor is not the office or an administrator.</exception>
    /// <exception cref="NotFoundException">No such report.</exception>
    /// <exception cref="ValidationFailedException">A rejection without a reason.</exception>
    /// <exception cref="RuleConflictException">Decided already, or the period closed more than 10 days ago.</exception>
    public async Task<TargetReportView> DecideAsync(long reportId, bool confirm, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室或管理员可以确认或退回填报。");
        }

        var report = await db.TargetReports.Include(r => r.Goal).ThenInclude(g => g!.Item).ThenInclude(i => i!.Set)
            .SingleOrDefaultAsync(r => r.Id == reportId, cancellationToken) ?? throw new NotFoundException($"填报 {reportId} 不存在。");
        Targets.EnsurePending(report.State);
        var text = UserText.Clean(reason);
        if (!confirm && text is null)
        {
            throw ValidationFailedException.For("reason", "退回须写明原因。");
        }

        if (text is { Length: > Targets.MaxNote })
        {
            throw ValidationFailedException.For("reason", $"原因不超过 {Targets.MaxNote} 字。");
        }

        Targets.EnsureOpen(PeriodOf(report.Goal!.Item!.Set!), Today);
        report.State = confirm ? TargetReportState.Confirmed : TargetReportState.Rejected;
        report.Reason = text;
        report.DecidedById = actor.Id;
        report.DecidedByName = actor.Name;
        report.DecidedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return (await ReportsAsync(report.Goal.Item.SetId, actor, cancellationToken, report.Id)).Single();
    }

    /// <summary>A set's reports the reader may see, newest first.</summary>
    public async Task<IReadOnlyList<TargetReportView>> ReportsAsync(long setId, Actor actor, CancellationToken cancellationToken = default, long? only = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var rows = await db.TargetReports.AsNoTracking().Where(r => r.Goal!.Item!.SetId == setId && (only == null || r.Id == only))
            .OrderByDescending(r => r.Id)
            .Select(r => new
            {
                Report = r, Item = r.Goal!.Item!.Name, r.Goal.UnitId, r.Goal.CadreId,
                UnitName = r.Goal.Unit!.Name, CadreName = r.Goal.Cadre!.DisplayName, CadreUnitId = (long?)r.Goal.Cadre!.UnitId,
            })
            .Take(1000).ToListAsync(cancellationToken);
        var visible = await VisibleAsync(actor, cancellationToken);
        var seen = rows.Where(r => visible.Sees(r.UnitId, r.CadreId, r.CadreUnitId)).ToList();
        var ids = seen.Select(r => (long?)r.Report.Id).ToList();
        var files = (await db.Attachments.AsNoTracking().Where(a => ids.Contains(a.TargetReportId)).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .ToLookup(a => a.TargetReportId!.Value, AttachmentFiles.View);
        return seen
            .Select(r => new TargetReportView(r.Report.Id, r.Report.GoalId, r.Item, r.UnitName ?? r.CadreName ?? "", r.Report.Amount, r.Report.Note,
                r.Report.State, Targets.Label(r.Report.State), r.Report.ReportedByName, r.Report.ReportedAt, r.Report.DecidedByName,
                r.Report.DecidedAt, r.Report.Reason, [.. files[r.Report.Id]]))
            .ToList();
    }

    /// <summary>Checks, before any byte is read, that the actor may add files to a report now: whoever may report on its
    /// target (its unit, the cadre, the office), while the report awaits the office's decision and the period is open.</summary>
    /// <exception cref="NotFoundException">No such report, or the actor may not read it.</exception>
    /// <exception cref="ForbiddenException">The actor may read it but not report on its target.</exception>
    /// <exception cref="RuleConflictException">Confirmed or rejected already, or the period closed more than 10 days ago.</exception>
    public async Task CheckMayAttachAsync(long reportId, Actor actor, CancellationToken cancellationToken = default)
    {
        var found = await ReadableReportAsync(reportId, actor, cancellationToken);
        var own = (found.UnitId is { } unit && unit == actor.UnitId && actor.Roles.Any(r => r != Role.Cadre))
            || (found.CadreId is { } cadre && cadre == Enterprises.PersonOf(actor));
        if (!own && !MayManage(actor))
        {
            throw new ForbiddenException("只有填报单位（或包联干部本人）可以为这条填报上传附件。");
        }

        if (found.Report.State != TargetReportState.Pending)
        {
            throw new RuleConflictException($"这条填报已{Targets.Label(found.Report.State)[1..]}，不能再上传附件。");
        }

        Targets.EnsureOpen(PeriodOf(found.Set), Today);
    }

    /// <summary>A report when the actor may read it: the same rule as the reports list (the office, the target's unit or
    /// cadre, a leader over the unit).</summary>
    /// <exception cref="NotFoundException">No such report, or not the actor's to read: the same answer.</exception>
    internal async Task<(TargetReport Report, long? UnitId, long? CadreId, TargetSet Set)> ReadableReportAsync(long reportId, Actor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var found = await db.TargetReports.AsNoTracking().Where(r => r.Id == reportId)
            .Select(r => new { Report = r, r.Goal!.UnitId, r.Goal.CadreId, CadreUnitId = (long?)r.Goal.Cadre!.UnitId, r.Goal.Item!.Set })
            .SingleOrDefaultAsync(cancellationToken);
        var visible = await VisibleAsync(actor, cancellationToken);
        return found is not null && visible.Sees(found.UnitId, found.CadreId, found.CadreUnitId)
            ? (found.Report, found.UnitId, found.CadreId, found.Set!)
            : throw new NotFoundException($"填报 {reportId} 不存在。");
    }

    /// <summary>A period key (2024, 2024-Q1, 2024-03, 2024-W10): targets are set ahead, so future periods are accepted.</summary>
    /// <exception cref="ValidationFailedException">The key does not parse.</exception>
    public static ReviewPeriod ParsePeriod(string? key) => ReviewPeriod.Parse(key, DateOnly.MaxValue);

    internal static ReviewPeriod PeriodOf(TargetSet set) => new(KindOf(set.PeriodKey), set.From, set.To);

    private static PeriodKind KindOf(string key) => key switch
    {
        { Length: 4 } => PeriodKind.Year,
        _ when key.Contains('Q', StringComparison.Ordinal) => PeriodKind.Quarter,
        _ when key.Contains('W', StringComparison.Ordinal) => PeriodKind.Week,
        { Length: 7 } => PeriodKind.Month,
        _ => PeriodKind.Range,
    };

    private static TargetSetView View(TargetSet set)
    {
        var period = PeriodOf(set);
        return new TargetSetView(set.Id, set.Name, set.PeriodKey, period.Label, set.From, set.To,
            set.Items.OrderBy(i => i.Position).Select(i => new TargetItemView(i.Id, i.Name, i.Measure, i.Source, Targets.Label(i.Source), i.Goals.Count)).ToList());
    }

    /// <summary>What is done per goal id, by each item's source.</summary>
    private async Task<Dictionary<long, double>> DoneAsync(TargetSet set, List<(TargetItem Item, TargetGoal Goal)> goals, DateOnly today,
        CancellationToken cancellationToken)
    {
        var done = new Dictionary<long, double>();
        var sources = goals.Select(g => g.Item.Source).ToHashSet();
        var from = set.From;
        var to = set.To;
        if (sources.Contains(TargetSource.Manual))
        {
            var ids = goals.Where(g => g.Item.Source == TargetSource.Manual).Select(g => g.Goal.Id).ToList();
            var confirmed = await db.TargetReports.AsNoTracking().Where(r => ids.Contains(r.GoalId) && r.State == TargetReportState.Confirmed)
                .Select(r => new { r.GoalId, r.Amount }).ToListAsync(cancellationToken);
            foreach (var g in confirmed.GroupBy(r => r.GoalId))
            {
                done[g.Key] = g.Sum(r => r.Amount);
            }
        }

        if (sources.Contains(TargetSource.Visits))
        {
            var visits = await db.Visits.AsNoTracking().Where(v => v.Date >= from && v.Date <= to)
                .GroupBy(v => new { v.CadreId, v.Cadre!.UnitId }).Select(g => new { g.Key.CadreId, g.Key.UnitId, Count = g.Count() })
                .ToListAsync(cancellationToken);
            foreach (var (_, goal) in goals.Where(g => g.Item.Source == TargetSource.Visits))
            {
                done[goal.Id] = goal.CadreId is { } cadre
                    ? visits.Where(v => v.CadreId == cadre).Sum(v => v.Count)
                    : visits.Where(v => v.UnitId == goal.UnitId).Sum(v => v.Count);
            }
        }

        if (sources.Contains(TargetSource.CompletedMatters))
        {
            var sums = await FactStore.SumAsync(db, from, to, today, cancellationToken);
            var completed = sums.Where(s => s.Role == FactRole.Lead).ToDictionary(s => s.UnitId,
                s => s.Facts[Fact.CompleteOnTime] + s.Facts[Fact.CompleteWithinExtension] + s.Facts[Fact.CompleteLate]);
            foreach (var (_, goal) in goals.Where(g => g.Item.Source == TargetSource.CompletedMatters))
            {
                done[goal.Id] = goal.UnitId is { } unit ? completed.GetValueOrDefault(unit) : 0;
            }
        }

        if (sources.Contains(TargetSource.Batches))
        {
            var start = ChinaTime.StartOf(from);
            var end = ChinaTime.EndOf(to);
            var batches = await db.Batches.AsNoTracking().Where(b => b.CreatedAt >= start && b.CreatedAt < end)
                .GroupBy(b => b.CreatedByUnitId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            foreach (var (_, goal) in goals.Where(g => g.Item.Source == TargetSource.Batches))
            {
                done[goal.Id] = goal.UnitId is { } unit ? batches.GetValueOrDefault(unit) : 0;
            }
        }

        return done;
    }

    private async Task<Dictionary<long, (string Name, string? UnitName, long? UnitId)>> OwnersAsync(List<TargetGoal> goals, CancellationToken cancellationToken)
    {
        var unitIds = goals.Where(g => g.UnitId != null).Select(g => g.UnitId!.Value).Distinct().ToList();
        var cadreIds = goals.Where(g => g.CadreId != null).Select(g => g.CadreId!.Value).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var cadres = await db.Users.AsNoTracking().Where(u => cadreIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.UnitId, UnitName = u.Unit!.Name }).ToDictionaryAsync(u => u.Id, cancellationToken);
        return goals.ToDictionary(g => g.Id, g => g.UnitId is { } unit
            ? (units[unit], (string?)null, (long?)unit)
            : (cadres[g.CadreId!.Value].DisplayName, cadres[g.CadreId.Value].UnitName, cadres[g.CadreId.Value].UnitId));
    }

    /// <summary>Who the reader may see: everything (office, administrators), the units under a leader, or their own.</summary>
    internal async Task<Visibility> VisibleAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (MayManage(actor))
        {
            return new Visibility(null, null, null);
        }

        var tree = await UnitTree.LoadAsync(db, [actor.UnitId], cancellationToken);
        var path = actor.Has(Role.Leader) ? tree.OversightPath(actor) : null;
        var units = path is null
            ? new HashSet<long> { actor.UnitId }
            : (await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(path)).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        if (actor.Roles.All(r => r == Role.Cadre))
        {
            units.Clear(); // a cadre alone reads only their own targets, not their unit's
        }

        return new Visibility(units, Enterprises.PersonOf(actor), actor.UnitId);
    }

    /// <summary>The units a reader sees (null: all) and the reader as a person.</summary>
    internal sealed record Visibility(HashSet<long>? Units, long? Person, long? OwnUnit)
    {
        public bool Sees(long? unitId, long? cadreId, long? cadreUnitId) =>
            Units is null
            || (unitId is { } u && Units.Contains(u))
            || (cadreId is { } c && (c == Person || (cadreUnitId is { } cu && Units.Contains(cu))));
    }

    /// <summary>A checked set ready to store.</summary>
    internal sealed record Plan(string Name, ReviewPeriod Period, TargetSet? Existing, List<(string Name, string Measure, TargetSource Source)> NewItems,
        List<(string Item, long? UnitId, long? CadreId, double Goal)> Goals, TargetSaveResult Result);

    /// <summary>Checks a set's input against the database; problems go into <paramref name="errors"/> under
    /// <paramref name="prefix"/>. Null when the set's own name or period is wrong.</summary>
    internal async Task<Plan?> PlanAsync(TargetSetInput input, Dictionary<string, string[]> errors, string prefix, CancellationToken cancellationToken,
        IReadOnlyList<string>? goalKeys = null)
    {
        var name = UserText.Clean(input.Name);
        if (name is null or { Length: > Targets.MaxName })
        {
            errors[prefix + "name"] = [$"请填写目标任务名称（不超过 {Targets.MaxName} 字）。"];
        }

        ReviewPeriod? period = null;
        try
        {
            period = ParsePeriod(input.Period);
        }
        catch (ValidationFailedException ex)
        {
            errors[prefix + "period"] = ex.Errors.Values.SelectMany(v => v).ToArray();
        }

        if (name is null || period is null || errors.ContainsKey(prefix + "name"))
        {
            return null;
        }

        var existing = await db.TargetSets.AsNoTracking().Include(s => s.Items).SingleOrDefaultAsync(s => s.Name == name && s.PeriodKey == period.Key, cancellationToken);
        var items = existing?.Items.ToDictionary(i => i.Name, i => (i.Measure, i.Source), StringComparer.Ordinal)
            ?? new Dictionary<string, (string Measure, TargetSource Source)>(StringComparer.Ordinal);
        var newItems = new List<(string Name, string Measure, TargetSource Source)>();
        var inputItems = input.Items ?? [];
        for (var i = 0; i < inputItems.Count; i++)
        {
            var key = $"{prefix}items[{i}].";
            var item = inputItems[i];
            var itemName = UserText.Clean(item.Name);
            var measure = UserText.Clean(item.Measure);
            var source = item.Source is { Length: > 0 } ? Targets.ParseSource(item.Source) : TargetSource.Manual;
            if (itemName is null or { Length: > Targets.MaxName })
            {
                errors[key + "name"] = [$"请填写任务名称（不超过 {Targets.MaxName} 字）。"];
                continue;
            }

            if (measure is null or { Length: > Targets.MaxMeasure })
            {
                errors[key + "measure"] = [$"请填写「{itemName}」的计量单位，如 家、个、批次（不超过 {Targets.MaxMeasure} 字）。"];
            }

            if (source is null)
            {
                errors[key + "source"] = [$"统计方式「{item.Source!.Trim()}」无法识别，可选：{string.Join("、", Enum.GetValues<TargetSource>().Select(Targets.Label))}。"];
            }

            if (measure is null || source is null)
            {
                continue;
            }

            if (items.TryGetValue(itemName, out var known))
            {
                if (known.Measure != measure || known.Source != source)
                {
                    errors[key + "name"] = [$"任务「{itemName}」已存在，计量单位为「{known.Measure}」、统计方式为「{Targets.Label(known.Source)}」，与本次填写不一致。"];
                }

                continue;
            }

            items[itemName] = (measure, source.Value);
            newItems.Add((itemName, measure, source.Value));
        }

        var inputGoals = input.Goals ?? [];
        var unitKeys = inputGoals.Select(g => g.Unit?.Trim()).Where(u => !string.IsNullOrEmpty(u)).Distinct().ToList();
        var unitRows = await db.Units.AsNoTracking().Where(u => u.Active && (unitKeys.Contains(u.Code) || unitKeys.Contains(u.Name)))
            .Select(u => new { u.Id, u.Code, u.Name }).ToListAsync(cancellationToken);
        var cadreKeys = inputGoals.Select(g => g.Cadre?.Trim()).Where(c => !string.IsNullOrEmpty(c)).Select(c => c!.ToUpperInvariant()).Distinct().ToList();
        var cadreRole = WireEnum.Name(Role.Cadre).ToUpperInvariant();
        var cadreRows = await db.Users.AsNoTracking().Where(u => cadreKeys.Contains(u.NormalizedUserName!))
            .Select(u => new
            {
                u.Id, u.NormalizedUserName, u.DisplayName,
                IsCadre = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == cadreRole)),
            }).ToListAsync(cancellationToken);
        var existingGoals = existing is null ? [] : await db.TargetGoals.AsNoTracking().Where(g => g.Item!.SetId == existing.Id)
            .Select(g => new { Item = g.Item!.Name, g.UnitId, g.CadreId }).ToListAsync(cancellationToken);
        var goals = new List<(string Item, long? UnitId, long? CadreId, double Goal)>();
        int added = 0, changed = 0;
        for (var i = 0; i < inputGoals.Count; i++)
        {
            var key = goalKeys?[i] ?? $"{prefix}goals[{i}].";
            var goal = inputGoals[i];
            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            var itemName = UserText.Clean(goal.Item);
            (string Measure, TargetSource Source) item = default;
            if (itemName is null)
            {
                problems["item"] = "请填写任务名称。";
            }
            else if (!items.TryGetValue(itemName, out item))
            {
                problems["item"] = $"目标任务中没有「{itemName}」这项任务。";
            }

            long? unitId = null, cadreId = null;
            var unitText = goal.Unit?.Trim();
            var cadreText = goal.Cadre?.Trim();
            if (!string.IsNullOrEmpty(cadreText))
            {
                var cadre = cadreRows.FirstOrDefault(c => c.NormalizedUserName == cadreText.ToUpperInvariant());
                if (cadre is null || !cadre.IsCadre)
                {
                    problems["cadre"] = $"没有登录名为「{cadreText}」的包联干部。";
                }
                else
                {
                    cadreId = cadre.Id;
                }

                if (!string.IsNullOrEmpty(unitText))
                {
                    problems["unit"] = "一个目标只能给单位或包联干部之一，请只填其中一项。";
                }
                else if (itemName is not null && problems.Count == 0 && !Targets.FitsCadre(item.Source))
                {
                    problems["item"] = $"「{itemName}」按{Targets.Label(item.Source)}统计，只能下达给单位。";
                }
            }
            else if (string.IsNullOrEmpty(unitText))
            {
                problems["unit"] = "请选择单位（或填写包联干部）。";
            }
            else
            {
                var matches = unitRows.Where(u => u.Code == unitText).ToList() is { Count: > 0 } byCode ? byCode : unitRows.Where(u => u.Name == unitText).ToList();
                if (matches.Count == 0)
                {
                    problems["unit"] = $"没有「{unitText}」这个单位。";
                }
                else if (matches.Count > 1)
                {
                    problems["unit"] = $"名为「{unitText}」的单位不止一个，请填写单位代码。";
                }
                else
                {
                    unitId = matches[0].Id;
                }
            }

            if (goal.Goal is not { } value)
            {
                problems["goal"] = "请填写目标数。";
            }
            else if (Targets.GoalProblem(value) is { } problem)
            {
                problems["goal"] = problem;
            }

            if (problems.Count == 0 && goals.Any(g => g.Item == itemName && g.UnitId == unitId && g.CadreId == cadreId))
            {
                problems["item"] = $"「{itemName}」对同一{(unitId is null ? "干部" : "单位")}重复填写。";
            }

            foreach (var (field, message) in problems)
            {
                errors[key + field] = [message];
            }

            if (problems.Count == 0)
            {
                goals.Add((itemName!, unitId, cadreId, goal.Goal!.Value));
                if (existingGoals.Any(g => g.Item == itemName && g.UnitId == unitId && g.CadreId == cadreId))
                {
                    changed++;
                }
                else
                {
                    added++;
                }
            }
        }

        if (existing is null && items.Count == 0)
        {
            errors[prefix + "items"] = ["目标任务至少要有一项任务。"];
        }

        return new Plan(name, period, existing, newItems, goals, new TargetSaveResult(existing?.Id, newItems.Count, added, changed));
    }

    /// <summary>Stores checked plans in one transaction.</summary>
    internal async Task<TargetSaveResult> ApplyAsync(IReadOnlyList<Plan> plans, Actor actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        TargetSaveResult total = new(null, 0, 0, 0);
        foreach (var plan in plans)
        {
            var set = plan.Existing is { } known
                ? await db.TargetSets.Include(s => s.Items).ThenInclude(i => i.Goals).SingleAsync(s => s.Id == known.Id, cancellationToken)
                : db.TargetSets.Add(new TargetSet
                {
                    Name = plan.Name, PeriodKey = plan.Period.Key, From = plan.Period.From, To = plan.Period.To,
                    CreatedById = actor.Id, CreatedByName = actor.Name, CreatedAt = clock.GetUtcNow(),
                }).Entity;
            var position = set.Items.Count == 0 ? 0 : set.Items.Max(i => i.Position) + 1;
            foreach (var (name, measure, source) in plan.NewItems)
            {
                set.Items.Add(new TargetItem { Name = name, Measure = measure, Source = source, Position = position++ });
            }

            foreach (var (itemName, unitId, cadreId, value) in plan.Goals)
            {
                var item = set.Items.Single(i => i.Name == itemName);
                if (item.Goals.FirstOrDefault(g => g.UnitId == unitId && g.CadreId == cadreId) is { } goal)
                {
                    goal.Goal = value;
                }
                else
                {
                    item.Goals.Add(new TargetGoal { UnitId = unitId, CadreId = cadreId, Goal = value });
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            total = new TargetSaveResult(set.Id, total.ItemsAdded + plan.Result.ItemsAdded, total.GoalsAdded + plan.Result.GoalsAdded,
                total.GoalsChanged + plan.Result.GoalsChanged);
        }

        await transaction.CommitAsync(cancellationToken);
        return total;
    }
}
