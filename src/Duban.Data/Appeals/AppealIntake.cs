using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duban.Appeals;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// 诉求受理: checks an appeal, routes it (分层分级), and stores its matter (through <see cref="AssignMatter"/>, so events,
/// deadlines and codes stay single-sourced) and the appeal in one transaction. Idempotent per (client, key); links a
/// repeat from the same phone to the earlier appeal (重复件). Alone, the write goes through the
/// <see cref="BatchingWriter"/> and shares its commit with concurrent appeals; inside a caller's transaction (an
/// import's chunk, the demo) or with the caller's changes waiting to be saved, it is made there.
/// </summary>
public sealed partial class AppealIntake(DubanDbContext db, AssignMatter assign, AppealOptions options, TimeProvider clock,
    IntakeDirectory directory, BatchingWriter? writer = null)
{
    public const int MaxContactName = 50, MaxEnterpriseName = 200, MaxIdempotencyKey = 200, MaxReply = 20000;

    /// <summary>Draws of a tracking code before giving up: a collision is about one in 10^17 per pair.</summary>
    private const int CodeAttempts = 3;

    /// <summary>A channel named by a client that is no <see cref="MatterSource"/> at all: refused by <see cref="Validate"/>
    /// like any other source that is not a channel.</summary>
    public const MatterSource UnknownChannel = (MatterSource)(-1);

    /// <summary>The channels an appeal can come through.</summary>
    public static readonly IReadOnlySet<MatterSource> Channels =
        new HashSet<MatterSource> { MatterSource.Web, MatterSource.Hotline, MatterSource.Offline, MatterSource.Visit, MatterSource.Import };

    /// <exception cref="ForbiddenException">The actor may not receive appeals.</exception>
    /// <exception cref="ValidationFailedException">Any field is invalid; every problem is reported, in Chinese, by field.</exception>
    /// <exception cref="RuleConflictException">The idempotency key was used before for a different submission.</exception>
    public async Task<AppealRegistered> RegisterAsync(AppealInput input, Intake intake, CancellationToken cancellationToken = default)
    {
        // The caller's unsaved changes (if any) are saved with the appeal, in a transaction of its own; else the writer's batch.
        var alone = writer is null || !BatchingWriter.MayBatch(db);
        if (!alone && intake.Files is not { Count: > 0 })
        {
            return await RegisterInSetAsync(input, intake, cancellationToken);
        }

        var (earlier, prepared) = await PrepareAsync(input, intake, cancellationToken);
        if (earlier is not null)
        {
            return earlier;
        }

        var repeat = await RepeatOfAsync(prepared!.Input, prepared.ReceivedAt, cancellationToken);
        if (db.Database.CurrentTransaction is not null)
        {
            // Inside an import's chunk the caller's transaction holds the row (EF Core saves it under a savepoint).
            return await StoreAsync(db, assign, prepared, repeat, TrackingCode.New(), cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            var code = TrackingCode.New();
            try
            {
                if (!alone)
                {
                    return await writer!.WriteAsync((target, ct) =>
                        StoreAsync(target, new AssignMatter(target, assign.Rules, clock), prepared, repeat, code, ct), cancellationToken);
                }

                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var stored = await StoreAsync(db, assign, prepared, repeat, code, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return stored;
            }
            catch (DbUpdateException)
            {
                if (alone)
                {
                    db.ChangeTracker.Clear(); // nothing of ours was written
                }

                if (await ReplayedAsync(prepared, cancellationToken) is { } replayed)
                {
                    return replayed;
                }

                if (alone || attempt >= CodeAttempts || !await CodeTakenAsync(code, cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// An appeal without files, alone on its context (the API, the portal): checked with no look-up at all, then handed
    /// to the writer, which stores it set-based with the other appeals of its batch and finds its repeat there. A
    /// retried key meets its earlier registration in the unique index and is answered with it, as are retries of
    /// submissions that no longer pass the checks.
    /// </summary>
    private async Task<AppealRegistered> RegisterInSetAsync(AppealInput input, Intake intake, CancellationToken cancellationToken)
    {
        var submission = Submit(input, intake, clock.GetUtcNow());
        Prepared prepared;
        try
        {
            prepared = Prepare(submission, await directory.GetAsync(db, cancellationToken));
        }
        catch (ValidationFailedException) when (submission.ReplayKey is not null)
        {
            if (await ReplayAsync(intake.Actor.Id, submission.ReplayKey, submission.Hash, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            throw;
        }

        var set = writer!.SetWrite(() => new SetStore(assign.Rules, clock, options));
        for (var attempt = 1; ; attempt++)
        {
            var code = TrackingCode.New();
            try
            {
                return await writer.WriteAsync(set, new ToStore(prepared, code), cancellationToken);
            }
            catch (Exception e) when (e is DbException or DbUpdateException)
            {
                if (await ReplayedAsync(prepared, cancellationToken) is { } replayed)
                {
                    return replayed;
                }

                if (attempt >= CodeAttempts || !await CodeTakenAsync(code, cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>After a write met a unique index: the appeal a concurrent request (or an earlier one) stored under the
    /// same key, if that is what it met.</summary>
    private async Task<AppealRegistered?> ReplayedAsync(Prepared prepared, CancellationToken cancellationToken) =>
        prepared.Key is null ? null : await ReplayAsync(prepared.Client!, prepared.Key, prepared.Hash, cancellationToken);

    /// <summary>Whether a tracking code drawn is already taken: about one in 10^17 per pair, worth another draw.</summary>
    private async Task<bool> CodeTakenAsync(string code, CancellationToken cancellationToken) =>
        await db.Appeals.AnyAsync(a => a.TrackingCode == code, cancellationToken);

    /// <summary>Adds the appeal and its matter to <paramref name="target"/> and saves them.</summary>
    private static async Task<AppealRegistered> StoreAsync(DubanDbContext target, AssignMatter to, Prepared prepared, (long Id, string Code)? repeat,
        string code, CancellationToken cancellationToken)
    {
        var matter = await to.AddAsync(prepared.Matter, cancellationToken, prepared.Later);
        target.Attachments.AddRange(prepared.Later.SelectMany(e => Attachment.From(matter, e)));
        var appeal = NewAppeal(prepared, matter, code, repeat?.Id);
        target.Appeals.Add(appeal);
        await target.SaveChangesAsync(cancellationToken);
        return new AppealRegistered(appeal.Id, matter.Id, code, true, repeat?.Id, matter.Code, prepared.LeadUnit, repeat?.Code);
    }

    /// <summary>The appeal row of a prepared appeal.</summary>
    private static Appeal NewAppeal(Prepared prepared, Matter matter, string code, long? repeatOfId) => new()
    {
        Matter = matter,
        TrackingCode = code,
        Category = prepared.Input.Category,
        RegionUnitId = prepared.RegionId,
        EnterpriseName = prepared.Input.EnterpriseName,
        EnterpriseCode = prepared.Input.EnterpriseCode,
        ContactName = prepared.Input.ContactName,
        ContactPhone = prepared.Input.ContactPhone,
        IdempotencyClient = prepared.Client,
        IdempotencyKey = prepared.Key,
        RequestHash = prepared.Hash,
        RepeatOfId = repeatOfId,
        PublicReply = prepared.Closed?.Reply,
        RepliedAt = prepared.Closed?.RepliedAt,
        ReceivedAt = prepared.ReceivedAt,
        Likes = prepared.Input.Likes ?? 0,
        Dislikes = prepared.Input.Dislikes ?? 0,
        RoutingRuleId = prepared.Rule?.Id,
    };

    /// <summary>
    /// <see cref="RegisterAsync"/> without the write (an import's dry run): every check it makes, the database's included,
    /// so the verdict is the same. Null when the appeal would be saved as new; the earlier registration when the key
    /// was already used for the same submission.
    /// </summary>
    /// <exception cref="ForbiddenException">The actor may not receive appeals.</exception>
    /// <exception cref="ValidationFailedException">Any field is invalid, as <see cref="RegisterAsync"/> would say.</exception>
    /// <exception cref="RuleConflictException">The idempotency key was used before for a different submission.</exception>
    public async Task<AppealRegistered?> CheckAsync(AppealInput input, Intake intake, CancellationToken cancellationToken = default) =>
        (await PrepareAsync(input, intake, cancellationToken)).Earlier;

    /// <summary>
    /// The checks that need no database, for every way in (the API, the portal, an import's rows, a visit's problems):
    /// the input cleaned once, and its problems by field. An empty <see cref="AppealValidation.Errors"/> leaves only the
    /// database's checks (region and lead unit codes) to <see cref="RegisterAsync"/>.
    /// </summary>
    public static AppealValidation Validate(AppealInput input, Intake intake, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(intake);
        input = Cleaned(input);
        var key = UserText.Clean(intake.IdempotencyKey);
        var receivedAt = intake.ReceivedAt ?? now;
        var errors = Check(input, intake, key, receivedAt, now);
        NewMatterRules.CheckText(input.Title, input.Content, errors);
        return new AppealValidation(input, key, receivedAt, errors);
    }

    /// <summary>An appeal checked and its matter made, ready to store.</summary>
    private sealed record Prepared(AppealInput Input, string? Client, string? Key, string Hash, DateTimeOffset ReceivedAt, long? RegionId,
        RoutingRule? Rule, AssignMatter.Prepared Matter, List<MatterEvent> Later, string LeadUnit, AppealReply? Closed);

    /// <summary>A submission through the checks that need no database: cleaned, hashed, its problems by field (not yet
    /// thrown: a replayed key answers first).</summary>
    private sealed record Submission(AppealInput Input, Intake Intake, string? Key, string Hash, DateTimeOffset ReceivedAt, Dictionary<string, string[]> Errors)
    {
        /// <summary>The key to look for an earlier registration under, when it is one that could have been stored.</summary>
        public string? ReplayKey => Key is { Length: <= MaxIdempotencyKey } ? Key : null;
    }

    /// <summary>Everything but the write: the earlier registration of a replayed key, or the appeal checked (the
    /// database-free <see cref="Validate"/>, then region and lead unit) and its matter made.</summary>
    private async Task<(AppealRegistered? Earlier, Prepared? Prepared)> PrepareAsync(AppealInput input, Intake intake, CancellationToken cancellationToken)
    {
        var submission = Submit(input, intake, clock.GetUtcNow());
        if (submission.ReplayKey is { } key
            && (await EarlierAsync(intake.Actor.Id, [key], cancellationToken)).GetValueOrDefault(key) is { } earlier)
        {
            return (Replayed(earlier, submission.Hash, key), null);
        }

        return (null, Prepare(submission, await directory.GetAsync(db, cancellationToken)));
    }

    /// <exception cref="ForbiddenException">The actor may not receive appeals.</exception>
    private static Submission Submit(AppealInput input, Intake intake, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(intake);
        if (!AccessRules.MayReceiveAppeals(intake.Actor))
        {
            throw new ForbiddenException("无权受理诉求。");
        }

        var (cleaned, key, receivedAt, errors) = Validate(input, intake, now);
        return new Submission(cleaned, intake, key, Hash(cleaned, intake), receivedAt, errors);
    }

    /// <summary>The region, the lead unit and the matter of a submission with no earlier registration.</summary>
    /// <exception cref="ValidationFailedException">Any field is invalid; every problem is reported at once.</exception>
    private Prepared Prepare(Submission submission, IntakeDirectory.Snapshot units)
    {
        var (cleaned, intake, key, hash, receivedAt, errors) = submission;
        var actor = intake.Actor;
        var regionId = Region(units, cleaned.Region, errors);
        var (leadUnitId, rule) = Route(units, cleaned, regionId, actor, errors);
        var matter = new MatterToAssign(MatterKind.Appeal, intake.Channel, cleaned.Title ?? string.Empty, cleaned.Content ?? string.Empty, leadUnitId)
        {
            Note = rule is null ? null : $"按分派规则「{rule.Name}」交办。",
        };
        var prepared = assign.Prepare(matter, actor, receivedAt, errors);
        var later = intake.Closed is { } closed ? History(prepared.State, actor, closed) : [];
        if (intake.Files is { Count: > 0 } files)
        {
            later.Add(MatterLifecycle.Attached(later.Aggregate(prepared.State, (s, e) => s.Apply(e)), files, actor.Ref, receivedAt));
        }

        return new Prepared(cleaned, key is null ? null : actor.Id, key, hash, receivedAt, regionId, rule, prepared, later,
            units.Units[leadUnitId].Name, intake.Closed);
    }

    /// <summary>The actor that records appeals from the public portal: the intake unit (<c>Appeals:IntakeUnit</c>, or the
    /// root unit) receiving them.</summary>
    public async Task<Actor> PortalActorAsync(CancellationToken cancellationToken = default)
    {
        var code = options.IntakeUnit;
        var unit = await db.Units.AsNoTracking()
            .Where(u => u.Active && (code == null ? u.ParentId == null : u.Code == code))
            .OrderBy(u => u.Id).Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException(code is null ? "No units exist to receive appeals." : $"Appeals:IntakeUnit: unit \"{code}\" does not exist.");
        // Pages show the receiving unit beside every actor's name, so the name does not repeat it.
        return new Actor("portal", "网上诉求平台", unit.Id, new HashSet<Role> { Role.Handler });
    }

    private static AppealInput Cleaned(AppealInput input) => input with
    {
        Title = UserText.Clean(input.Title),
        Content = UserText.Clean(input.Content),
        Category = UserText.Clean(input.Category),
        Region = UserText.Clean(input.Region),
        ContactName = UserText.Clean(input.ContactName),
        ContactPhone = UserText.Clean(input.ContactPhone) is { } phone ? PersonalData.NormalizePhone(phone) ?? phone : null,
        EnterpriseName = UserText.Clean(input.EnterpriseName),
        EnterpriseCode = UserText.Clean(input.EnterpriseCode)?.ToUpperInvariant(),
        LeadUnit = UserText.Clean(input.LeadUnit),
    };

    private static Dictionary<string, string[]> Check(AppealInput input, Intake intake, string? key, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var history = intake.ReceivedAt is not null || intake.Closed is not null;
        if (!Channels.Contains(intake.Channel))
        {
            errors["channel"] = ["诉求渠道必须是 web（网上）、hotline（热线）、offline（线下）、visit（包联走访）或 import（导入）。"];
        }

        if (input.Category is null)
        {
            if (!history)
            {
                errors["category"] = ["请选择诉求分类。"];
            }
        }
        else if (!AppealCategories.IsKnown(input.Category))
        {
            errors["category"] = [$"未知的诉求分类「{Shorten(input.Category)}」，可选：{string.Join("、", AppealCategories.All)}。"];
        }

        // The portal and the hotline must be able to call back; imported and on-the-spot records may lack a phone.
        var contactRequired = !history && intake.Channel is MatterSource.Web or MatterSource.Hotline;
        if (input.ContactPhone is null)
        {
            if (contactRequired)
            {
                errors["contactPhone"] = ["联系电话不能为空。"];
            }
        }
        else if (PersonalData.NormalizePhone(input.ContactPhone) is null)
        {
            errors["contactPhone"] = ["联系电话格式不正确：请填写 11 位手机号，或带区号的固定电话（如 0371-12345678）。"];
        }

        if (input.ContactName is null && contactRequired)
        {
            errors["contactName"] = ["联系人姓名不能为空。"];
        }
        else if (input.ContactName is { Length: > MaxContactName })
        {
            errors["contactName"] = [$"联系人姓名不能超过 {MaxContactName} 字。"];
        }

        if (input.EnterpriseName is { Length: > MaxEnterpriseName })
        {
            errors["enterpriseName"] = [$"企业名称不能超过 {MaxEnterpriseName} 字。"];
        }

        if (input.EnterpriseCode is { } credit && !CreditCodePattern().IsMatch(credit))
        {
            errors["enterpriseCode"] = ["统一社会信用代码应为 18 位数字或大写字母。"];
        }

        if (input.Likes is < 0 || input.Dislikes is < 0)
        {
            errors["likes"] = ["点赞数和反对数不能为负数。"];
        }

        if (intake.IdempotencyKey is not null && (key is null || key.Length > MaxIdempotencyKey))
        {
            errors["idempotencyKey"] = [$"Idempotency-Key 不能为空且不能超过 {MaxIdempotencyKey} 个字符。"];
        }

        if (receivedAt > now)
        {
            errors["receivedAt"] = ["受理时间不能晚于现在。"];
        }

        if (intake.Closed is { } closed)
        {
            if (closed.RepliedAt < receivedAt || closed.RepliedAt > now)
            {
                errors["repliedAt"] = ["答复时间必须在受理时间之后，且不晚于现在。"];
            }

            if (UserText.Clean(closed.Reply) is not { } reply)
            {
                errors["reply"] = ["答复意见不能为空。"];
            }
            else if (reply.Length > MaxReply)
            {
                errors["reply"] = [$"答复意见不能超过 {MaxReply} 字。"];
            }
        }

        return errors;
    }

    private static long? Region(IntakeDirectory.Snapshot units, string? region, Dictionary<string, string[]> errors)
    {
        if (region is null)
        {
            return null;
        }

        var id = units.Active(region)?.Id;
        if (id is null)
        {
            errors["region"] = [$"区域代码「{Shorten(region)}」不存在或已停用。"];
        }

        return id;
    }

    /// <summary>The lead unit: chosen by staff (a code), else by the best routing rule, else the receiving unit itself
    /// (首接首办); 0, with the error on <c>leadUnit</c>, when it is unknown or no longer active.</summary>
    private static (long LeadUnitId, RoutingRule? Rule) Route(IntakeDirectory.Snapshot units, AppealInput input, long? regionId, Actor actor,
        Dictionary<string, string[]> errors)
    {
        if (input.LeadUnit is { } chosen)
        {
            if (units.Active(chosen) is not { } found)
            {
                errors["leadUnit"] = AssignMatter.UnknownUnits([chosen]);
                return (0, null);
            }

            return (found.Id, null);
        }

        var facts = new RouteFacts(input.Category, regionId, $"{input.Title}\n{input.Content}", input.EnterpriseCode);
        var picked = Router.Pick(units.RouteRules, facts, units.Tree);
        var rule = picked is null ? null : units.Rules.First(r => r.Id == picked.Id);
        var unitId = rule?.LeadUnitId ?? actor.UnitId;
        if (!units.Units.TryGetValue(unitId, out var unit) || !unit.Active)
        {
            errors["leadUnit"] = AssignMatter.UnknownUnits([unit?.Code ?? unitId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            return (0, rule);
        }

        return (unitId, rule);
    }

    /// <summary>Imported history: acknowledged, completed with the reply, verified and closed at the reply's instant, by the
    /// importing actor on behalf of the lead unit and then the receiving unit.</summary>
    private static List<MatterEvent> History(MatterState state, Actor actor, AppealReply closed)
    {
        var at = closed.RepliedAt;
        var lead = new ActorRef(actor.Id, actor.Name, state.LeadUnitId);
        var assigner = new ActorRef(actor.Id, actor.Name, state.AssignerUnitId);
        return
        [
            new(2, MatterAction.Acknowledge, at, lead, null, new MatterEventData()),
            // An event note holds 4000 characters (4 of the 2,816 泰迪杯 replies are longer); the whole reply stays in PublicReply.
            new(3, MatterAction.Complete, at, lead, UserText.Clean(closed.Reply) is { Length: > 4000 } reply ? reply[..3999] + "…" : UserText.Clean(closed.Reply), new MatterEventData()),
            new(4, MatterAction.Verify, at, assigner, "历史数据导入。", new MatterEventData { Accepted = true }),
            new(5, MatterAction.Close, at, assigner, null, new MatterEventData()),
        ];
    }

    /// <summary>An appeal a new one from the same phone may repeat.</summary>
    private sealed record RepeatCandidate(long Id, string TrackingCode, long? RepeatOfId, string? OriginalCode, string? Phone, DateTimeOffset ReceivedAt,
        string Title, string Content);

    /// <summary>The original appeal this one repeats: same phone, within the window, similar text; the most similar wins.</summary>
    private async Task<(long Id, string Code)?> RepeatOfAsync(AppealInput input, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (input.ContactPhone is not { } phone || options.RepeatWindowDays == 0)
        {
            return null;
        }

        var candidates = await RepeatCandidatesAsync(db, [phone], receivedAt.AddDays(-options.RepeatWindowDays), receivedAt, RepeatCandidates, cancellationToken);
        return PickRepeat(options, candidates, input);
    }

    /// <summary>How many of a phone's latest appeals in the window are compared with a new one.</summary>
    private const int RepeatCandidates = 50;

    /// <summary>The appeals from <paramref name="phones"/> received in [<paramref name="since"/>, <paramref name="until"/>],
    /// latest first (at most <paramref name="take"/>, when given).</summary>
    private static async Task<List<RepeatCandidate>> RepeatCandidatesAsync(DubanDbContext db, IReadOnlyCollection<string> phones, DateTimeOffset since, DateTimeOffset until,
        int? take, CancellationToken cancellationToken)
    {
        // A batch's phones as one parameter each (IN (@p1, …), padded so a few sizes share a compiled query): inlined
        // constants cost a query compilation per batch. An import's batch spans years, and SQLite, without statistics,
        // walked the ReceivedAt index over all of it, reading every appeal of the window, so an import slowed as the
        // table grew (59 ms a batch of 1,000 at 100,000 appeals): it is told to probe (ContactPhone, ReceivedAt) per
        // phone. PostgreSQL's planner has statistics.
        var one = phones.Count == 1 ? phones.First() : null;
        var appeals = db.Database.IsSqlite()
            ? db.Appeals.FromSqlRaw("""SELECT * FROM appeals INDEXED BY "IX_appeals_ContactPhone_ReceivedAt" """)
            : db.Appeals;
        var query = (one is not null
                ? appeals.Where(a => a.ContactPhone == one)
                : appeals.Where(a => EF.MultipleParameters(phones).Contains(a.ContactPhone!)))
            .AsNoTracking()
            .Where(a => a.ReceivedAt >= since && a.ReceivedAt <= until)
            .OrderByDescending(a => a.ReceivedAt).AsQueryable();
        if (take is { } limit)
        {
            query = query.Take(limit);
        }

        return await query
            .Select(a => new RepeatCandidate(a.Id, a.TrackingCode, a.RepeatOfId, a.RepeatOf!.TrackingCode, a.ContactPhone, a.ReceivedAt, a.Matter!.Title, a.Matter.Content))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The most similar of a phone's latest candidates, at or above the threshold; a repeat of a repeat names
    /// the original.</summary>
    private static (long Id, string Code)? PickRepeat(AppealOptions options, IEnumerable<RepeatCandidate> latestFirst, AppealInput input)
    {
        var text = $"{input.Title}\n{input.Content}";
        var best = latestFirst.Take(RepeatCandidates)
            .Select(c => (Candidate: c, Score: RepeatRule.Similarity($"{c.Title}\n{c.Content}", text)))
            .Where(c => c.Score >= options.RepeatThreshold)
            .OrderByDescending(c => c.Score).ThenBy(c => c.Candidate.Id)
            .Select(c => c.Candidate)
            .FirstOrDefault();
        return best is null ? null : best.RepeatOfId is { } original ? (original, best.OriginalCode!) : (best.Id, best.TrackingCode);
    }

    /// <summary>What an earlier registration under a key left, to answer a retry with.</summary>
    private sealed record Earlier(long Id, string? Key, string TrackingCode, string? RequestHash, long MatterId, long? RepeatOfId, string MatterCode,
        string LeadUnit, string? RepeatOfCode);

    /// <summary>The earlier registrations of a client under any of <paramref name="keys"/>, by key: one look-up by the unique index.</summary>
    private async Task<Dictionary<string, Earlier>> EarlierAsync(string client, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        await db.Appeals.AsNoTracking().Where(a => a.IdempotencyClient == client && keys.Contains(a.IdempotencyKey!))
            .Select(a => new Earlier(a.Id, a.IdempotencyKey, a.TrackingCode, a.RequestHash, a.MatterId, a.RepeatOfId, a.Matter!.Code,
                a.Matter.LeadUnit!.Name, a.RepeatOf!.TrackingCode))
            .ToDictionaryAsync(e => e.Key!, StringComparer.Ordinal, cancellationToken);

    private async Task<AppealRegistered?> ReplayAsync(string client, string key, string hash, CancellationToken cancellationToken) =>
        (await EarlierAsync(client, [key], cancellationToken)).GetValueOrDefault(key) is { } earlier ? Replayed(earlier, hash, key) : null;

    /// <summary>The answer to a retry: the earlier registration, when the submission is the same.</summary>
    /// <exception cref="RuleConflictException">The key was used for a different submission.</exception>
    private static AppealRegistered Replayed(Earlier earlier, string hash, string key) =>
        earlier.RequestHash == hash
            ? new AppealRegistered(earlier.Id, earlier.MatterId, earlier.TrackingCode, false, earlier.RepeatOfId, earlier.MatterCode, earlier.LeadUnit, earlier.RepeatOfCode)
            : throw new RuleConflictException($"Idempotency-Key「{Shorten(key)}」已用于另一份内容不同的诉求（查询码 {TrackingCode.Format(earlier.TrackingCode)}）；新的诉求请使用新的 Key。");

    /// <summary>The submission as cleaned, hashed: equal for a retry, different for any changed field.</summary>
    private static string Hash(AppealInput input, Intake intake) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            input,
            channel = intake.Channel,
            intake.ReceivedAt,
            intake.Closed,
        }))));

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    [GeneratedRegex("^[0-9A-HJ-NPQRTUWXY]{18}$")]
    private static partial Regex CreditCodePattern();
}
