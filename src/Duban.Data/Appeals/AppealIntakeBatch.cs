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

    /// <summary>Stores the prepared appeals set-based, in their order, and sets their outcomes; an appeal may repeat one
    /// stored just before it in the batch.</summary>
    private async Task StoreManyAsync(Prepared?[] prepared, Outcome?[] outcomes, CancellationToken cancellationToken)
    {
        var rows = Enumerable.Range(0, prepared.Length).Where(i => prepared[i] is not null).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var batch = rows.Select(i => prepared[i]!).ToList();
        var repeats = await RepeatFinderAsync(db, options, batch, cancellationToken);
        var stored = await StoreSetAsync(db, assign, batch, (p, id, code) => // each appeal's own code, drawn now
        {
            var repeat = repeats.Find(p);
            repeats.Add(p, id, code, repeat);
            return (repeat, code);
        }, cancellationToken);
        for (var k = 0; k < rows.Count; k++)
        {
            outcomes[rows[k]] = new Outcome(stored[k], null);
        }
    }

    /// <summary>An appeal ready for the batching writer: checked, and its tracking code drawn.</summary>
    private sealed record ToStore(Prepared Prepared, string Code);

    /// <summary>Appeals without files that reach the <see cref="BatchingWriter"/> together, written set-based, as an
    /// import's batch is: their repeats looked up once for the lot, an appeal repeating one just before it included.</summary>
    private sealed class SetStore(Rules rules, TimeProvider clock, AppealOptions options) : ISetWrite<ToStore, AppealRegistered>
    {
        public async Task<IReadOnlyList<AppealRegistered>> WriteAsync(DubanDbContext db, IReadOnlyList<ToStore> items, CancellationToken cancellationToken)
        {
            var batch = items.Select(i => i.Prepared).ToList();
            var repeats = await RepeatFinderAsync(db, options, batch, cancellationToken);
            var next = 0; // decide is asked in the items' order
            return await StoreSetAsync(db, new AssignMatter(db, rules, clock), batch, (p, id, _) =>
            {
                var code = items[next++].Code;
                var repeat = repeats.Find(p);
                repeats.Add(p, id, code, repeat);
                return (repeat, code);
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Writes prepared appeals with their matters, milestones, events, co-units, signatures and review counters in a few
    /// multi-row statements (<see cref="RowWriter"/>), in the caller's transaction: what <see cref="StoreAsync"/> saves
    /// for each. <paramref name="decide"/> gives each appeal, in order, the repeat it links and its tracking code, from
    /// its appeal id and a freshly drawn code.
    /// </summary>
    private static async Task<IReadOnlyList<AppealRegistered>> StoreSetAsync(DubanDbContext db, AssignMatter assign, IReadOnlyList<Prepared> batch,
        Func<Prepared, long, string, ((long Id, string Code)? Repeat, string Code)> decide, CancellationToken cancellationToken)
    {
        var writer = new RowWriter(db);
        var matterIds = await writer.ReserveIdsAsync<Matter>(batch.Count, cancellationToken);
        var appealIds = await writer.ReserveIdsAsync<Appeal>(batch.Count, cancellationToken);

        // Each year's numbers taken at once, handed out in order.
        var numbers = new Dictionary<int, long>();
        foreach (var year in batch.GroupBy(Year))
        {
            numbers[year.Key] = await assign.NextCodesAsync(year.Key, year.Count(), cancellationToken) - year.Count();
        }

        var codes = new string[batch.Count];
        for (var k = 0; k < batch.Count; k++)
        {
            var year = Year(batch[k]);
            codes[k] = AssignMatter.Code(year, numbers[year] += 1);
        }

        // The rows and signatures (a MinHash of the text each) depend on nothing before them: on every core, when many.
        var matters = new Matter[batch.Count];
        var signatures = new MatterSignature[batch.Count];
        void Build(int k)
        {
            var matter = matters[k] = assign.New(batch[k].Matter, codes[k], batch[k].Later, out _);
            matter.Id = matterIds[k];
            matter.Events.ForEach(e => e.MatterId = matter.Id);
            matter.Milestones.ForEach(m => m.MatterId = matter.Id);
            matter.CoUnits.ForEach(c => c.MatterId = matter.Id);
            signatures[k] = MatterSignature.For(matter);
            signatures[k].MatterId = matter.Id;
        }

        if (batch.Count >= 64)
        {
            Parallel.For(0, batch.Count, Build);
        }
        else
        {
            for (var k = 0; k < batch.Count; k++)
            {
                Build(k);
            }
        }

        var appeals = new List<Appeal>(batch.Count);
        var stored = new AppealRegistered[batch.Count];
        for (var k = 0; k < batch.Count; k++)
        {
            var p = batch[k];
            var matter = matters[k];
            var (repeat, code) = decide(p, appealIds[k], TrackingCode.New());
            var appeal = NewAppeal(p, matter, code, repeat?.Id);
            appeal.Id = appealIds[k];
            appeal.MatterId = matter.Id;
            appeals.Add(appeal);
            stored[k] = new AppealRegistered(appeal.Id, matter.Id, code, true, repeat?.Id, matter.Code, p.LeadUnit, repeat?.Code);
        }

        await writer.InsertAsync(matters, cancellationToken);
        await writer.InsertAsync(matters.SelectMany(m => m.Milestones).ToList(), cancellationToken);
        await writer.InsertAsync(matters.SelectMany(m => m.Events).ToList(), cancellationToken);
        await writer.InsertAsync(matters.SelectMany(m => m.CoUnits).ToList(), cancellationToken);
        await writer.InsertAsync(appeals, cancellationToken);
        await writer.InsertAsync(signatures, cancellationToken);
        // An appeal without a category counts under "" (a matter with no appeal has none at all).
        await FactLedger.Of(db).WriteNewAsync(db, [.. appeals.Select(a => (a.Matter!, (string?)(a.Category ?? "")))], cancellationToken);
        return stored;
    }

    private static int Year(Prepared prepared) => ChinaTime.DateOf(prepared.Matter.Assigned.At).Year;

    /// <summary>Finds each new appeal's original (<see cref="RepeatOfAsync"/>) among the stored appeals, read once for
    /// the batch, and the batch's appeals stored before it.</summary>
    private static async Task<RepeatFinder> RepeatFinderAsync(DubanDbContext db, AppealOptions options, IEnumerable<Prepared> batch,
        CancellationToken cancellationToken)
    {
        var window = options.RepeatWindowDays;
        var withPhone = batch.Where(p => p.Input.ContactPhone is not null).ToList();
        if (window == 0 || withPhone.Count == 0)
        {
            return new RepeatFinder(options, []);
        }

        var phones = withPhone.Select(p => p.Input.ContactPhone!).Distinct(StringComparer.Ordinal).ToList();
        var stored = await RepeatCandidatesAsync(db, phones, withPhone.Min(p => p.ReceivedAt).AddDays(-window), withPhone.Max(p => p.ReceivedAt), null,
            cancellationToken);
        return new RepeatFinder(options, stored);
    }

    /// <summary>A phone's candidates, latest first: the stored ones and the batch's, growing as the batch is stored.</summary>
    private sealed class RepeatFinder(AppealOptions options, List<RepeatCandidate> stored)
    {
        private readonly int _window = options.RepeatWindowDays;
        private readonly Dictionary<string, List<RepeatCandidate>> _byPhone = stored.GroupBy(c => c.Phone!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        public (long Id, string Code)? Find(Prepared prepared)
        {
            if (_window == 0 || prepared.Input.ContactPhone is not { } phone || !_byPhone.TryGetValue(phone, out var candidates))
            {
                return null;
            }

            var since = prepared.ReceivedAt.AddDays(-_window);
            return PickRepeat(options, candidates.Where(c => c.ReceivedAt >= since && c.ReceivedAt <= prepared.ReceivedAt)
                .OrderByDescending(c => c.ReceivedAt), prepared.Input);
        }

        public void Add(Prepared prepared, long id, string code, (long Id, string Code)? repeat)
        {
            if (_window == 0 || prepared.Input.ContactPhone is not { } phone)
            {
                return;
            }

            if (!_byPhone.TryGetValue(phone, out var candidates))
            {
                _byPhone[phone] = candidates = [];
            }

            candidates.Add(new RepeatCandidate(id, code, repeat?.Id, repeat?.Code, phone, prepared.ReceivedAt,
                prepared.Matter.Matter.Title, prepared.Matter.Matter.Content));
        }
    }
}
