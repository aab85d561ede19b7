using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Import;

/// <summary>
/// A batch of appeals (an import's rows, <see cref="AppealIntake.RegisterManyAsync"/>) is stored as the same appeals
/// registered one at a time would be: every row of every table the registration writes is equal cell by cell (but the
/// random 查询码; the review counters once folded), and so is every answer — repeats of stored appeals and of the
/// batch's own, a repeat of a repeat, replayed and conflicting keys, refused rows, routed rows, imported history and
/// numbers in two years.
/// </summary>
public sealed class AppealBatchTests
{
    private static readonly DateTimeOffset Received = new(2024, 2, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static AppealInput Appeal(string phone, string title, string content, string category = "城乡建设") => new()
    {
        Title = title, Content = content, Category = category, Region = "K-T", ContactName = "张三", ContactPhone = phone,
    };

    private static readonly AppealInput Lamp = Appeal("13800000001", "幸福路路灯不亮", "幸福路 12 号门口的路灯坏了两周，晚上出行不安全，请尽快修复。");
    private static readonly AppealInput Noise = Appeal("13800000002", "工地夜间施工噪音扰民", "滨河小区旁工地每晚十一点后仍在施工，噪音很大，影响休息。", "环境保护");

    /// <summary>Stored before the batch, in both databases.</summary>
    private static IEnumerable<(AppealInput, Intake)> Before(Actor actor) =>
    [
        (Lamp, new Intake(actor, MatterSource.Import) { IdempotencyKey = "k0", ReceivedAt = Received }),
        (Noise, new Intake(actor, MatterSource.Import) { IdempotencyKey = "k1", ReceivedAt = Received }),
    ];

    private static List<(AppealInput, Intake)> Batch(Actor actor)
    {
        Intake At(DateTimeOffset at, string? key = null) => new(actor, MatterSource.Import) { IdempotencyKey = key, ReceivedAt = at };
        var water = Appeal("13800000003", "自来水发黄", "和平小区自来水连续三天发黄有异味，不敢饮用，请供水公司检查。");
        return
        [
            (Lamp with { Content = Lamp.Content + "已经两周多了。" }, At(Received.AddDays(2), "a")),        // repeats a stored appeal
            (water, At(Received.AddDays(1), "b")),
            (water with { Title = "自来水还是发黄" }, At(Received.AddDays(3), "c")),                          // repeats the batch's b
            (water with { Content = water.Content + "第二次反映。" }, At(Received.AddDays(4), "d")),           // repeats b or c: names b
            (Lamp, At(Received, "k0")),                                                                        // replays k0
            (Noise with { Content = "换了内容。" }, At(Received, "k1")),                                         // conflicts with k1
            (Noise with { Category = "外星事务" }, At(Received.AddDays(1), "e")),                              // refused
            (Noise with { Title = "广场舞音响扰民", Content = "中心广场每晚广场舞音响太响，周边居民无法休息。", ContactPhone = "13800000004" },
                At(Received.AddDays(1), "f")),                                                                 // routed by the rule
            (water with { ContactPhone = "13800000005", Category = null }, new Intake(actor, MatterSource.Import)
            {
                IdempotencyKey = "g", ReceivedAt = new DateTimeOffset(2023, 12, 20, 9, 0, 0, TimeSpan.FromHours(8)),
                Closed = new AppealReply(new DateTimeOffset(2023, 12, 28, 15, 0, 0, TimeSpan.FromHours(8)), "已清洗管道，水质恢复。"),
            }),                                                                                                // history, numbered in 2023
            (Lamp with { ContactPhone = null, ContactName = null, Title = "无电话的诉求" }, At(Received.AddDays(5))), // no key, no phone
            (Noise with { ContactPhone = "13800000002" }, At(Received.AddDays(-40), "h")),                     // same phone, outside the window
        ];
    }

    private static async Task<Storage> PreparedAsync(string engine)
    {
        var s = await Storage.CreateAsync(engine);
        await s.RunAsync(sp => sp.GetRequiredService<RoutingRules>().CreateAsync(new RoutingRuleInput
        {
            Name = "噪音归环保", Priority = 1, Keywords = "广场舞", LeadUnit = "C-ZJ", Active = true,
        }));
        foreach (var (input, intake) in Before(s.Org.Admin))
        {
            await s.RunAsync(sp => sp.GetRequiredService<AppealIntake>().RegisterAsync(input, intake));
        }

        return s;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ABatch_StoresWhatOneAtATimeStores_RowForRow(string engine)
    {
        await using var one = await PreparedAsync(engine);
        await using var many = await PreparedAsync(engine);

        var oneByOne = await one.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var intake = sp.GetRequiredService<AppealIntake>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var outcomes = new List<AppealIntake.Outcome>();
            foreach (var (input, request) in Batch(one.Org.Admin))
            {
                try
                {
                    outcomes.Add(new AppealIntake.Outcome(await intake.RegisterAsync(input, request), null));
                }
                catch (Exception e) when (e is ValidationFailedException or RuleConflictException)
                {
                    outcomes.Add(new AppealIntake.Outcome(null, e));
                }

                db.ChangeTracker.Clear();
            }

            await transaction.CommitAsync();
            return outcomes;
        });
        var deltasBefore = await many.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().UnitFactDeltas.CountAsync());
        var together = await many.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var outcomes = await sp.GetRequiredService<AppealIntake>().RegisterManyAsync(Batch(many.Org.Admin), dryRun: false);
            await transaction.CommitAsync();
            return outcomes;
        });

        var deltasAfter = await many.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().UnitFactDeltas.CountAsync());
        Assert.Equal(oneByOne.Select(Answer), together.Select(Answer));
        // The batch exercises what it says it does.
        var answers = together.Select(o => o.Registered).ToList();
        Assert.NotNull(answers[0]!.RepeatOfId);
        Assert.Equal(answers[1]!.AppealId, answers[2]!.RepeatOfId);
        Assert.Equal(answers[1]!.AppealId, answers[3]!.RepeatOfId);
        Assert.False(answers[4]!.Created);
        Assert.IsType<RuleConflictException>(together[5].Refused);
        Assert.IsType<ValidationFailedException>(together[6].Refused);
        Assert.StartsWith("DB-2023-", answers[8]!.MatterCode, StringComparison.Ordinal);
        Assert.Equal("测试市住建局", answers[7]!.LeadUnit);
        Assert.Null(answers[10]!.RepeatOfId);

        foreach (var table in new Func<DubanDbContext, Task<List<string>>>[]
        {
            db => RowsAsync<Matter>(db),
            db => RowsAsync<Appeal>(db, nameof(Data.Appeal.TrackingCode)),
            db => RowsAsync<MatterEventRow>(db, "Id"),
            db => RowsAsync<MilestoneRow>(db, "Id"),
            db => RowsAsync<MatterSignature>(db),
            db => RowsAsync<MatterTallyDelta>(db, "Id"),
            db => RowsAsync<CodeCounter>(db),
        })
        {
            var expected = await one.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>()));
            var actual = await many.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>()));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }

        // The review counters: one at a time each save writes deltas; a batch on SQLite adds its sums to the day and
        // month rows itself (none written), on PostgreSQL writes deltas. Folded, the rows are the same.
        Assert.Equal(engine == TestDatabase.Postgres, deltasAfter > deltasBefore);
        await FoldedCountersAgreeAsync(one, many);

        foreach (var s in new[] { one, many })
        {
            Assert.True((await s.RunAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync())).Whole);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ADryRun_AnswersAsTheBatchWould_AndWritesNothing(string engine)
    {
        await using var s = await PreparedAsync(engine);
        var counts = await s.RunAsync(sp => CountsAsync(sp.GetRequiredService<DubanDbContext>()));
        var batch = Batch(s.Org.Admin);
        batch.Add(batch[1]); // a key used twice in one batch
        var dry = await s.RunAsync(sp => sp.GetRequiredService<AppealIntake>().RegisterManyAsync(batch, dryRun: true));

        Assert.Equal(counts, await s.RunAsync(sp => CountsAsync(sp.GetRequiredService<DubanDbContext>())));
        Assert.Equal([null, null, null, null, false, null, null, null, null, null, null, null], dry.Select(o => o.Registered?.Created));
        Assert.Equal([false, false, false, false, false, true, true, false, false, false, false, true], dry.Select(o => o.Refused is not null));
        Assert.Equal("idempotencyKey", Assert.Single(Assert.IsType<ValidationFailedException>(dry[^1].Refused).Errors).Key);
    }

    /// <summary>The same file imported twice at the same moment (two people, or a retried upload): on PostgreSQL the
    /// later batch meets the earlier one's keys at the unique index, rolls back to its savepoint and goes row by row,
    /// finding each row imported; on SQLite the chunks take turns. Either way each row is saved once.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task TwoImportsOfOneFileAtOnce_SaveEachRowOnce(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var text = new System.Text.StringBuilder("编号,标题,内容,分类,联系电话\r\n");
        for (var i = 0; i < 2 * AppealImport.BatchRows + 500; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"X{i},第{i}件：路灯不亮,幸福路第{i}号路灯坏了，晚上出行不便。,城乡建设,139{i:D8}\r\n");
        }

        var file = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        Task<AppealImportReport> ImportAsync() => Task.Run(() => s.RunAsync(sp =>
        {
            var sheet = Spreadsheet.Open(new MemoryStream(file), "rows.csv");
            return sp.GetRequiredService<AppealImport>().RunAsync(sheet, ColumnMapping.Guess(sheet.Header), new AppealImportOptions(), s.Org.Supervisor);
        }));

        var reports = await Task.WhenAll(ImportAsync(), ImportAsync());

        var rows = 2 * AppealImport.BatchRows + 500;
        Assert.All(reports, r => Assert.Equal(rows, r.Saved + r.AlreadyImported));
        Assert.Equal(rows, reports.Sum(r => r.Saved));
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            Assert.Equal(rows, await db.Appeals.CountAsync());
            Assert.Equal(rows, await db.Matters.Select(m => m.Code).Distinct().CountAsync());
            Assert.True((await sp.GetRequiredService<AuditVerifier>().VerifyAsync()).Whole);
        });
    }

    private static async Task<(int, int, int)> CountsAsync(DubanDbContext db) =>
        (await db.Appeals.CountAsync(), await db.Matters.CountAsync(), await db.MatterEvents.CountAsync());

    /// <summary>An outcome as the importer reads it, without the random 查询码.</summary>
    private static string Answer(AppealIntake.Outcome outcome) => outcome.Registered is { } r
        ? FormattableString.Invariant($"{r.AppealId} {r.MatterId} {r.Created} {r.RepeatOfId} {r.MatterCode} {r.LeadUnit} {r.RepeatOfCode is not null}")
        : outcome.Refused is ValidationFailedException invalid
            ? $"invalid: {string.Join(", ", invalid.Errors.Keys.Order(StringComparer.Ordinal))}"
            : outcome.Refused!.GetType().Name; // a conflict's message names the earlier 查询码, random in each database

    /// <summary>Folds both databases' review counters, then finds the day, month and drill-down rows the same.</summary>
    internal static async Task FoldedCountersAgreeAsync(Storage expected, Storage actual)
    {
        foreach (var s in new[] { expected, actual })
        {
            await s.RunAsync(sp => FactStore.FoldAsync(sp.GetRequiredService<DubanDbContext>(), null, default));
        }

        foreach (var table in new Func<DubanDbContext, Task<List<string>>>[]
        {
            db => RowsAsync<UnitDayFacts>(db), db => RowsAsync<UnitMonthFacts>(db), db => RowsAsync<UnitDayMatter>(db),
        })
        {
            var rows = await expected.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>()));
            Assert.NotEmpty(rows);
            Assert.Equal(rows, await actual.RunAsync(sp => table(sp.GetRequiredService<DubanDbContext>())));
        }
    }

    /// <summary>Every row of a table, each cell as invariant text, ordered.</summary>
    internal static async Task<List<string>> RowsAsync<T>(DubanDbContext db, params string[] skip)
        where T : class
    {
        var properties = db.Model.FindEntityType(typeof(T))!.GetProperties().Where(p => !skip.Contains(p.Name) && !p.IsShadowProperty()).ToList();
        var rows = await db.Set<T>().AsNoTracking().ToListAsync();
        return [.. rows.Select(r => string.Join(" | ", properties.Select(p => Cell(p, r)))).Order(StringComparer.Ordinal)];
    }

    private static string Cell(IProperty property, object row) => property.GetGetter().GetClrValue(row) switch
    {
        null => "∅",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTimeOffset instant => instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
