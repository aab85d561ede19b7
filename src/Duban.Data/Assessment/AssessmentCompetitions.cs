using System.Globalization;
using System.Text.Json;
using Duban.Assessment;
using Duban.Attachments;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A stage as entered.</summary>
public sealed record StageInput(string? Period, string? Label, double? Weight, long? Scheme);

/// <summary>An award level as entered.</summary>
public sealed record AwardInput(string? Name, int? Count);

/// <summary>A competition as the office enters it.</summary>
public sealed record CompetitionInput(string? Name, string? Group, IReadOnlyList<StageInput>? Stages, IReadOnlyList<AwardInput>? Awards,
    int? PublicityDays);

/// <summary>A unit's place in the standings, with its name.</summary>
public sealed record StandingRow(UnitRef Unit, IReadOnlyList<double?> Stages, double Final, int Rank, string? Award);

/// <summary>An entry as shown; <paramref name="Text"/> is empty and <paramref name="Files"/> none for a reader who may not
/// read it in full (another unit's shortlisted entry).</summary>
public sealed record EntryView(long Id, string StageKey, UnitRef Unit, string Text, EntryStatus Status, string? Reason, DateTimeOffset SubmittedAt,
    string SubmittedBy, IReadOnlyList<AttachmentView> Files);

/// <summary>An objection as shown.</summary>
public sealed record ObjectionView(long Id, UnitRef Unit, string Text, DateTimeOffset FiledAt, string FiledBy, string? Answer, DateTimeOffset? AnsweredAt);

/// <summary>A competition as one reader sees it.</summary>
public sealed record CompetitionView(long Id, string Name, string Group, IReadOnlyList<CompetitionStageRow> Stages, IReadOnlyList<AwardLevel> Awards,
    int PublicityDays, CompetitionStatus Status, DateOnly? PublicityEnds, IReadOnlyList<StandingRow> Standings, bool StandingsPublished,
    IReadOnlyList<EntryView> Entries, IReadOnlyList<ObjectionView> Objections, bool Manages, int Version);

