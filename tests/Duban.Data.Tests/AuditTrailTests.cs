using System.Globalization;
using Duban.Audit;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// The audit trail's promise: every change Duban makes is a linked record, and a record or an audited row edited,
/// deleted or inserted behind Duban's back — directly in the database — is named by <see cref="AuditVerifier"/>.
/// </summary>
public sealed class AuditTrailTests
{
    private static async Task<(Storage S, long Matter)> WorldAsync(string engine, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var s = await Storage.CreateAsync(engine, settings: settings);
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment() with { Title = "审计链测试事项" }, s.Org.Supervisor));
        // The web and the CLI name the actor at their edge; here the test does.
        using (AuditActor.Use(new AuditActor(s.Org.TownshipHandler.Id, s.Org.TownshipHandler.Name, s.Org.TownshipHandler.UnitId)))
        {
            await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));
            await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Feedback) { Note = "已排查 12 处" }, null, s.Org.TownshipHandler));
        }

        return (s, id);
    }

    private static Task<AuditReport> VerifyAsync(Storage s) => s.RunAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync());

    private static Task<int> SqlAsync(Storage s, string sql) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Database.ExecuteSqlRawAsync(sql));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task WhatDubanDoes_IsRecordedWithItsActor_AndVerifies(string engine)
    {
        var (s, matter) = await WorldAsync(engine);
        await using var _ = s;
        // The sweep writes set-based (RowWriter): its rows are recorded too. A matter nobody signs for is urged.
        var ignored = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment() with { Title = "无人签收" }, s.Org.Supervisor));
        s.Clock.Advance(TimeSpan.FromDays(30));
        await s.RunAsync(sp => sp.GetRequiredService<SweepDeadlines>().RunAsync(s.Clock.GetUtcNow()));

        var report = await VerifyAsync(s);

        Assert.True(report.Whole, string.Join("\n", report.Problems.Prepend(report.ChainBreak?.Reason ?? "")));
        // Every row matched its record (Whole); rows written many at a time share one (the test organisation's units).
        Assert.True(report.Rows > 10 && report.Records > 10, $"{report.Records} records, {report.Rows} rows");
        var records = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.MatterId == matter).OrderBy(r => r.Seq).ToListAsync());
        Assert.Contains(records, r => r is { Entity: "matter_events", Action: "insert" } && r.Changes.Contains("已排查 12 处", StringComparison.Ordinal));
        // The sweep's escalations of the ignored matter, each named by a record of the sweep's: its own, or (the sweep
        // wrote 16 or more at once) a batch record listing its key.
        var escalations = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Escalations.Where(e => e.MatterId == ignored)
            .Select(e => e.Id).ToListAsync());
        var sweeps = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.Entity == "escalations" && r.ActorId == "system").ToListAsync());
        var recorded = sweeps.SelectMany(r => AuditBatch.Is(r.Action) ? AuditBatch.Rows(r.Changes, r.RowHash)!.Select(x => x.Key) : [r.EntityKey]).ToHashSet();
        Assert.True(escalations.Count > 0 && escalations.All(e => recorded.Contains(e.ToString(CultureInfo.InvariantCulture))),
            $"{escalations.Count}: {string.Join(", ", recorded)}");
        Assert.Contains(records, r => r.ActorName == s.Org.TownshipHandler.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ARecordEditedInTheDatabase_BreaksTheChainThere(string engine)
    {
        var (s, _) = await WorldAsync(engine);
        await using var _ = s;
        await SqlAsync(s, "UPDATE audit_records SET \"Changes\" = '{{}}' WHERE \"Seq\" = 5");

        var report = await VerifyAsync(s);

        Assert.Equal(5, report.ChainBreak?.Seq);
        Assert.Contains("被改动", report.ChainBreak!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ARecordDeletedInTheDatabase_IsNamed(string engine)
    {
        var (s, _) = await WorldAsync(engine);
        await using var _ = s;
        await SqlAsync(s, "DELETE FROM audit_records WHERE \"Seq\" = 7");

        var report = await VerifyAsync(s);

        Assert.Equal(7, report.ChainBreak?.Seq);
        Assert.Contains("删除", report.ChainBreak!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ARecordInsertedInTheDatabase_IsNamed(string engine)
    {
        var (s, _) = await WorldAsync(engine);
        await using var _ = s;
        // A forged record at the end, linked to the head as a careful forger would (but it cannot know the hash rule's
        // content without recomputing it, and a recomputed chain is caught by the anchors: see below).
        await SqlAsync(s, """
            INSERT INTO audit_records ("Seq", "At", "ActorId", "ActorName", "Action", "Entity", "EntityKey", "Changes", "PreviousHash", "Hash")
            SELECT "Seq" + 1, "At", 'user:1', '伪造者', 'delete', 'matters', '1', '{{}}', "Hash", "Hash" FROM audit_records
            WHERE "Seq" = (SELECT MAX("Seq") FROM audit_records)
            """);
        var last = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AuditRecords.MaxAsync(r => r.Seq));

        var report = await VerifyAsync(s);

        Assert.Equal(last, report.ChainBreak?.Seq);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task RowsChangedBehindDubansBack_AreNamed_EventNoteStatusInsertAndDelete(string engine)
    {
        var (s, matter) = await WorldAsync(engine);
        await using var _ = s;
        Assert.True((await VerifyAsync(s)).Whole);
        await SqlAsync(s, $"UPDATE matter_events SET \"Note\" = '已全部修复' WHERE \"MatterId\" = {matter} AND \"Note\" = '已排查 12 处'");
        await SqlAsync(s, $"UPDATE matters SET \"Status\" = 'Closed' WHERE \"Id\" = {matter}");
        await SqlAsync(s, $"DELETE FROM matter_people WHERE \"MatterId\" = {matter}");
        await SqlAsync(s, "INSERT INTO units (\"Code\", \"Name\", \"Level\", \"Active\", \"Path\") VALUES ('FAKE', '伪造单位', 'Village', TRUE, '/fake/')");

        var report = await VerifyAsync(s);

        Assert.Null(report.ChainBreak); // the chain itself is whole: the rows no longer match it
        Assert.Contains(report.Problems, p => p.StartsWith("表 matter_events ", StringComparison.Ordinal) && p.Contains("改动", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"表 matters 的 {matter}：", StringComparison.Ordinal) && p.Contains("改动", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("表 units ", StringComparison.Ordinal) && p.Contains("插入", StringComparison.Ordinal));
        Assert.False(report.Whole);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ATailCutOff_OrTheChainRewritten_IsCaughtByTheAnchor(string engine)
    {
        var anchors = Path.Combine(Path.GetTempPath(), $"duban-anchors-{Guid.NewGuid():N}.txt");
        var (s, _) = await WorldAsync(engine, new Dictionary<string, string?> { ["Audit:AnchorFile"] = anchors });
        await using var _ = s;
        try
        {
            var anchor = await s.RunAsync(sp => sp.GetRequiredService<AuditAnchors>().WriteAsync());
            Assert.NotNull(anchor);
            Assert.True((await VerifyAsync(s)).Whole);

            await SqlAsync(s, $"DELETE FROM audit_records WHERE \"Seq\" > {anchor.Seq - 3}");
            var cut = await VerifyAsync(s);

            Assert.Equal(anchor.Seq - 2, cut.ChainBreak?.Seq);
            Assert.Contains("截去", cut.ChainBreak!.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(anchors);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task RowsWrittenInBatches_ShareARecord_AndOneTamperedRowInsideIsNamed(string engine)
    {
        var (s, matter) = await WorldAsync(engine);
        await using var _ = s;
        var unit = s.Org.UnitIds["K-T"];
        // 1,500 rows in one write: two batch records (1,000 and 500 rows), then 40 of them updated in one more.
        var ids = await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var writer = new RowWriter(db);
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rows = Enumerable.Range(0, 1500).Select(i => new EscalationRecord
            {
                MatterId = matter, Kind = EscalationKind.Urge, At = s.Clock.GetUtcNow(), RecordedAt = s.Clock.GetUtcNow(), UnitId = unit,
                Message = $"批量催办 {i}",
            }).ToList();
            await writer.InsertAsync(rows, default);
            var changed = rows.Take(40).ToList();
            changed.ForEach(r => r.Announced = true);
            await writer.UpdateAsync(changed, [nameof(EscalationRecord.Announced)], default);
            await transaction.CommitAsync();
            return rows.Select(r => r.Id).ToList();
        });
        var batches = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.Action == AuditBatch.Insert || r.Action == AuditBatch.Update).OrderBy(r => r.Seq).ToListAsync());
        Assert.Equal([AuditBatch.Insert, AuditBatch.Insert, AuditBatch.Update], batches.Select(r => r.Action));
        Assert.All(batches, r => Assert.Equal(matter, r.MatterId)); // all its rows belong to one matter
        Assert.True((await VerifyAsync(s)).Whole);

        // One cell of one row in the middle of the second batch, one row of the first deleted, one updated row edited.
        await SqlAsync(s, $"UPDATE escalations SET \"Message\" = '已催办' WHERE \"Id\" = {ids[1234]}");
        await SqlAsync(s, $"DELETE FROM escalations WHERE \"Id\" = {ids[500]}");
        await SqlAsync(s, $"UPDATE escalations SET \"Announced\" = FALSE WHERE \"Id\" = {ids[7]}");

        var report = await VerifyAsync(s);

        Assert.Null(report.ChainBreak);
        Assert.Equal(3, report.ProblemCount);
        Assert.Contains(report.Problems, p => p.StartsWith($"表 escalations 的 {ids[1234]}：内容与审计记录第 {batches[1].Seq} 条不符", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"表 escalations 的 {ids[500]}：审计记录第 {batches[0].Seq} 条记其存在", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"表 escalations 的 {ids[7]}：内容与审计记录第 {batches[2].Seq} 条不符", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ConcurrentWriters_ExtendOneChain_WithoutGapsOrForks(string engine)
    {
        var (s, _) = await WorldAsync(engine);
        await using var _ = s;
        var input = TestMatters.Assignment() with { Title = "并发审计" };

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(input with { Title = $"并发审计 {i}" }, s.Org.Supervisor)))));

        var report = await VerifyAsync(s);
        Assert.True(report.Whole, string.Join("\n", report.Problems.Prepend(report.ChainBreak?.Reason ?? "")));
    }
}
