using Duban.Data;
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
        Assert.True(report.Rows > 10 && report.Records >= report.Rows, $"{report.Records} records, {report.Rows} rows");
        var records = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.MatterId == matter).OrderBy(r => r.Seq).ToListAsync());
        Assert.Contains(records, r => r is { Entity: "matter_events", Action: "insert" } && r.Changes.Contains("已排查 12 处", StringComparison.Ordinal));
        var escalations = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Escalations.CountAsync(e => e.MatterId == ignored));
        var recorded = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.MatterId == ignored).Select(r => r.Entity + ":" + r.ActorId).ToListAsync());
        Assert.True(escalations > 0 && recorded.Count(r => r == "escalations:system") == escalations, $"{escalations}: {string.Join(", ", recorded)}");
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
