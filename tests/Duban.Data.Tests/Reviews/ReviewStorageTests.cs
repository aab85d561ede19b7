using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests.Reviews;

/// <summary>The review counters as the database keeps them: written with every event, folded by the job, summed per
/// period; rebuilt from the events they must come out the same.</summary>
public sealed class ReviewStorageTests
{
    private static Task<long> AssignAsync(Storage s, NewMatter input, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(input, actor ?? s.Org.Supervisor));

    private static Task ActAsync(Storage s, long id, Actor actor, MatterCommand command, string? unit = null) =>
        s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, unit, actor));

    private static Task<FactDelta> AllAsync(Storage s) => s.RunAsync(sp => FactStore.AllAsync(sp.GetRequiredService<DubanDbContext>(), default));

    /// <summary>The counters the stored events replay to (<see cref="MatterFacts.Replay"/>), every matter's summed.</summary>
    private static Task<FactDelta> ReplayedAsync(Storage s) => s.RunAsync(async sp =>
    {
        var rules = sp.GetRequiredService<Rules>();
        var all = new FactDelta();
        var events = await sp.GetRequiredService<DubanDbContext>().MatterEvents.AsNoTracking()
            .OrderBy(e => e.MatterId).ThenBy(e => e.Sequence).ToListAsync();
        foreach (var history in events.GroupBy(e => e.MatterId))
        {
            all.Add(MatterFacts.Replay(history.Select(e => e.ToEvent()), rules.Calendar, ReviewRules.Default));
        }

        return all;
    });

    private static Task<int> FoldAsync(Storage s) => s.RunAsync(sp => FactStore.FoldAsync(sp.GetRequiredService<DubanDbContext>(), null, default));

    private static bool Same(FactDelta a, FactDelta b)
    {
        var difference = new FactDelta();
        difference.Add(a);
        difference.Add(b, -1);
        return difference.IsEmpty;
    }

    /// <summary>More deltas than one fold's chunk (SQLite folds <see cref="FactStore.FoldChunk"/> a transaction, each
    /// taking its turn at the writer): every delta is folded exactly once, the sums do not move, and none is left.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Fold_OfMoreDeltasThanAChunk_FoldsEachExactlyOnce(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-05T09:00:00+08:00");
        var (expected, before) = await DeltasOfThreeChunksAsync(s);

        Assert.Equal(expected, await FoldAsync(s));
        Assert.True(Same(before, await AllAsync(s)));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().UnitFactDeltas.CountAsync()));
        Assert.Equal(0, await FoldAsync(s));
    }

    /// <summary>Paced, as the background job folds: on SQLite the fold waits on the clock between its chunks (so intake's
    /// batches keep the writer), finishing only as the clock moves, and still folds every delta once. PostgreSQL folds
    /// in one statement and does not wait.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Fold_Paced_WaitsOnTheClockBetweenChunks_FoldsEachExactlyOnce(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-05T09:00:00+08:00");
        var (expected, before) = await DeltasOfThreeChunksAsync(s);
        var clock = new FakeTimeProvider(s.Clock.GetUtcNow()) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) }; // each chunk "holds" 1 ms

        var fold = s.RunAsync(sp => FactStore.FoldAsync(sp.GetRequiredService<DubanDbContext>(), clock, default));
        var waited = await Task.WhenAny(fold, Task.Delay(TimeSpan.FromSeconds(2))) != fold;
        for (var moves = 0; !fold.IsCompleted && moves < 100; moves++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(9)); // what the chunk's wait asks for
            await Task.WhenAny(fold, Task.Delay(TimeSpan.FromMilliseconds(200)));
        }

        Assert.Equal(engine == TestDatabase.Sqlite, waited);
        Assert.Equal(expected, await fold);
        Assert.True(Same(before, await AllAsync(s)));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().UnitFactDeltas.CountAsync()));
    }

    /// <summary>Intake's batches (the API's writer, an import's chunks): on SQLite each adds its summed counters to the day and
    /// month rows itself, so a second batch on the same unit and days adds to the rows the first made; on PostgreSQL they
    /// are deltas. Either way the counters are what the events replay to, and a whole past month read from the monthly
    /// rows is the sum of its days.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task IntakeBatches_OnOneUnitAndDay_AddUp(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-05T09:00:00+08:00");
        for (var batch = 0; batch < 2; batch++)
        {
            var items = Enumerable.Range(0, 3).Select(i => (AppealIntakeTests.Citizen($"1380000{batch}{i:D3}") with { Category = i == 0 ? "交通运输" : "城乡建设" },
                new Intake(s.Org.Supervisor, MatterSource.Hotline))).ToList();
            await s.RunAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var outcomes = await sp.GetRequiredService<AppealIntake>().RegisterManyAsync(items, dryRun: false);
                Assert.All(outcomes, o => Assert.True(o.Registered?.Created));
                await transaction.CommitAsync();
                return outcomes;
            });
        }

        var deltas = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().UnitFactDeltas.CountAsync());
        Assert.Equal(engine == TestDatabase.Postgres, deltas > 0);
        var kept = await AllAsync(s);
        var replayed = await ReplayedAsync(s);
        Assert.True(Same(kept, replayed), "the batches' counters differ from the replay of their events");
        var lead = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Select(m => m.LeadUnitId).Distinct().SingleAsync());
        Assert.Equal(6, kept.Entries.Where(e => e.Key.UnitId == lead && e.Key.Role == FactRole.Lead).Sum(e => e.Value[Fact.Assigned]));

        await FoldAsync(s);
        var (first, last, today) = (new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 29), new DateOnly(2024, 4, 1));
        var months = await s.RunAsync(sp => FactStore.SumAsync(sp.GetRequiredService<DubanDbContext>(), first, last, today, default));
        foreach (var fact in Enum.GetValues<Fact>())
        {
            Assert.Equal(kept.Entries.Where(e => e.Key.Day >= first && e.Key.Day <= last).Sum(e => e.Value[fact]), months.Sum(u => u.Facts[fact]));
        }

        var matters = await s.RunAsync(sp => FactStore.MattersAsync(sp.GetRequiredService<DubanDbContext>(), lead, first, last, default));
        Assert.Equal(6, matters.Count); // the drill-down finds every appeal
    }

    /// <summary>An assignment's deltas copied until there are more than two chunks of them: how many, and the sums.</summary>
    private static async Task<(int Deltas, FactDelta Sums)> DeltasOfThreeChunksAsync(Storage s)
    {
        await AssignAsync(s, TestMatters.Assignment("K-T"));
        var written = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().UnitFactDeltas.AsNoTracking().ToListAsync());
        var copies = (2 * FactStore.FoldChunk / written.Count) + 1; // three chunks and some
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new RowWriter(db).InsertAsync(Enumerable.Range(0, copies).SelectMany(_ => written.Select(d =>
            {
                var copy = new UnitFactDelta { MatterId = d.MatterId, UnitId = d.UnitId, Day = d.Day, Role = d.Role };
                copy.Set(d.ToFacts());
                return copy;
            })).ToList(), default);
            await transaction.CommitAsync();
        });
        return ((copies + 1) * written.Count, await AllAsync(s));
    }

    /// <summary>Random histories over several matters (every action, transfers between three units, extensions,
    /// reopenings, ratings; folds at random moments): the counters kept with the events equal those rebuilt from the
    /// events, and both equal the pure replay.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task RandomHistories_KeptCountersEqualTheRebuild(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-05T09:00:00+08:00");
        var random = new Random(20241204);
        var org = s.Org;
        var units = new[] { "K-T", "C-ZJ", "K-T-V" };
        var handlers = new Dictionary<long, Actor>
        {
            [org.UnitIds["K-T"]] = org.TownshipHandler,
            [org.UnitIds["C-ZJ"]] = org.CityDepartmentHandler,
            [org.UnitIds["K-T-V"]] = org.VillageHandler,
        };
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var lead = units[random.Next(units.Length)];
            ids.Add(await AssignAsync(s, TestMatters.Assignment(lead, random.Next(2) == 0 ? [] : [units.First(u => u != lead)]) with
            {
                Kind = random.Next(2) == 0 ? "assignment" : "appeal",
            }));
            s.Clock.Advance(TimeSpan.FromHours(random.Next(1, 30)));
        }

        // Two appeals through intake, so the tallies count categories.
        foreach (var (category, phone) in new[] { ("城乡建设", "13800000001"), ("交通运输", "13800000002") })
        {
            var appeal = await s.RunAsync(sp => sp.GetRequiredService<AppealIntake>().RegisterAsync(
                AppealIntakeTests.Citizen(phone) with { Category = category, LeadUnit = "K-T" }, new Intake(org.Supervisor, MatterSource.Hotline)));
            ids.Add(appeal.MatterId);
        }

        for (var step = 0; step < 160; step++)
        {
            s.Clock.Advance(TimeSpan.FromHours(random.Next(0, 40)));
            var id = ids[random.Next(ids.Count)];
            var matter = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Where(m => m.Id == id)
                .Select(m => new { m.LeadUnitId, m.Status }).SingleAsync());
            var handler = handlers[matter.LeadUnitId];
            var due = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Milestones
                .Where(m => m.MatterId == id && m.MetAt == null).OrderBy(m => m.Stage).Select(m => new { m.Stage, m.DueAt }).FirstOrDefaultAsync());
            var roll = random.Next(10);
            var transfer = (org.Supervisor, new MatterCommand(MatterAction.Transfer) { Note = "改派" }, units[random.Next(units.Length)]);
            (Actor Actor, MatterCommand Command, string? Unit) extend = due is null
                ? (org.Supervisor, new MatterCommand(MatterAction.Close), null)
                : (org.Supervisor, new MatterCommand(MatterAction.Extend)
                {
                    Stage = due.Stage,
                    NewDueAt = (due.DueAt > s.Clock.GetUtcNow() ? due.DueAt : s.Clock.GetUtcNow()).AddDays(random.Next(1, 10)),
                }, null);
            // Mostly what the status invites, sometimes a detour: every action is reached, and refusals stay possible.
            var (actor, command, unit) = matter.Status switch
            {
                MatterStatus.Assigned when roll < 6 => (handler, new MatterCommand(MatterAction.Acknowledge), null),
                MatterStatus.Assigned when roll < 7 => (handler, new MatterCommand(MatterAction.Return) { Note = "不属于本单位" }, null),
                MatterStatus.Assigned when roll < 9 => transfer,
                MatterStatus.Assigned => extend,
                MatterStatus.Returned => transfer,
                MatterStatus.Acknowledged when roll < 2 => (handler, new MatterCommand(MatterAction.Feedback) { Note = "进展" }, null),
                MatterStatus.Acknowledged when roll < 7 => (handler, new MatterCommand(MatterAction.Complete) { Note = "已办结" }, null),
                MatterStatus.Acknowledged when roll < 8 => transfer,
                MatterStatus.Acknowledged => extend,
                MatterStatus.Reported => (org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = roll < 7, Note = "审核" }, null),
                MatterStatus.Verified when roll < 5 => (org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = (Satisfaction)random.Next(3) }, null),
                MatterStatus.Verified when roll < 8 => (org.Supervisor, new MatterCommand(MatterAction.Close), null),
                MatterStatus.Rated when roll < 7 => (org.Supervisor, new MatterCommand(MatterAction.Close), null),
                _ when roll < 3 => (org.Supervisor, new MatterCommand(MatterAction.Reopen) { Note = "回头看反弹" }, null),
                _ => (handler, new MatterCommand(MatterAction.Acknowledge), null), // usually refused
            };
            try
            {
                await ActAsync(s, id, actor, command, unit);
            }
            catch (DomainException)
            {
                // Refused (wrong status, same unit, …): nothing written, as the lifecycle promises.
            }

            if (random.Next(15) == 0)
            {
                await FoldAsync(s);
            }
        }

        await TalliesAgreeWithTheMattersAsync(s);
        var kept = await AllAsync(s);
        var replayed = await ReplayedAsync(s);
        Assert.True(Same(kept, replayed), "the kept counters differ from the replay of the stored events");
        Assert.True(kept.Entries.Sum(e => e.Value[Fact.TransferredOut]) > 0, "the random run made no transfer");
        Assert.True(kept.Entries.Sum(e => e.Value[Fact.Redone]) > 0, "the random run made no redo");

        // Sums of whole past months come from the monthly table, of other periods from the days: both agree with the counters.
        await FoldAsync(s);
        var today = ChinaTime.DateOf(s.Clock.GetUtcNow());
        foreach (var (from, to) in new[] { ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-31"), ("2024-02-10", "2024-04-20"), ("2024-01-01", "2024-12-31") })
        {
            var (first, last) = (DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture));
            var sums = await s.RunAsync(sp => FactStore.SumAsync(sp.GetRequiredService<DubanDbContext>(), first, last, today, default));
            foreach (var fact in Enum.GetValues<Fact>())
            {
                Assert.Equal(
                    kept.Entries.Where(e => e.Key.Day >= first && e.Key.Day <= last && (!fact.ToString().EndsWith("Pending", StringComparison.Ordinal) || e.Key.Day < today))
                        .Sum(e => e.Value[fact]),
                    sums.Sum(u => u.Facts[fact]));
            }
        }

        var rebuilt = await s.RunAsync(sp => FactStore.RebuildAsync(sp.GetRequiredService<DubanDbContext>(), sp.GetRequiredService<Rules>(),
            ReviewRules.Default, null, default));
        Assert.Equal(10, rebuilt);
        Assert.True(Same(kept, await AllAsync(s)), "the rebuild differs from the counters kept with the events");
        await TalliesAgreeWithTheMattersAsync(s);
    }

    /// <summary>The dashboard's tallies (folded or not) equal counts of the matters as they stand, for everything and
    /// for the county's subtree.</summary>
    private static async Task TalliesAgreeWithTheMattersAsync(Storage s)
    {
        foreach (var root in new long?[] { null, s.Org.UnitIds["K"] })
        {
            var (tallies, expected) = await s.RunAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                var prefix = root is null ? "/" : await db.Units.Where(u => u.Id == root).Select(u => u.Path).SingleAsync();
                var tallies = await MatterTallies.ReadAsync(db, root is { } id ? (id, prefix) : null, default);
                var led = db.Matters.Where(m => m.LeadUnit!.Path.StartsWith(prefix));
                var expected = new Dictionary<(TallyDimension, string), long>();
                foreach (var g in await led.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync())
                {
                    expected[(TallyDimension.Status, g.Key.ToString())] = g.Count;
                }

                foreach (var g in await led.GroupBy(m => m.Kind).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync())
                {
                    expected[(TallyDimension.Kind, g.Key.ToString())] = g.Count;
                }

                foreach (var g in await db.Appeals.Where(a => led.Any(m => m.Id == a.MatterId)).GroupBy(a => a.Category)
                             .Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync())
                {
                    expected[(TallyDimension.Category, g.Key ?? "")] = g.Count;
                }

                return (tallies, expected);
            });
            Assert.Equal(string.Join("; ", expected.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}")),
                string.Join("; ", tallies.Where(t => t.Value != 0).OrderBy(t => t.Key).Select(e => $"{e.Key}={e.Value}")));
        }
    }

    /// <summary>A month with a known history: the review's numbers, the overdue cut at today, the peer group, and the
    /// drill-down whose rows add up to each number.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task MonthlyReview_NumbersAndDrillDownsAgree(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var org = s.Org;
        var onTime = await AssignAsync(s, TestMatters.Assignment("K-T"));
        var late = await AssignAsync(s, TestMatters.Assignment("K-T"));
        var open = await AssignAsync(s, TestMatters.Assignment("C-ZJ", "K-T"));
        await ActAsync(s, onTime, org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        s.Clock.Advance(TimeSpan.FromDays(2)); // Wed 03-06 09:00: the other two missed the acknowledgement (due 03-06 00:00)
        await ActAsync(s, onTime, org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已办结" });
        await ActAsync(s, onTime, org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });
        await ActAsync(s, late, org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        s.Clock.Advance(TimeSpan.FromDays(9)); // Fri 03-15: completion of `late` (due 03-14 00:00) is late
        await ActAsync(s, late, org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已办结" });
        await FoldAsync(s);
        s.Clock.Advance(TimeSpan.FromDays(20)); // 04-04: March is over

        var reviews = (IServiceProvider sp) => sp.GetRequiredService<ReviewQueries>();
        var march = ReviewPeriod.ParseMonth("2024-03", ChinaTime.DateOf(s.Clock.GetUtcNow()));
        var review = await s.RunAsync(sp => reviews(sp).GetAsync(march, null, org.Supervisor));
        var town = review.Rows.Single(r => r.Unit.Code == "K-T");
        var bureau = review.Rows.Single(r => r.Unit.Code == "C-ZJ");
        Assert.Equal("乡镇（街道）", town.Group);
        Assert.Equal(2, town.Metrics!.Value(Metric.Assigned));
        Assert.Equal(0.5, town.Metrics.Value(Metric.OnTimeAcknowledgeRate));
        Assert.Equal(0.5, town.Metrics.Value(Metric.OnTimeCompleteRate));
        Assert.Equal(0.5, town.Metrics.Value(Metric.ResolutionRate)); // `late` is reported, not yet accepted
        Assert.Equal(1, town.Metrics.Value(Metric.Overdue));
        Assert.Null(town.Metrics.Value(Metric.SatisfactionRate));
        Assert.Equal(0, bureau.Metrics!.Value(Metric.OnTimeAcknowledgeRate)); // never acknowledged: overdue since 03-06
        Assert.Equal(1, bureau.Metrics.Value(Metric.Overdue));
        Assert.Equal(1, town.CoMetrics!.Value(Metric.Assigned));
        Assert.Equal(1, review.Totals!.Value(Metric.Overdue) - 1); // 2 in all: one late, one still open

        foreach (var (row, metric) in new[] { (town, Metric.Assigned), (town, Metric.OnTimeCompleteRate), (town, Metric.Overdue), (bureau, Metric.OnTimeAcknowledgeRate) })
        {
            var drill = await s.RunAsync(sp => reviews(sp).DrillDownAsync(row.Unit.Id, march, metric, FactRole.Lead, org.Supervisor));
            Assert.Equal(row.Metrics!.Value(metric), drill.Value);
            var sum = new UnitFacts();
            foreach (var r in drill.Rows)
            {
                sum.Add(r.Facts);
            }

            Assert.Equal(drill.Value, UnitMetrics.From(sum).Value(metric));
        }

        var overdue = await s.RunAsync(sp => reviews(sp).DrillDownAsync(town.Unit.Id, march, Metric.Overdue, FactRole.Lead, org.Supervisor));
        Assert.Equal([late], overdue.Rows.Select(r => r.MatterId));

        // While the month runs, a milestone due today or later is not decided yet.
        await using var s2 = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        await AssignAsync(s2, TestMatters.Assignment("K-T"));
        var early = await s2.RunAsync(sp => reviews(sp).GetAsync(ReviewPeriod.ParseMonth("2024-03", new DateOnly(2024, 3, 4)), null, s2.Org.Supervisor));
        Assert.Null(early.Rows.Single(r => r.Unit.Code == "K-T").Metrics!.Value(Metric.OnTimeAcknowledgeRate));
        s2.Clock.Advance(TimeSpan.FromDays(2));
        var later = await s2.RunAsync(sp => reviews(sp).GetAsync(ReviewPeriod.ParseMonth("2024-03", new DateOnly(2024, 3, 6)), null, s2.Org.Supervisor));
        Assert.Equal(0, later.Rows.Single(r => r.Unit.Code == "K-T").Metrics!.Value(Metric.OnTimeAcknowledgeRate));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Review_UnitReaderSeesOwnFiguresAndGroupRanksOnly_AndAnEmptyPeriodSaysSo(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        await AssignAsync(s, TestMatters.Assignment("K-T"));
        s.Clock.Advance(TimeSpan.FromDays(40));
        var today = ChinaTime.DateOf(s.Clock.GetUtcNow());
        var march = ReviewPeriod.ParseMonth("2024-03", today);
        var forTown = await s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(march, null, s.Org.TownshipHandler));
        Assert.False(forTown.FullView);
        Assert.Null(forTown.Totals);
        Assert.Equal(["乡镇（街道）"], forTown.Groups.Select(g => g.Name));
        Assert.NotNull(Assert.Single(forTown.Rows, r => r.IsReader).Metrics);

        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>()
            .DrillDownAsync(s.Org.UnitIds["C-ZJ"], march, Metric.Assigned, FactRole.Lead, s.Org.TownshipHandler)));
        var forBureau = await s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(march, "部门", s.Org.Supervisor));
        Assert.All(forBureau.Rows, r => Assert.Equal("部门", r.Group));

        var january = await s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(ReviewPeriod.ParseMonth("2024-01", today), null, s.Org.Supervisor));
        Assert.True(january.IsEmpty);
        Assert.True(march.Previous().To < march.From);
        await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(march, "火星", s.Org.Supervisor)));
    }
}
