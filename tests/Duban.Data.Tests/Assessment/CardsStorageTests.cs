using Duban.Assessment;
using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>通报, 红黄牌 and 约谈 on both engines: numbering, publishing once to the inboxes, the counts the scoring reads,
/// issuing cards from review facts and citations (idempotent, yellow → red → 约谈), revoking, recording interviews.</summary>
public sealed class CardsStorageTests
{
    private static Task<long> CiteAsync(Storage s, string kind, params (string Unit, string Reason)[] units) =>
        s.RunAsync(sp => sp.GetRequiredService<CitationBook>().CreateAsync(
            new NewCitation(kind, [.. units.Select(u => new CitationUnitInput(s.Org.UnitIds[u.Unit], u.Reason))]), s.Org.Supervisor));

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Task PublishAsync(Storage s, long id) => s.RunAsync(sp => sp.GetRequiredService<CitationBook>().PublishAsync(id, s.Org.Supervisor));

    private static Task<IReadOnlyDictionary<long, IReadOnlyDictionary<PointEvent, long>>> CountAsync(Storage s, string from, string to) =>
        s.RunAsync(sp => Citations.CountAsync(sp.GetRequiredService<DubanDbContext>(), Day(from), Day(to), default));

    private static Task<IReadOnlyList<CardView>> IssueAsync(Storage s, string period) =>
        s.RunAsync(sp => sp.GetRequiredService<CardBook>().IssueAsync(period, s.Org.Supervisor));

