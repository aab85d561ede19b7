using Duban.Data;
using Duban.Documents;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>交办通知书 / 督办通知单 on both engines: 文号 per kind and year without gaps or duplicates, who may do each
/// step and in which order, the inbox on 下发, and the 督办 a 督办通知单 records in the matter's history.</summary>
public sealed class NoticeDocumentTests
{
    private static readonly Dictionary<string, string?> NoApproval = new() { ["Notices:RequireApproval"] = "false" };

    private static Task<long> AssignAsync(Storage s, string title = "通知书测试：背街小巷路灯整改") =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T", "C-ZJ") with { Title = title }, s.Org.Supervisor));

    private static Task<long> DraftAsync(Storage s, long matter, string kind = "assignment", Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().DraftAsync(matter,
            new NoticeDraftInput(kind, Requirements: "请于一周内报送整改方案。", Phone: "0571-87001234"), actor ?? s.Org.Supervisor));

    private static Task ApproveAsync(Storage s, long id, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().ApproveAsync(id, "同意下发。", actor ?? s.Org.CityLeader));

    private static Task ReturnAsync(Storage s, long id, string? reason, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().ReturnAsync(id, reason, actor ?? s.Org.CityLeader));

    private static Task IssueAsync(Storage s, long id, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().IssueAsync(id, actor ?? s.Org.Supervisor));

    private static Task<NoticePaperView> GetAsync(Storage s, long id, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().GetAsync(id, actor ?? s.Org.Supervisor));

