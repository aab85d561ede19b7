using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>Group commit: concurrent writes share one transaction, and a write that fails fails alone.</summary>
public sealed class BatchingWriterTests
{
    /// <summary>A batch that waits for exactly <paramref name="writes"/> writes (or ten seconds).</summary>
    private static Dictionary<string, string?> OneBatch(int writes) => new() { ["Writes:MaxBatch"] = $"{writes}", ["Writes:MaxWait"] = "00:00:10" };

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AWriteThatBreaksAConstraint_FailsAlone_TheOthersInItsBatchCommit_AndTheAuditChainHolds(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, settings: OneBatch(5));
        var writer = s.Services.GetRequiredService<BatchingWriter>();
        var parent = s.Org.UnitIds["K"];
        Task<long> AddUnit(string code) => writer.WriteAsync(async (db, ct) =>
        {
            var unit = new Unit { Code = code, Name = "新单位" + code, ParentId = parent, Level = UnitLevel.Department };
            db.Units.Add(unit);
            await db.SaveChangesAsync(ct);
            return unit.Id;
        });

        // "K-T" exists: its unique code makes the third write fail inside the batch.
        var writes = new[] { "B1", "B2", "K-T", "B3", "B4" }.Select(AddUnit).ToList();
        await Assert.ThrowsAsync<DbUpdateException>(() => writes[2]);
        var ids = await Task.WhenAll(writes.Where((_, i) => i != 2));
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(1, writer.Batches);
        Assert.Equal(4, writer.Written);

        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var codes = await db.Units.Where(u => u.Code.StartsWith("B")).Select(u => u.Code).OrderBy(c => c).ToListAsync();
            Assert.Equal(["B1", "B2", "B3", "B4"], codes);
            // The failed write's audit record went with its rows: the chain and every row still agree.
            var report = await sp.GetRequiredService<AuditVerifier>().VerifyAsync();
            Assert.True(report.Whole, string.Join("; ", report.Problems));
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ConcurrentAppeals_ShareOneCommit_ASecondUseOfAKeyInTheSameBatchIsAConflict_TheRestAreStored(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, settings: OneBatch(6));
        var writer = s.Services.GetRequiredService<BatchingWriter>();
        Task<AppealRegistered> Register(AppealInput input, string key) => s.RunAsync(sp =>
            sp.GetRequiredService<AppealIntake>().RegisterAsync(input, new Intake(s.Org.TownshipHandler, MatterSource.Hotline) { IdempotencyKey = key }));

        var inputs = Enumerable.Range(0, 5).Select(i => AppealIntakeTests.Citizen($"1381234{i:D4}") with { Title = $"第 {i} 件：小区门口路灯不亮" }).ToList();
        var others = inputs.Skip(1).Select((input, i) => Register(input, $"k{i + 1}")).ToList();
        // Two appeals under one key: both pass the look-up before either is stored; whichever the batch writes first wins.
        var sameKey = new[] { Register(inputs[0], "k0"), Register(inputs[0] with { Title = "另一件事" }, "k0") };