/// <summary>
/// 比拼/夺锦赛 (<see cref="Competition"/>): entries, shortlisting, standings from the stages' scheme results (published ones
/// where there are, else computed now), publication for 公示 with objections, and the final ranking.
/// </summary>
public sealed class AssessmentCompetitions(DubanDbContext db, AssessmentSchemes schemes, AssessmentResults results, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = SchemeJson.Api;

    /// <summary>Makes a competition.</summary>
    /// <exception cref="ValidationFailedException">Weights not summing to 1, an unknown scheme or one of another group, a
    /// period not of the scheme's kind or outside its dates, awards without places.</exception>
    public async Task<long> CreateAsync(CompetitionInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        AssessmentSchemes.EnsureManager(actor);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = UserText.Clean(input.Name);
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors["name"] = ["请填写比拼名称（最长 100 字）。"];
        }

        var group = UserText.Clean(input.Group);
        if (group is null || !schemes.Groups.Contains(group))
        {
            errors["group"] = [$"请选择参赛分组：{string.Join("、", schemes.Groups)}。"];
        }

        var stages = new List<CompetitionStageRow>();
        var inputs = input.Stages ?? [];
        for (var i = 0; i < inputs.Count; i++)
        {
            var s = inputs[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"stages[{i}]");
            var scheme = s.Scheme is { } id ? await db.AssessmentSchemes.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken) : null;
            if (scheme is null)
            {
                errors[$"{at}.scheme"] = ["请选择该阶段使用的考评办法。"];
                continue;
            }

            if (scheme.Group != group)
            {
                errors[$"{at}.scheme"] = [$"考评办法「{scheme.Name}」考评的是「{scheme.Group}」，不是本比拼的分组。"];
                continue;
            }

            ReviewPeriod period;
            try
            {
                period = PeriodOf(scheme, s.Period); // a future period is fine: the competition runs into it
            }
            catch (ValidationFailedException ex)
            {
                errors[$"{at}.period"] = [.. ex.Errors.Values.SelectMany(v => v)];
                continue;
            }

            if (period.To < scheme.From || (scheme.To is { } to && period.From > to))
            {
                errors[$"{at}.period"] = [$"{period.Label}不在考评办法「{scheme.Name}」的适用时段内。"];
                continue;
            }

            stages.Add(new CompetitionStageRow(period.Key, UserText.Clean(s.Label) is { Length: > 0 } label ? label : period.Label, s.Weight ?? double.NaN, scheme.Id));
        }

        var awards = (input.Awards ?? []).Select(a => new AwardLevel(UserText.Clean(a.Name) ?? "", a.Count ?? 0)).ToList();
        if (errors.Count == 0)
        {
            foreach (var (field, messages) in Competitions.Problems(stages.Select(s => new CompetitionStage(s.Key, s.Label, s.Weight)).ToList(), awards))
            {
                errors[field] = messages;
            }
        }

        if (input.PublicityDays is not (null or (>= 1 and <= 30)))
        {
            errors["publicityDays"] = ["公示期须为 1 至 30 天。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var competition = new Competition
        {
            Name = name!, Group = group!, Stages = JsonSerializer.Serialize(stages, Json), Awards = JsonSerializer.Serialize(awards, Json),
            PublicityDays = input.PublicityDays ?? 5, Status = CompetitionStatus.Running, OwnerUnitId = actor.UnitId, CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor.Name,
        };
        db.Competitions.Add(competition);
        await db.SaveChangesAsync(cancellationToken);
        return competition.Id;
    }

    /// <summary>A competition as the reader may see it: the office and leaders everything; a unit its own entries and
    /// objections, and the standings.</summary>
    public async Task<CompetitionView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await LoadAsync(id, false, cancellationToken);
        var all = AccessRules.MayAssign(actor);
        bool Full(long unitId) => MayReadFully(actor, c, unitId);
        var rows = await db.CompetitionEntries.AsNoTracking()
            .Where(e => e.CompetitionId == id && (all || c.OwnerUnitId == actor.UnitId || e.UnitId == actor.UnitId || e.Status == EntryStatus.Shortlisted))
            .OrderBy(e => e.Id).Select(e => new { e.Id, e.StageKey, e.UnitId, e.Unit!.Code, e.Unit.Name, e.Text, e.Status, e.Reason, e.SubmittedAt, e.SubmittedBy })
            .ToListAsync(cancellationToken);
        var readable = rows.Where(e => Full(e.UnitId)).Select(e => (long?)e.Id).ToList();
        var byEntry = (await db.Attachments.AsNoTracking().Where(a => readable.Contains(a.EntryId)).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .ToLookup(a => a.EntryId!.Value, AttachmentFiles.View);
        var entries = rows
            .Select(e => new EntryView(e.Id, e.StageKey, new UnitRef(e.UnitId, e.Code, e.Name), Full(e.UnitId) ? e.Text : "", e.Status,
                Full(e.UnitId) ? e.Reason : null, e.SubmittedAt, e.SubmittedBy, [.. byEntry[e.Id]])).ToList();
        var objections = (await db.CompetitionObjections.AsNoTracking().Where(o => o.CompetitionId == id && (all || o.UnitId == actor.UnitId))
                .OrderBy(o => o.Id).Select(o => new { o.Id, o.UnitId, o.Unit!.Code, o.Unit.Name, o.Text, o.FiledAt, o.FiledBy, o.Answer, o.AnsweredAt })
                .ToListAsync(cancellationToken))
            .Select(o => new ObjectionView(o.Id, new UnitRef(o.UnitId, o.Code, o.Name), o.Text, o.FiledAt, o.FiledBy, o.Answer, o.AnsweredAt)).ToList();
        var standings = c.Standings is { } frozen
            ? JsonSerializer.Deserialize<List<StandingRow>>(frozen, Json) ?? []
            : await StandingsAsync(c, cancellationToken);
        return new CompetitionView(c.Id, c.Name, c.Group, StagesOf(c), AwardsOf(c), c.PublicityDays, c.Status, c.PublicityEnds, standings,
            c.Standings is not null, entries, objections, actor.Has(Role.Supervisor) || actor.Has(Role.Admin), c.Version);
    }

    /// <summary>Every competition, newest first.</summary>
    public async Task<IReadOnlyList<(long Id, string Name, string Group, CompetitionStatus Status)>> ListAsync(CancellationToken cancellationToken = default) =>
        (await db.Competitions.AsNoTracking().OrderByDescending(c => c.Id).Select(c => new { c.Id, c.Name, c.Group, c.Status }).ToListAsync(cancellationToken))
        .Select(c => (c.Id, c.Name, c.Group, c.Status)).ToList();

    /// <summary>自评申报: the actor's unit enters a stage, once.</summary>
    /// <exception cref="RuleConflictException">The competition is no longer running, or the unit already entered the stage.</exception>
    public Task<long> EnterAsync(long id, string? stage, string? text, Actor actor, CancellationToken cancellationToken = default) =>
        EnterAsync(id, stage, text, [], actor, cancellationToken);

    /// <summary>自评申报 with files already stored (<see cref="AttachmentFiles.StoreAsync"/>): the entry and its
    /// attachments are written together or not at all.</summary>
    /// <exception cref="RuleConflictException">The competition is no longer running, or the unit already entered the stage.</exception>
    public async Task<long> EnterAsync(long id, string? stage, string? text, IReadOnlyList<AttachedFile> files, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(actor);
        var c = await LoadAsync(id, false, cancellationToken);
        if (!actor.Has(Role.Handler) && !actor.Has(Role.Leader))
        {
            throw new ForbiddenException("自评申报由参赛单位的承办人或领导提交。");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (StagesOf(c).All(s => s.Key != stage?.Trim()))
        {
            errors["stage"] = [$"没有阶段「{stage}」，可选：{string.Join("、", StagesOf(c).Select(s => $"{s.Key}（{s.Label}）"))}。"];
        }

        var body = UserText.Clean(text);
        if (string.IsNullOrEmpty(body) || body.Length > 5000)
        {
            errors["text"] = ["请填写自评申报材料（最长 5000 字）。"];
        }

        var members = await results.MembersAsync(await SchemeOfAsync(c, cancellationToken), cancellationToken);
        if (!members.ContainsKey(actor.UnitId))
        {
            errors["unit"] = [$"本单位不在参赛分组「{c.Group}」中。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        EnsureRunning(c);
        var key = stage!.Trim();
        if (await db.CompetitionEntries.AnyAsync(e => e.CompetitionId == id && e.StageKey == key && e.UnitId == actor.UnitId, cancellationToken))
        {
            throw new RuleConflictException("本单位已申报该阶段，不能重复申报。");
        }

        var entry = new CompetitionEntry
        {
            CompetitionId = id, StageKey = key, UnitId = actor.UnitId, Text = body!, Status = EntryStatus.Submitted, SubmittedAt = clock.GetUtcNow(),
            SubmittedBy = actor.Name,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.CompetitionEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new RuleConflictException("本单位已申报该阶段，不能重复申报。");
        }

        if (files.Count > 0)
        {
            db.Attachments.AddRange(AttachmentOwners.Rows(AttachmentOwner.Entry(entry.Id), files, actor, entry.SubmittedAt));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return entry.Id;
    }

    /// <summary>Checks, before any byte is read, that the actor may add files to the entry now: a 承办人 or 领导 of the
    /// entering unit, while the competition runs and the office has not yet decided the entry (入围 fixes the material).</summary>
    /// <exception cref="NotFoundException">No such entry, or the actor may not read it.</exception>
    /// <exception cref="ForbiddenException">The actor may read it but is not of the entering unit.</exception>
    /// <exception cref="RuleConflictException">Decided already, or the standings are published.</exception>
    public async Task CheckMayAttachAsync(long entryId, Actor actor, CancellationToken cancellationToken = default)
    {
        var (entry, c) = await ReadableEntryAsync(entryId, actor, cancellationToken);
        if (entry.UnitId != actor.UnitId || !(actor.Has(Role.Handler) || actor.Has(Role.Leader)))
        {
            throw new ForbiddenException("只有申报单位的承办人或领导可以为自评申报上传附件。");
        }

        EnsureRunning(c);
        if (entry.Status != EntryStatus.Submitted)
        {
            throw new RuleConflictException(entry.Status == EntryStatus.Shortlisted
                ? "该申报已入围，申报材料已经确定，不能再上传附件。"
                : "该申报未入围，筛选已经结束，不能再上传附件。");
        }
    }

    /// <summary>An entry and its competition when the actor may read the entry in full (its text and files): the entering
    /// unit, the competition's owner (the office) and those who see every entry and the full results (the office,
    /// administrators, leaders).</summary>
    /// <exception cref="NotFoundException">No such entry, or not the actor's to read: the same answer.</exception>
    internal async Task<(CompetitionEntry Entry, Competition Competition)> ReadableEntryAsync(long entryId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var found = await db.CompetitionEntries.AsNoTracking().Where(e => e.Id == entryId)
            .Join(db.Competitions.AsNoTracking(), e => e.CompetitionId, c => c.Id, (e, c) => new { Entry = e, Competition = c })
            .SingleOrDefaultAsync(cancellationToken);
        return found is not null && MayReadFully(actor, found.Competition, found.Entry.UnitId)
            ? (found.Entry, found.Competition)
            : throw new NotFoundException($"申报 {entryId} 不存在。");
    }

    /// <summary>Whether the actor reads a unit's entry in full: its own unit, the competition's owner, or whoever sees
    /// every entry and the full results (<see cref="AccessRules.MayAssign"/>).</summary>
    private static bool MayReadFully(Actor actor, Competition c, long unitId) =>
        AccessRules.MayAssign(actor) || actor.UnitId == unitId || actor.UnitId == c.OwnerUnitId;

    /// <summary>择优筛选: the office shortlists an entry or not, with the reason.</summary>
    public async Task DecideAsync(long entryId, bool shortlisted, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var entry = await db.CompetitionEntries.SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken) ?? throw new NotFoundException($"申报 {entryId} 不存在。");
        EnsureRunning(await LoadAsync(entry.CompetitionId, false, cancellationToken));
        var why = UserText.Clean(reason);
        if (!shortlisted && string.IsNullOrEmpty(why))
        {
            throw ValidationFailedException.For("reason", "未入围须写明理由。");
        }

        entry.Status = shortlisted ? EntryStatus.Shortlisted : EntryStatus.NotShortlisted;
        entry.Reason = why;
        entry.DecidedAt = clock.GetUtcNow();
        entry.DecidedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Publishes the standings for 公示: frozen from now, objections open for the publicity days.</summary>
    public async Task PublishAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var c = await LoadAsync(id, true, cancellationToken);
        EnsureRunning(c);
        c.Standings = JsonSerializer.Serialize(await StandingsAsync(c, cancellationToken), Json);
        c.Status = CompetitionStatus.Publicised;
        c.PublishedAt = clock.GetUtcNow();
        c.PublicityEnds = Today.AddDays(c.PublicityDays);
        await SaveAsync(c, cancellationToken);
    }

    /// <summary>异议: a unit of the group objects during the 公示.</summary>
    /// <exception cref="RuleConflictException">Not in 公示, or the publicity has ended.</exception>
    public async Task<long> ObjectAsync(long id, string? text, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var c = await LoadAsync(id, false, cancellationToken);
        if (c.Status != CompetitionStatus.Publicised)
        {
            throw new RuleConflictException(c.Status == CompetitionStatus.Running ? "比拼结果尚未公示，暂不能提出异议。" : "比拼结果已经确定，不能再提出异议。");
        }

        if (Today > c.PublicityEnds)
        {
            throw new RuleConflictException($"公示期已于 {c.PublicityEnds:yyyy-MM-dd} 结束，不能再提出异议。");
        }

        var body = UserText.Clean(text);
        if (string.IsNullOrEmpty(body) || body.Length > 2000)
        {
            throw ValidationFailedException.For("text", "请写明异议的内容（最长 2000 字）。");
        }

        var objection = new CompetitionObjection { CompetitionId = id, UnitId = actor.UnitId, Text = body, FiledAt = clock.GetUtcNow(), FiledBy = actor.Name };
        db.CompetitionObjections.Add(objection);
        await db.SaveChangesAsync(cancellationToken);
        return objection.Id;
    }

    /// <summary>The office answers an objection, once.</summary>
    public async Task AnswerAsync(long objectionId, string? answer, Actor actor, CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var objection = await db.CompetitionObjections.SingleOrDefaultAsync(o => o.Id == objectionId, cancellationToken)
            ?? throw new NotFoundException($"异议 {objectionId} 不存在。");
        if (objection.Answer is not null)
        {
            throw new RuleConflictException("该异议已经答复。");
        }

        var body = UserText.Clean(answer);
        if (string.IsNullOrEmpty(body) || body.Length > 2000)
        {
            throw ValidationFailedException.For("answer", "请填写答复（最长 2000 字）。");
        }

        (objection.Answer, objection.AnsweredAt, objection.AnsweredBy) = (body, clock.GetUtcNow(), actor.Name);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>确定结果: after the 公示, with every objection answered, the published standings become final.</summary>
    public async Task FinalizeAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var c = await LoadAsync(id, true, cancellationToken);
        if (c.Status != CompetitionStatus.Publicised)
        {
            throw new RuleConflictException(c.Status == CompetitionStatus.Running ? "请先公示比拼结果。" : "比拼结果已经确定。");
        }

        if (Today <= c.PublicityEnds)
        {
            throw new RuleConflictException($"公示期到 {c.PublicityEnds:yyyy-MM-dd} 结束，之后才能确定结果。");
        }

        if (await db.CompetitionObjections.AnyAsync(o => o.CompetitionId == id && o.Answer == null, cancellationToken))
        {
            throw new RuleConflictException("还有未答复的异议，答复后才能确定结果。");
        }

        c.Status = CompetitionStatus.Final;
        c.FinalAt = clock.GetUtcNow();
        await SaveAsync(c, cancellationToken);
    }

    /// <summary>The standings now: each stage's score of each shortlisted unit (its scheme's result for the stage's period,
    /// published or computed; a stage not yet begun has none), combined by <see cref="Competitions.Final"/>.</summary>
    private async Task<IReadOnlyList<StandingRow>> StandingsAsync(Competition c, CancellationToken cancellationToken)
    {
        var stages = StagesOf(c);
        var shortlisted = (await db.CompetitionEntries.AsNoTracking().Where(e => e.CompetitionId == c.Id && e.Status == EntryStatus.Shortlisted)
            .Select(e => new { e.StageKey, e.UnitId }).ToListAsync(cancellationToken)).ToLookup(e => e.StageKey, e => e.UnitId);
        var owner = AssessmentResults.Owner(c.OwnerUnitId);
        var scores = new Dictionary<string, IReadOnlyDictionary<long, double>>();
        var units = new Dictionary<long, UnitRef>();
        foreach (var stage in stages)
        {
            var scheme = await db.AssessmentSchemes.AsNoTracking().SingleAsync(s => s.Id == stage.Scheme, cancellationToken);
            if (PeriodOf(scheme, stage.Key).From > Today || !shortlisted[stage.Key].Any())
            {
                continue;
            }

            var table = await results.GetAsync(stage.Scheme, stage.Key, owner, cancellationToken);
            var entered = shortlisted[stage.Key].ToHashSet();
            scores[stage.Key] = table.Rows.Where(r => entered.Contains(r.UnitId)).ToDictionary(r => r.UnitId, r => r.Total);
            foreach (var row in table.Rows)
            {
                units[row.UnitId] = new UnitRef(row.UnitId, row.Code, row.Name);
            }
        }

        return Competitions.Final(stages.Select(s => new CompetitionStage(s.Key, s.Label, s.Weight)).ToList(), scores, AwardsOf(c))
            .Select(s => new StandingRow(units[s.UnitId], s.Stages, s.Final, s.Rank, s.Award)).ToList();
    }

    /// <summary>A stage's period: any, the future included (a competition runs into it).</summary>
    private static ReviewPeriod PeriodOf(AssessmentScheme scheme, string? key) => SchemeJson.PeriodOf(scheme.PeriodKind, key, DateOnly.MaxValue);

    private async Task<AssessmentScheme> SchemeOfAsync(Competition c, CancellationToken cancellationToken)
    {
        var first = StagesOf(c)[0].Scheme;
        return await db.AssessmentSchemes.AsNoTracking().SingleAsync(s => s.Id == first, cancellationToken);
    }

    private static List<CompetitionStageRow> StagesOf(Competition c) => JsonSerializer.Deserialize<List<CompetitionStageRow>>(c.Stages, Json) ?? [];

    private static List<AwardLevel> AwardsOf(Competition c) => JsonSerializer.Deserialize<List<AwardLevel>>(c.Awards, Json) ?? [];

    private static void EnsureRunning(Competition c)
    {
        if (c.Status != CompetitionStatus.Running)
        {
            throw new RuleConflictException("比拼结果已经公示，申报和筛选已经结束。");
        }
    }

    private async Task<Competition> LoadAsync(long id, bool track, CancellationToken cancellationToken) =>
        await (track ? db.Competitions : db.Competitions.AsNoTracking()).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
        ?? throw new NotFoundException($"比拼 {id} 不存在。");

    private async Task SaveAsync(Competition c, CancellationToken cancellationToken)
    {
        c.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleConflictException("比拼刚被他人更新，请刷新后再试。");
        }
    }

    private DateOnly Today => ChinaTime.DateOf(clock.GetUtcNow());
}
