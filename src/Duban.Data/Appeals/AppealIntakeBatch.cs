using Duban.Appeals;
using Duban.Calendar;
using Duban.Matters;

namespace Duban.Data;

public sealed partial class AppealIntake
{
    /// <summary>What became of one appeal of <see cref="RegisterManyAsync"/>.</summary>
    /// <param name="Registered">The appeal stored now, or the earlier one its key names; null in a dry run for an appeal
    /// that would be stored as new, and when refused.</param>
    /// <param name="Refused">Why it was refused (<see cref="ValidationFailedException"/>, <see cref="RuleConflictException"/>,
    /// <see cref="ForbiddenException"/>), else null.</param>
    public sealed record Outcome(AppealRegistered? Registered, Exception? Refused);

    /// <summary>
    /// Registers many appeals at once, as <see cref="RegisterAsync"/> would one after another, in the caller's transaction
    /// (an import's chunk): the same checks, routing, numbers, repeats (earlier appeals of the batch included) and
    /// review counters, but the rows are written set-based (<see cref="RowWriter"/>) and looked up once per batch, not
    /// once per appeal. A refused appeal is refused alone. Should a statement fail (a key or tracking code taken
    /// meanwhile), the exception leaves the caller's transaction with part of the batch: roll it back to a savepoint
    /// taken before and register the appeals one at a time. With <paramref name="dryRun"/> nothing is written, and no
    /// transaction is needed. The appeals have no files; a client's key used twice in one batch is refused the second time.
    /// </summary>
    public async Task<IReadOnlyList<Outcome>> RegisterManyAsync(IReadOnlyList<(AppealInput Input, Intake Intake)> items, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!dryRun && db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A batch of appeals is written inside the caller's transaction.");
        }

        var now = clock.GetUtcNow();
        var outcomes = new Outcome?[items.Count];
        var submissions = new Submission?[items.Count];
        if (items.Any(item => item.Intake.Files is { Count: > 0 }))
        {
            throw new ArgumentException("Appeals with files are registered one at a time.", nameof(items));
        }

        // The checks that need no database are most of a dry run's work, and each row's are its own: on every core.
        Parallel.For(0, items.Count, i =>
        {
            try
            {
                submissions[i] = Submit(items[i].Input, items[i].Intake, now);
            }
            catch (ForbiddenException refused)
            {
                outcomes[i] = new Outcome(null, refused);
            }
        });

        // A key used twice in one batch: the later use is refused (one at a time, it would have met the first).
        var keys = new HashSet<(string, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (submissions[i]?.Key is { } key && !keys.Add((submissions[i]!.Intake.Actor.Id, key)))
            {
                submissions[i] = null;
                outcomes[i] = new Outcome(null, ValidationFailedException.For("idempotencyKey", $"Idempotency-Key「{Shorten(key)}」与本批前面的一条诉求重复。"));
            }
        }

        var earlier = new Dictionary<(string Client, string Key), Earlier>();
        foreach (var client in submissions.Where(s => s?.ReplayKey is not null).GroupBy(s => s!.Intake.Actor.Id, StringComparer.Ordinal))
        {
            foreach (var (key, found) in await EarlierAsync(client.Key, [.. client.Select(s => s!.ReplayKey!)], cancellationToken))
            {
                earlier[(client.Key, key)] = found;
            }
        }

        var units = await directory.GetAsync(db, cancellationToken);
        var prepared = new Prepared?[items.Count];
        Parallel.For(0, items.Count, i =>
        {
            if (submissions[i] is not { } submission)
            {
                return;
            }

            try
            {
                if (submission.ReplayKey is { } key && earlier.TryGetValue((submission.Intake.Actor.Id, key), out var found))
                {
                    outcomes[i] = new Outcome(Replayed(found, submission.Hash, key), null);
                    return;
                }

                prepared[i] = Prepare(submission, units);
                outcomes[i] = dryRun ? new Outcome(null, null) : null;
            }
            catch (Exception refused) when (refused is ValidationFailedException or RuleConflictException)
            {
                outcomes[i] = new Outcome(null, refused);
            }
        });

        if (!dryRun)
        {
            await StoreManyAsync(prepared, outcomes, cancellationToken);
        }