    private static Task<IReadOnlyList<CardRuleView>> SaveRulesAsync(Storage s, params CardRuleInput[] rules) =>
        s.RunAsync(sp => sp.GetRequiredService<CardBook>().SaveRulesAsync(rules, s.Org.Supervisor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Citations_AreNumberedPerYear_PublishedOnceToEachUnitsInbox_AndCountedByPublicationDate(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-31T20:00:00+08:00");
        var first = await CiteAsync(s, "criticism", ("K-T", "超期未签收交办事项 3 件"), ("C-ZJ", "群众不满意评价 2 件"));
        var second = await CiteAsync(s, "commendation", ("K-T", "按时办结率 100%"));
        var draft = await CiteAsync(s, "criticism", ("K-T", "回头看反弹 1 件"));
        var book = (IServiceProvider sp) => sp.GetRequiredService<CitationBook>();

        var view = await s.RunAsync(sp => book(sp).GetAsync(first, s.Org.Supervisor));
        Assert.Equal("督查通报〔2024〕1号", view.NumberLine);
        Assert.Equal("督查通报〔2024〕2号", (await s.RunAsync(sp => book(sp).GetAsync(second, s.Org.Supervisor))).NumberLine);
        Assert.Equal("关于对测试镇、测试市住建局予以通报批评的通报", view.Title);
        Assert.Contains("决定对以上单位予以通报批评", view.Body, StringComparison.Ordinal);

        await PublishAsync(s, first); // 03-31 20:00 Beijing (12:00 UTC): counts in March
        s.Clock.Advance(TimeSpan.FromHours(5)); // 04-01 01:00 Beijing, still 03-31 in UTC: counts in April
        await PublishAsync(s, second);
        var twice = await Assert.ThrowsAsync<RuleConflictException>(() => PublishAsync(s, first));
        Assert.Contains("不能重复发布", twice.Message, StringComparison.Ordinal);

        var (town, bureau) = (s.Org.UnitIds["K-T"], s.Org.UnitIds["C-ZJ"]);
        var march = await CountAsync(s, "2024-03-01", "2024-03-31");
        Assert.Equal(1, march[town][PointEvent.Criticism]);
        Assert.False(march[town].ContainsKey(PointEvent.Commendation));
        Assert.Equal(1, march[bureau][PointEvent.Criticism]);
        var april = await CountAsync(s, "2024-04-01", "2024-04-30");
        Assert.Equal([town], april.Keys);
        Assert.Equal(1, april[town][PointEvent.Commendation]); // the draft counts nowhere
        Assert.Equal(2, (await CountAsync(s, "2024-01-01", "2024-12-31"))[town].Values.Sum());

        var notices = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.OrderBy(n => n.Id).ToListAsync());
        Assert.Equal([town, bureau, town], notices.Select(n => n.UnitId));
        Assert.Equal("【通报批评】关于对测试镇、测试市住建局予以通报批评的通报", notices[0].Title);
        Assert.Contains("超期未签收交办事项 3 件", notices[0].Body, StringComparison.Ordinal);

        // The town reads the published ones naming it, not the draft; the village reads none.
        Assert.Equal([second, first], (await s.RunAsync(sp => book(sp).ListAsync(s.Org.TownshipHandler))).Select(c => c.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => book(sp).GetAsync(draft, s.Org.TownshipHandler)));
        Assert.Empty(await s.RunAsync(sp => book(sp).ListAsync(s.Org.VillageHandler)));
        Assert.Equal(3, (await s.RunAsync(sp => book(sp).ListAsync(s.Org.CityLeader))).Count(c => c.Published) + 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadCitations_AreRefusedByField_AndNothingIsStored(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var book = (IServiceProvider sp) => sp.GetRequiredService<CitationBook>();

        var none = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => book(sp).CreateAsync(new NewCitation("criticism", []), s.Org.Supervisor)));
        Assert.Equal(["units"], none.Errors.Keys);
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => book(sp).CreateAsync(
            new NewCitation("scolding", [new CitationUnitInput(s.Org.UnitIds["K-T"], " ")], Date: "2024/3/1"), s.Org.Supervisor)));
        Assert.Equal(["date", "kind", "units[0].reason"], bad.Errors.Keys.Order());
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp =>
            book(sp).CreateAsync(new NewCitation("commendation", [new CitationUnitInput(s.Org.UnitIds["K-T"], "好")]), s.Org.TownshipHandler)));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Citations.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Cards_AreIssuedFromOverdueMilestonesAndCriticisms_Once_AndTwoYellowsInAQuarterMakeARedAndAnInterview(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var town = s.Org.UnitIds["K-T"];
        var matters = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            // Never acknowledged nor completed: each misses its acknowledgement and its completion in March.
            matters.Add(await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor)));
        }

        var rules = await SaveRulesAsync(s,
            new CardRuleInput(null, "overdueMilestone", 3, "month", "yellow"),
            new CardRuleInput(null, "criticism", 2, "quarter", "yellow"),
            new CardRuleInput(null, "yellowCard", 2, "quarter", "red"));
        Assert.Equal(["一个月内超期节点达 3 个 → 黄牌", "一个季度内通报批评达 2 个 → 黄牌", "一个季度内黄牌达 2 张 → 红牌"], rules.Select(r => r.Description));
        s.Clock.Advance(TimeSpan.FromDays(31)); // 04-04: March is over

        var marchMetrics = await s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().LeadMetricsAsync(ReviewPeriod.ParseMonth("2024-03", Day("2024-04-04"))));
        var overdue = Scoring.Count(PointEvent.OverdueMilestone, marchMetrics[town], new Dictionary<PointEvent, long>());
        Assert.True(overdue >= 4, $"overdue milestones: {overdue}");

        var first = await IssueAsync(s, "2024-03");
        var yellow = Assert.Single(first);
        Assert.Equal((town, CardColour.Yellow, "2024-03", overdue), (yellow.Unit.Id, yellow.Colour, yellow.Window.Key, yellow.Count));
        Assert.Equal($"2024年3月超期节点 {overdue} 个（一个月内超期节点达 3 个 → 黄牌）", yellow.Reason);
        Assert.Empty(await IssueAsync(s, "2024-03")); // once per rule, unit and window

        // Two criticisms published in April do not reach back into Q1; two published... in Q1 would. Publish them in April:
        // Q2 gets a criticism yellow, which alone makes no red (the March yellow is in Q1).
        await PublishAsync(s, await CiteAsync(s, "criticism", ("K-T", "超期")));
        await PublishAsync(s, await CiteAsync(s, "criticism", ("K-T", "反弹")));
        var april = await IssueAsync(s, "2024-04");
        Assert.Equal([(CardColour.Yellow, "2024-Q2")], april.Select(c => (c.Colour, c.Window.Key)));

        // A second yellow in Q2 (April's overdue milestones of two new matters) makes the red and the interview.
        for (var i = 0; i < 2; i++)
        {
            await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        }

        s.Clock.Advance(TimeSpan.FromDays(27)); // 05-01
        var may = await IssueAsync(s, "2024-04");
        Assert.Equal([(CardColour.Yellow, "2024-04"), (CardColour.Red, "2024-Q2")], may.Select(c => (c.Colour, c.Window.Key)));
        var red = may[1];
        Assert.Equal(2, red.Count);
        var interviews = await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().ListAsync("open", null, s.Org.Supervisor));
        var entry = Assert.Single(interviews);
        Assert.Equal((town, red.Id), (entry.Unit.Id, entry.CardId));
        var notices = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.Where(n => n.Title.StartsWith("【")).Select(n => n.Title).ToListAsync());
        Assert.Equal(4, notices.Count(t => t.Contains("被亮", StringComparison.Ordinal)));
        Assert.Contains("【红牌】测试镇2024年第二季度被亮红牌", notices);

        // Revoking keeps the reason, closes the open interview with it (kept under 已关闭), and revoking again is a conflict.
        var cards = (IServiceProvider sp) => sp.GetRequiredService<CardBook>();
        await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => cards(sp).RevokeAsync(red.Id, " ", s.Org.Supervisor)));
        await s.RunAsync(sp => cards(sp).RevokeAsync(red.Id, "经核实，超期系系统故障所致", s.Org.Supervisor));
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => cards(sp).RevokeAsync(red.Id, "再撤", s.Org.Supervisor)));
        var listed = await s.RunAsync(sp => cards(sp).ListAsync("2024-04", s.Org.TownshipHandler));
        Assert.Equal("经核实，超期系系统故障所致", listed.Single(c => c.Id == red.Id).RevokeReason);
        Assert.Empty(await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().ListAsync("open", null, s.Org.Supervisor)));
        var closed = Assert.Single(await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().ListAsync("closed", null, s.Org.Supervisor)));
        Assert.Equal((entry.Id, red.Id, "红牌已撤销：经核实，超期系系统故障所致", "已关闭", true), (closed.Id, closed.CardId, closed.Notes, closed.StatusName, closed.Withdrawn));
        Assert.Null(closed.HeldOn);
        Assert.Empty(await s.RunAsync(sp => cards(sp).ListAsync("2024-04", s.Org.CityDepartmentHandler)));
        Assert.Empty(await IssueAsync(s, "2024-04")); // a revoked card is not issued again
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadRules_AreRefusedByField_AndTheOldRulesStay(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var kept = await SaveRulesAsync(s, new CardRuleInput(null, "rebound", 1, "month", "yellow"));

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => SaveRulesAsync(s,
            new CardRuleInput(kept[0].Id, "rebound", 0, "month", "yellow"),
            new CardRuleInput(null, "lateness", 2, "week", "red"),
            new CardRuleInput(null, "dissatisfied", 2, "month", "green")));
        Assert.Equal(["rules[0].threshold", "rules[1].trigger", "rules[2].colour"], bad.Errors.Keys.Order());
        Assert.Contains("1 至 1000", bad.Errors["rules[0].threshold"][0], StringComparison.Ordinal);
        Assert.Equal(kept, await s.RunAsync(sp => sp.GetRequiredService<CardBook>().RulesAsync()));

        var replaced = await SaveRulesAsync(s, new CardRuleInput(kept[0].Id, "回头看反弹", 2, "季度", "红牌"));
        Assert.Equal([(kept[0].Id, 2, CardWindow.Quarter, CardColour.Red)], replaced.Select(r => (r.Id, r.Threshold, r.Window, r.Colour)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Interviews_AreRecordedOnce_WithTheUnitsOwnMatters(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var list = (IServiceProvider sp) => sp.GetRequiredService<InterviewList>();
        var own = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        var other = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("C-ZJ"), s.Org.Supervisor));
        var id = await s.RunAsync(sp => list(sp).AddAsync(new NewInterview(s.Org.UnitIds["K-T"], "连续两月超期"), s.Org.Supervisor));
        await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => list(sp).AddAsync(new NewInterview(null, ""), s.Org.Supervisor)));

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => list(sp).RecordAsync(id,
            new InterviewRecord("张三", "", "2099-01-01", [own, other], "谈话"), s.Org.Supervisor)));
        Assert.Equal(["heldOn", "matterIds", "personPost"], bad.Errors.Keys.Order());
        await s.RunAsync(sp => list(sp).RecordAsync(id, new InterviewRecord("张三", "镇长", "2024-02-08", [own], "指出超期问题，要求一周内整改。"), s.Org.Supervisor));
        var again = await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => list(sp).RecordAsync(id,
            new InterviewRecord("李四", "副镇长", "2024-02-08", [], "再谈"), s.Org.Supervisor)));
        Assert.Contains("不能重复登记", again.Message, StringComparison.Ordinal);

        var closed = Assert.Single(await s.RunAsync(sp => list(sp).ListAsync("closed", s.Org.UnitIds["K-T"], s.Org.TownshipHandler)));
        Assert.Equal(("张三", "镇长", "已约谈"), (closed.PersonName, closed.PersonPost, closed.StatusName));
        Assert.Equal([own], closed.Matters.Select(m => m.Id));
        Assert.Empty(await s.RunAsync(sp => list(sp).ListAsync("open", null, s.Org.Supervisor)));
        Assert.Empty(await s.RunAsync(sp => list(sp).ListAsync(null, null, s.Org.CityDepartmentHandler)));
        var row = Assert.Single(InterviewList.Rows([closed]));
        Assert.Equal("张三", row["被约谈人"]);
    }

    /// <summary>LibreOffice opens the citation and lays it out on two A4 pages (the document, then the attachment with the
    /// list of units); the PDF is kept beside the bulletins.</summary>
    [Fact]
    public async Task CitationDocx_RendersToPdf_WithLibreOffice()
    {
        await using var s = await Storage.CreateAsync(TestDatabase.Sqlite, "2024-04-02T10:00:00+08:00");
        var id = await CiteAsync(s, "criticism", ("K-T", "2024年3月超期节点 6 个，交办事项两次退回重办"), ("C-ZJ", "群众不满意评价 3 件"),
            ("K", "回头看发现反弹 2 件"));
        var view = await s.RunAsync(sp => sp.GetRequiredService<CitationBook>().GetAsync(id, s.Org.Supervisor));
        using var docx = new MemoryStream();
        await CitationBook.WriteDocxAsync(docx, view);

        Assert.Equal("督查通报〔2024〕1号.docx", CitationBook.FileName(view));
        Assert.Equal(2, await LibreOffice.PagesAsync(docx.ToArray(), "通报批评"));
    }
}