    private static async Task<string> DraftedAndIssuedAsync(Storage s, long matter, string kind = "assignment")
    {
        var id = await DraftAsync(s, matter, kind);
        await ApproveAsync(s, id);
        await IssueAsync(s, id);
        return (await GetAsync(s, id)).Number!;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task PapersIssuedAtOnce_GetConsecutiveNumbers_PerKind(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var id = await DraftAsync(s, matter);
            await ApproveAsync(s, id);
            ids.Add(id);
        }

        await Task.WhenAll(ids.Select(id => Task.Run(() => IssueAsync(s, id))));
        var supervision = await DraftedAndIssuedAsync(s, matter, "supervision");

        var numbers = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().NoticeDocuments
            .Where(d => d.Kind == NoticeKind.Assignment).Select(d => d.Number).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 8), numbers.Select(n => n!.Value).Order());
        Assert.Equal("督办〔2024〕1号", supervision); // its own count
        foreach (var id in ids)
        {
            Assert.StartsWith("督交〔2024〕", (await GetAsync(s, id)).Number, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Numbers_LeaveNoGap_ForDraftsNeverIssuedOrIssuesThatLost_AndStartAgainEachYear(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, now: "2024-12-31T10:00:00+08:00");
        var matter = await AssignAsync(s);
        var returned = await DraftAsync(s, matter);
        await ReturnAsync(s, returned, "文字再斟酌。"); // never issued: takes no number
        var twice = await DraftAsync(s, matter);
        await ApproveAsync(s, twice);

        // The same paper issued twice at once: one issue wins, the other is refused and gives its number back.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                await IssueAsync(s, twice);
                return true;
            }
            catch (RuleConflictException)
            {
                return false;
            }
        })));
        Assert.Single(outcomes, o => o);
        Assert.Equal("督交〔2024〕1号", (await GetAsync(s, twice)).Number);
        Assert.Equal("督交〔2024〕2号", await DraftedAndIssuedAsync(s, matter));

        s.Clock.SetUtcNow(DateTimeOffset.Parse("2025-01-01T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("督交〔2025〕1号", await DraftedAndIssuedAsync(s, matter));
        Assert.Null((await GetAsync(s, returned)).Number);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Steps_TakeTheRightPeople_InOrder(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);
        var countyLeader = new Actor("test:县领导", "县领导", s.Org.UnitIds["K"], new HashSet<Role> { Role.Leader });

        // 拟办: the office only.
        await Assert.ThrowsAsync<ForbiddenException>(() => DraftAsync(s, matter, actor: s.Org.TownshipHandler));
        await Assert.ThrowsAsync<ForbiddenException>(() => DraftAsync(s, matter, actor: s.Org.CityLeader));
        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => DraftAsync(s, matter, kind: "notice"));
        Assert.Equal(["kind"], invalid.Errors.Keys);
        var id = await DraftAsync(s, matter);

        // A draft is the office's and its leaders' business: others do not learn it exists.
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(s, id, s.Org.TownshipHandler));
        await Assert.ThrowsAsync<NotFoundException>(() => ApproveAsync(s, id, countyLeader));

        // 下发 before 审定: 409. 审定 by the office or an administrator: 403.
        var early = await Assert.ThrowsAsync<RuleConflictException>(() => IssueAsync(s, id));
        Assert.Contains("尚未经领导审定", early.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() => ApproveAsync(s, id, s.Org.Supervisor));
        await Assert.ThrowsAsync<ForbiddenException>(() => ApproveAsync(s, id, s.Org.Admin));

        // 退回 needs a reason; a returned paper is neither approved nor issued until the office edits it.
        var blank = await Assert.ThrowsAsync<ValidationFailedException>(() => ReturnAsync(s, id, " "));
        Assert.Equal(["reason"], blank.Errors.Keys);
        await ReturnAsync(s, id, "办理时限请写明。");
        await Assert.ThrowsAsync<RuleConflictException>(() => ApproveAsync(s, id));
        await Assert.ThrowsAsync<RuleConflictException>(() => IssueAsync(s, id));
        var returned = await GetAsync(s, id);
        Assert.Equal((NoticeDocumentStatus.Returned, "办理时限请写明。", "市领导"), (returned.Status, returned.ReturnNote, returned.ReturnedBy));
        Assert.True(returned.MayEdit);

        await s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().EditAsync(id,
            new NoticeDraftInput(null, Requirements: "请于3个工作日内报送方案。", Contact: "王芳"), s.Org.Supervisor));
        Assert.Equal(NoticeDocumentStatus.Drafted, (await GetAsync(s, id)).Status);
        await ApproveAsync(s, id);
        await Assert.ThrowsAsync<RuleConflictException>(() => ApproveAsync(s, id)); // once
        await Assert.ThrowsAsync<NotFoundException>(() => IssueAsync(s, id, s.Org.TownshipHandler)); // not issued: not theirs to see
        await IssueAsync(s, id);

        var issued = await GetAsync(s, id, s.Org.TownshipHandler); // the unit reads it once issued
        Assert.Equal(NoticeDocumentStatus.Issued, issued.Status);
        Assert.Equal("市领导", issued.Signer);
        Assert.Contains("五、办理要求。请于3个工作日内报送方案。", issued.Paragraphs);
        Assert.Equal("联系人：王芳", issued.Paragraphs[^1]); // an edit replaces the office's words: no phone given, none printed
        Assert.False(issued.MayEdit || issued.MayApprove || issued.MayIssue);
        await Assert.ThrowsAsync<RuleConflictException>(() => IssueAsync(s, id));
        await Assert.ThrowsAsync<RuleConflictException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().EditAsync(id, new NoticeDraftInput(null), s.Org.Supervisor)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Issue_PutsThePaperInTheLeadAndCoUnitsInbox(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);
        var id = await DraftAsync(s, matter);
        await ApproveAsync(s, id);
        Assert.DoesNotContain((await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().ListAsync(s.Org.TownshipHandler, unreadOnly: false))).Items,
            n => n.Link == $"/Notices/{id}");

        await IssueAsync(s, id);

        foreach (var reader in new[] { s.Org.TownshipHandler, s.Org.CityDepartmentHandler })
        {
            var inbox = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().ListAsync(reader, unreadOnly: true));
            var notice = Assert.Single(inbox.Items, n => n.Link == $"/Notices/{id}");
            Assert.Equal("【交办通知书】督交〔2024〕1号 关于交办“通知书测试：背街小巷路灯整改”的通知", notice.Title);
        }

        var forMatter = await s.RunAsync(sp => sp.GetRequiredService<NoticeDocuments>().ForMatterAsync(matter, s.Org.TownshipHandler));
        Assert.Equal([id], forMatter.Select(n => n.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task SupervisionPaper_RecordsThe督办InTheHistory_WithOneNoticeForTheLeadUnit(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);

        var number = await DraftedAndIssuedAsync(s, matter, "supervision");

        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(matter, s.Org.Supervisor));
        var urge = Assert.Single(details.Urges ?? []);
        Assert.Equal(EscalationKind.Supervise, urge.Kind);
        Assert.StartsWith($"下发督办通知单（{number}）：请于一周内报送整改方案。", urge.Message, StringComparison.Ordinal);
        Assert.Equal(SupervisionLevel.General, details.SupervisionLevel);
        var lead = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().ListAsync(s.Org.TownshipHandler, unreadOnly: false));
        var notice = Assert.Single(lead.Items, n => n.Kind == EscalationKind.Supervise); // one, not the 督办's and the paper's
        Assert.StartsWith("/Notices/", notice.Link, StringComparison.Ordinal);
        Assert.StartsWith("【督办通知单】督办〔2024〕1号", notice.Title, StringComparison.Ordinal);
        Assert.Equal(EscalationKind.Supervise, notice.Kind);
        var co = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().ListAsync(s.Org.CityDepartmentHandler, unreadOnly: false));
        Assert.Single(co.Items, n => n.Title.StartsWith("【督办通知单】", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task WithoutApproval_TheOfficeIssuesADraftDirectly(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, settings: NoApproval);
        var matter = await AssignAsync(s);
        var id = await DraftAsync(s, matter);
        Assert.True((await GetAsync(s, id)).MayIssue);

        await IssueAsync(s, id);

        var paper = await GetAsync(s, id);
        Assert.Equal(("督交〔2024〕1号", NoticeDocumentStatus.Issued, (string?)null), (paper.Number, paper.Status, paper.Signer));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task APaperForAClosedMatter_IsRefused(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);
        var id = await DraftAsync(s, matter, "supervision");
        await ApproveAsync(s, id);
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(matter, new MatterCommand(MatterAction.Return) { Note = "不属于本单位职责。" }, null, s.Org.TownshipHandler));

        var refused = await Assert.ThrowsAsync<RuleConflictException>(() => IssueAsync(s, id));

        Assert.Contains("不能督办", refused.Message, StringComparison.Ordinal);
        Assert.Null((await GetAsync(s, id)).Number);
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Escalations.CountAsync()));
    }
}