        var outcomes = await Task.WhenAll(sameKey.Select(async t =>
        {
            try
            {
                return (object)await t;
            }
            catch (RuleConflictException conflict)
            {
                return conflict;
            }
        }));
        Assert.Single(outcomes.OfType<RuleConflictException>(), c => c.Message.Contains("Idempotency-Key", StringComparison.Ordinal));
        var stored = (await Task.WhenAll(others)).Append(Assert.Single(outcomes.OfType<AppealRegistered>())).ToList();
        Assert.All(stored, r => Assert.True(r.Created));
        Assert.Equal(5, stored.Select(r => r.MatterCode).Distinct().Count());
        Assert.All(stored, r => Assert.Equal("测试镇", r.LeadUnit)); // 首接首办
        Assert.Equal(1, writer.Batches);

        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            Assert.Equal(5, await db.Appeals.CountAsync());
            Assert.Equal(5, await db.Matters.CountAsync());
            Assert.True((await sp.GetRequiredService<AuditVerifier>().VerifyAsync()).Whole);
        });

        // A retry of a stored appeal answers it again, from the database.
        var again = await Register(inputs[3], "k3");
        Assert.False(again.Created);
        Assert.Equal(stored[2] with { Created = false }, again);
    }

    /// <summary>Appeals that share a batch are written set-based, together, and store what the same appeals saved one at
    /// a time store, cell for cell (but the random 查询码): numbers, matters, events, milestones, signatures, review
    /// counters, and repeats — of a stored appeal and of one just before it in the same batch.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AppealsInOneBatch_AreWrittenTogether_AndStoreWhatOneAtATimeStores(string engine)
    {
        var inputs = new[]
        {
            AppealIntakeTests.Citizen("13800000001") with { Title = "幸福路路灯不亮", Content = "幸福路 12 号门口的路灯坏了两周，晚上出行不安全，请尽快修复。" },
            AppealIntakeTests.Citizen("13800000001") with { Title = "幸福路路灯还是不亮", Content = "幸福路 12 号门口的路灯坏了两周，晚上出行不安全，请尽快修复。已经两周多了。" },
            AppealIntakeTests.Citizen("13800000002") with { Title = "和平小区自来水发黄", Content = "和平小区自来水连续三天发黄有异味，不敢饮用。" },
            AppealIntakeTests.Citizen("13800000002") with { Title = "和平小区自来水仍发黄", Content = "和平小区自来水连续三天发黄有异味，不敢饮用。第二次反映。" },
            AppealIntakeTests.Citizen("13800000003") with { Title = "工地夜间施工噪音扰民", Content = "滨河小区旁工地每晚十一点后仍在施工。" },
        };
        var earlier = AppealIntakeTests.Citizen("13800000003") with { Title = "工地夜间施工噪音很大", Content = "滨河小区旁工地每晚十一点后仍在施工，噪音很大。" };

        await using var together = await Storage.CreateAsync(engine, settings: OneBatch(inputs.Length));
        await using var oneByOne = await Storage.CreateAsync(engine);
        Task<AppealRegistered> Register(Storage s, AppealInput input) => s.RunAsync(sp =>
            sp.GetRequiredService<AppealIntake>().RegisterAsync(input, new Intake(s.Org.TownshipHandler, MatterSource.Hotline) { IdempotencyKey = input.Title }));
        foreach (var s in new[] { together, oneByOne })
        {
            await s.RunAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(); // saved by EF, not by the writer
                await sp.GetRequiredService<AppealIntake>().RegisterAsync(earlier, new Intake(s.Org.TownshipHandler, MatterSource.Hotline));
                await transaction.CommitAsync();
            });
        }

        var writer = together.Services.GetRequiredService<BatchingWriter>();
        var answers = await Task.WhenAll(inputs.Select(input => Register(together, input)));
        Assert.Equal(1, writer.Batches);
        Assert.All(answers, a => Assert.True(a.Created));
        var byTitle = inputs.Select((input, i) => (input.Title, answers[i])).ToDictionary(x => x.Title!, x => x.Item2);
        Assert.Equal(byTitle["幸福路路灯不亮"].AppealId, byTitle["幸福路路灯还是不亮"].RepeatOfId);   // the batch's own
        Assert.Equal(byTitle["和平小区自来水发黄"].AppealId, byTitle["和平小区自来水仍发黄"].RepeatOfId);
        Assert.NotNull(byTitle["工地夜间施工噪音扰民"].RepeatOfId);                                       // a stored one

        // The same appeals, in the order the batch took them, each saved alone in a transaction of its own (EF Core).
        foreach (var input in inputs.OrderBy(i => byTitle[i.Title!].AppealId))
        {
            await oneByOne.RunAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var answer = await sp.GetRequiredService<AppealIntake>().RegisterAsync(input,
                    new Intake(oneByOne.Org.TownshipHandler, MatterSource.Hotline) { IdempotencyKey = input.Title });
                await transaction.CommitAsync();
                // The same answer but the random 查询码s (its own and its original's).
                Assert.Equal(byTitle[input.Title!] with { TrackingCode = answer.TrackingCode, RepeatOfCode = answer.RepeatOfCode }, answer);
                Assert.Equal(byTitle[input.Title!].RepeatOfCode is null, answer.RepeatOfCode is null);
            });
        }

        foreach (var table in new Func<DubanDbContext, Task<List<string>>>[]
        {
            db => Import.AppealBatchTests.RowsAsync<Matter>(db),
            db => Import.AppealBatchTests.RowsAsync<Appeal>(db, nameof(Appeal.TrackingCode)),
            db => Import.AppealBatchTests.RowsAsync<MatterEventRow>(db, "Id"),
            db => Import.AppealBatchTests.RowsAsync<MilestoneRow>(db, "Id"),
            db => Import.AppealBatchTests.RowsAsync<MatterSignature>(db),
            db => Import.AppealBatchTests.RowsAsync<MatterTallyDelta>(db, "Id"),
            db => Import.AppealBatchTests.RowsAsync<CodeCounter>(db),
        })
        {
            var expected = await oneByOne.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>()));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await together.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>())));
        }

        await Import.AppealBatchTests.FoldedCountersAgreeAsync(oneByOne, together); // a batch on SQLite adds its counters in place

        foreach (var s in new[] { together, oneByOne })
        {
            var report = await s.RunAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync());
            Assert.True(report.Whole, string.Join("; ", report.Problems));
        }
    }

    /// <summary>Lifecycle actions that share a batch are made together, a run of one person's actions read and saved
    /// once, and store what the same actions made one at a time store, cell for cell; an action that fails (a stale
    /// version) fails alone, and the others of its run are still made, in order, each seeing the one before it.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ActionsInOneBatch_AreMadeTogether_AStaleOneFailsAlone_AndTheyStoreWhatOneAtATimeStores(string engine)
    {
        await using var together = await Storage.CreateAsync(engine, settings: OneBatch(6));
        await using var oneByOne = await Storage.CreateAsync(engine);
        var ids = new Dictionary<string, long>();
        foreach (var s in new[] { together, oneByOne })
        {
            foreach (var (name, lead) in new[] { ("a", "K-T"), ("b", "K-T"), ("c", "K-T") })
            {
                ids[name] = await s.RunAsync(async sp =>
                {
                    await using var transaction = await sp.GetRequiredService<DubanDbContext>().Database.BeginTransactionAsync();
                    var id = await sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead, "C-ZJ") with { Title = "事项" + name }, s.Org.Supervisor);
                    await transaction.CommitAsync();
                    return id;
                });
            }
        }

        var (t, sup) = (together.Org.TownshipHandler, together.Org.Supervisor);
        var zj = together.Org.CityDepartmentHandler;
        (Actor Actor, string Matter, MatterCommand Command, string? Unit)[][] batches =
        [
            [
                (t, "a", new(MatterAction.Acknowledge), null),
                (t, "b", new(MatterAction.Acknowledge), null),
                (t, "a", new(MatterAction.Feedback) { Note = "已排查" }, null),     // sees the acknowledgement before it
                (t, "a", new(MatterAction.Complete) { Note = "已修复" }, null),
                (sup, "c", new(MatterAction.Transfer) { Note = "转市住建局办理" }, "C-ZJ"),
                (t, "b", new(MatterAction.Feedback) { Note = "已联系供电所" }, null),
            ],
            [
                (t, "b", new(MatterAction.Feedback) { Note = "进展二" }, null),
                (t, "b", new(MatterAction.Feedback) { Note = "过时的进展", ExpectedVersion = 2 }, null),
                (t, "b", new(MatterAction.Complete) { Note = "已完成" }, null),
                (sup, "a", new(MatterAction.Verify) { Accepted = true }, null),
                (sup, "a", new(MatterAction.Rate) { Satisfaction = Satisfaction.Satisfied }, null),
                (sup, "a", new(MatterAction.Close), null),
            ],
        ];
        Task<MatterEvent> Act(IServiceProvider sp, Actor actor, string matter, MatterCommand command, string? unit)
        {
            using var named = AuditActor.Use(new AuditActor(actor.Id, actor.Name, actor.UnitId));
            return sp.GetRequiredService<ActOnMatter>().ExecuteAsync(ids[matter], command, unit, actor);
        }

        static async Task<object> Outcome(Task<MatterEvent> action)
        {
            try
            {
                return await action;
            }
            catch (ConcurrencyConflictException conflict)
            {
                return conflict;
            }
        }

        var writer = together.Services.GetRequiredService<BatchingWriter>();
        var answers = new List<object>();
        foreach (var batch in batches)
        {
            answers.AddRange(await Task.WhenAll(batch.Select(a => together.RunAsync(sp => Outcome(Act(sp, a.Actor, a.Matter, a.Command, a.Unit))))));
        }

        Assert.Equal(2, writer.Batches);
        Assert.Equal(11, writer.Written);
        // Batch one: the handler's first four actions as one set (the supervisor's transfer parts the runs); batch two:
        // the supervisor's three. The handler's run in batch two held the stale action, so its three were made one by one.
        Assert.Equal(7, writer.WrittenTogether);
        Assert.IsType<ConcurrencyConflictException>(answers[7]);

        // The same actions, in the same order, each made alone in a transaction of its own.
        var expected = new List<object>();
        foreach (var (actor, matter, command, unit) in batches.SelectMany(b => b))
        {
            expected.Add(await oneByOne.RunAsync(async sp =>
            {
                await using var transaction = await sp.GetRequiredService<DubanDbContext>().Database.BeginTransactionAsync();
                var answer = await Outcome(Act(sp, actor, matter, command, unit));
                await transaction.CommitAsync();
                return answer;
            }));
        }

        Assert.Equal(expected.Select(Describe), answers.Select(Describe));
        foreach (var table in new Func<DubanDbContext, Task<List<string>>>[]
        {
            db => Import.AppealBatchTests.RowsAsync<Matter>(db),
            db => Import.AppealBatchTests.RowsAsync<MatterEventRow>(db, "Id"),
            db => Import.AppealBatchTests.RowsAsync<MilestoneRow>(db, "Id"),
            db => Import.AppealBatchTests.RowsAsync<LookBack>(db, "Id"),
            db => Import.AppealBatchTests.RowsAsync<UnitFactDelta>(db, "Id"), // an action's save writes deltas on both engines
            // A save's tally rows are its net change: several actions on a matter in one save net out what a save each
            // would add and take away. The tallies they fold into are the same.
            async db => [.. (await db.MatterTallyDeltas.AsNoTracking().ToListAsync())
                .GroupBy(d => (d.UnitId, d.Dimension, d.Value)).Select(g => (g.Key, Count: g.Sum(d => d.Count))).Where(g => g.Count != 0)
                .Select(g => $"{g.Key} {g.Count}").Order(StringComparer.Ordinal)],
        })
        {
            var rows = await oneByOne.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>()));
            Assert.NotEmpty(rows);
            Assert.Equal(rows, await together.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>())));
        }

        foreach (var s in new[] { together, oneByOne })
        {
            var report = await s.RunAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync());
            Assert.True(report.Whole, string.Join("; ", report.Problems));
        }
    }

    private static string Describe(object outcome) => outcome switch
    {
        MatterEvent e => $"{e.Sequence} {e.Action} {e.Note}",
        ConcurrencyConflictException c => "409 " + c.Message,
        _ => outcome.ToString() ?? "",
    };
}