        return outcomes.Select(o => o!).ToList();
    }

    /// <summary>Stores the prepared appeals set-based, in their order, and sets their outcomes.</summary>
    private async Task StoreManyAsync(Prepared?[] prepared, Outcome?[] outcomes, CancellationToken cancellationToken)
    {
        var rows = Enumerable.Range(0, prepared.Length).Where(i => prepared[i] is not null).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var writer = new RowWriter(db);
        var matterIds = await writer.ReserveIdsAsync<Matter>(rows.Count, cancellationToken);
        var appealIds = await writer.ReserveIdsAsync<Appeal>(rows.Count, cancellationToken);

        // Each year's numbers taken at once, handed out in order.
        var numbers = new Dictionary<int, long>();
        foreach (var year in rows.GroupBy(i => Year(prepared[i]!)))
        {
            numbers[year.Key] = await assign.NextCodesAsync(year.Key, year.Count(), cancellationToken) - year.Count();
        }

        var codes = new string[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            var year = Year(prepared[rows[k]]!);
            codes[k] = AssignMatter.Code(year, numbers[year] += 1);
        }

        // The rows and signatures (a MinHash of the text each) depend on nothing before them: on every core.
        var matters = new Matter[rows.Count];
        var signatures = new MatterSignature[rows.Count];
        Parallel.For(0, rows.Count, k =>
        {
            var p = prepared[rows[k]]!;
            var matter = matters[k] = assign.New(p.Matter, codes[k], p.Later, out _);
            matter.Id = matterIds[k];
            matter.Events.ForEach(e => e.MatterId = matter.Id);
            matter.Milestones.ForEach(m => m.MatterId = matter.Id);
            matter.CoUnits.ForEach(c => c.MatterId = matter.Id);
            signatures[k] = MatterSignature.For(matter);
            signatures[k].MatterId = matter.Id;
        });

        // Repeats in order: an appeal may repeat one stored just before it in the batch.
        var repeats = await RepeatFinderAsync(rows.Select(i => prepared[i]!), cancellationToken);
        var appeals = new List<Appeal>(rows.Count);
        for (var k = 0; k < rows.Count; k++)
        {
            var p = prepared[rows[k]]!;
            var matter = matters[k];
            var code = TrackingCode.New();
            var repeat = repeats.Find(p);
            var appeal = NewAppeal(p, matter, code, repeat?.Id);
            appeal.Id = appealIds[k];
            appeal.MatterId = matter.Id;
            repeats.Add(p, appeal, repeat);
            appeals.Add(appeal);
            outcomes[rows[k]] = new Outcome(new AppealRegistered(appeal.Id, matter.Id, code, true, repeat?.Id, matter.Code, p.LeadUnit, repeat?.Code), null);
        }

        await writer.InsertAsync(matters, cancellationToken);
        await writer.InsertAsync(matters.SelectMany(m => m.Milestones).ToList(), cancellationToken);
        await writer.InsertAsync(matters.SelectMany(m => m.Events).ToList(), cancellationToken);
        await writer.InsertAsync(matters.SelectMany(m => m.CoUnits).ToList(), cancellationToken);
        await writer.InsertAsync(appeals, cancellationToken);
        await writer.InsertAsync(signatures, cancellationToken);
        // An appeal without a category counts under "" (a matter with no appeal has none at all).
        await FactLedger.Of(db).WriteNewAsync(db, [.. appeals.Select(a => (a.Matter!, (string?)(a.Category ?? "")))], cancellationToken);
    }

    private static int Year(Prepared prepared) => ChinaTime.DateOf(prepared.Matter.Assigned.At).Year;

    /// <summary>Finds each new appeal's original (<see cref="RepeatOfAsync"/>) among the stored appeals, read once for
    /// the batch, and the batch's appeals stored before it.</summary>
    private async Task<RepeatFinder> RepeatFinderAsync(IEnumerable<Prepared> batch, CancellationToken cancellationToken)
    {
        var window = options.RepeatWindowDays;
        var withPhone = batch.Where(p => p.Input.ContactPhone is not null).ToList();
        if (window == 0 || withPhone.Count == 0)
        {
            return new RepeatFinder(this, window, []);
        }

        var phones = withPhone.Select(p => p.Input.ContactPhone!).Distinct(StringComparer.Ordinal).ToList();
        var stored = await RepeatCandidatesAsync(phones, withPhone.Min(p => p.ReceivedAt).AddDays(-window), withPhone.Max(p => p.ReceivedAt), null,
            cancellationToken);
        return new RepeatFinder(this, window, stored);
    }

    /// <summary>A phone's candidates, latest first: the stored ones and the batch's, growing as the batch is stored.</summary>
    private sealed class RepeatFinder(AppealIntake intake, int window, List<RepeatCandidate> stored)
    {
        private readonly Dictionary<string, List<RepeatCandidate>> _byPhone = stored.GroupBy(c => c.Phone!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        public (long Id, string Code)? Find(Prepared prepared)
        {
            if (window == 0 || prepared.Input.ContactPhone is not { } phone || !_byPhone.TryGetValue(phone, out var candidates))
            {
                return null;
            }

            var since = prepared.ReceivedAt.AddDays(-window);
            return intake.PickRepeat(candidates.Where(c => c.ReceivedAt >= since && c.ReceivedAt <= prepared.ReceivedAt)
                .OrderByDescending(c => c.ReceivedAt), prepared.Input);
        }

        public void Add(Prepared prepared, Appeal appeal, (long Id, string Code)? repeat)
        {
            if (window == 0 || prepared.Input.ContactPhone is not { } phone)
            {
                return;
            }

            if (!_byPhone.TryGetValue(phone, out var candidates))
            {
                _byPhone[phone] = candidates = [];
            }

            candidates.Add(new RepeatCandidate(appeal.Id, appeal.TrackingCode, repeat?.Id, repeat?.Code, phone, appeal.ReceivedAt,
                appeal.Matter!.Title, appeal.Matter.Content));
        }
    }
}
