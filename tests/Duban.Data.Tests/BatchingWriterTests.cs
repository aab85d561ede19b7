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
}
