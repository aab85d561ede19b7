using Duban.Data;
using Duban.Instructions;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The 领导批示件 register on both engines: numbering, assignment as linked matters (all or nothing), the derived
/// status, the report steps with their 409s, who sees what, and the report as a Word document LibreOffice can open.</summary>
public sealed class InstructionStorageTests
{
    private static NewInstruction Sample(string text = "请市住建局牵头研究，两周内报结果。") => new()
    {
        LeaderName = "赵书记",
        LeaderTitle = "市委书记",
        InstructedOn = "2024-02-06",
        Text = text,
        SourceDocument = "《关于老旧小区加装电梯情况的报告》",
        Proposal = "拟请市住建局牵头，测试镇配合，两周内报送结果。",
        DueOn = "2024-02-22",
    };

    private static AssignInstruction ToUnits(params string[] units) => new()
    {
        Units = units,
        Goal = "摸清加装电梯需求并提出方案",
        Standard = "形成书面方案报市委",
    };

    private static Task<long> RegisterAsync(Storage s, NewInstruction input) =>
        s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().RegisterAsync(input, s.Org.Supervisor));

    private static Task<InstructionDetails> GetAsync(Storage s, long id, Actor actor) =>
        s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().GetAsync(id, actor));

    private static Task StepAsync(Storage s, long id, ReportStep step, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().ReportAsync(id, step, actor ?? s.Org.Supervisor));

    private static async Task FinishAsync(Storage s, long matterId, Actor handler, string result)
    {
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(matterId, new MatterCommand(MatterAction.Acknowledge), null, handler));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(matterId, new MatterCommand(MatterAction.Complete) { Note = result }, null, handler));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(matterId, new MatterCommand(MatterAction.Verify) { Accepted = true }, null, s.Org.Supervisor));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Register_NumbersPerYear_Assign_LinksMatters_AndTheStatusFollowsThem(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var first = await RegisterAsync(s, Sample());
        var second = await RegisterAsync(s, Sample("请东城区研究。"));
        Assert.Equal("批示〔2024〕1号", (await GetAsync(s, first, s.Org.Supervisor)).Summary.Number);
        Assert.Equal("批示〔2024〕2号", (await GetAsync(s, second, s.Org.Supervisor)).Summary.Number);
        Assert.Equal(InstructionStatus.Registered, (await GetAsync(s, first, s.Org.Supervisor)).Summary.Status);

        var matters = await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(first, ToUnits("C-ZJ", "K-T"), s.Org.Supervisor));
        Assert.Equal(2, matters.Count);
        var details = await GetAsync(s, first, s.Org.Supervisor);
        Assert.Equal(InstructionStatus.Assigned, details.Summary.Status);
        Assert.Equal(["测试市住建局", "测试镇"], details.Summary.Units);
        Assert.All(details.Matters, m => Assert.StartsWith("落实赵书记同志批示：", m.Title, StringComparison.Ordinal));
        var stored = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.AsNoTracking().SingleAsync(m => m.Id == matters[0]));
        Assert.Equal(MatterSource.Instruction, stored.Source);

        await FinishAsync(s, matters[0], s.Org.CityDepartmentHandler, "已完成全市摸底，形成加装电梯实施方案。");
        Assert.Equal(InstructionStatus.InProgress, (await GetAsync(s, first, s.Org.Supervisor)).Summary.Status);
        await FinishAsync(s, matters[1], s.Org.TownshipHandler, "已走访 12 个小区，征求意见 300 户。");
        details = await GetAsync(s, first, s.Org.Supervisor);
        Assert.Equal(InstructionStatus.ResultsIn, details.Summary.Status);
        Assert.Equal("已走访 12 个小区，征求意见 300 户。", details.Matters[1].Result);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Assign_WithAnUnknownUnitOrMissingClauses_StoresNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await RegisterAsync(s, Sample());
        var unknown = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(id, ToUnits("C-ZJ", "NOPE"), s.Org.Supervisor)));
        Assert.True(unknown.Errors.ContainsKey("units"));
        var missing = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(id, ToUnits("C-ZJ") with { Goal = null }, s.Org.Supervisor)));
        Assert.True(missing.Errors.ContainsKey("goal"));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().InstructionMatters.CountAsync()));

        // As work items: one node 报送办理结果 on the report's due date.
        var items = await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(id,
            new AssignInstruction { Kind = "item", Units = ["K-T"], Register = "key-work" }, s.Org.Supervisor));
        var item = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.AsNoTracking().Include(m => m.Milestones).SingleAsync(m => m.Id == items[0]));
        Assert.Equal(MatterKind.Item, item.Kind);
        Assert.Contains(item.Milestones, m => m.Stage == Duban.TimeLimits.Stage.Node && m.Name == "报送办理结果");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Report_DraftApproveSend_With409s_AndTheLeaderIsNotified(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var leader = await s.RunAsync(sp => sp.GetRequiredService<UserAccounts>().CreateAsync("zhaoshuji", "赵书记", "C", [Role.Leader], "abcdef123456"));
        var leaderActor = await s.RunAsync(sp => sp.GetRequiredService<UserAccounts>().ActorOfAsync(leader));
        var id = await RegisterAsync(s, Sample() with { Leader = leader.Id, LeaderName = null });
        var matters = await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(id, ToUnits("K-T"), s.Org.Supervisor));

        // Not done yet: a final report is refused; a 阶段性报告 needs a reason.
        var refused = await Assert.ThrowsAsync<RuleConflictException>(() => StepAsync(s, id, new ReportStep { Action = "draft" }));
        Assert.Contains("未办结", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationFailedException>(() => StepAsync(s, id, new ReportStep { Action = "draft", Partial = true }));
        await StepAsync(s, id, new ReportStep { Action = "draft", Partial = true, Reason = "领导要求先报进展" });
        await StepAsync(s, id, new ReportStep { Action = "approve" });
        await StepAsync(s, id, new ReportStep { Action = "send" });
        var details = await GetAsync(s, id, s.Org.Supervisor);
        Assert.Equal(InstructionStatus.Assigned, details.Summary.Status); // a 阶段性报告 does not close the loop
        Assert.True(Assert.Single(details.Reports).Partial);

        await FinishAsync(s, matters[0], s.Org.TownshipHandler, "已完成加装电梯 3 部。");
        await StepAsync(s, id, new ReportStep { Action = "draft" });
        details = await GetAsync(s, id, s.Org.Supervisor);
        var draft = details.OpenReport!;
        Assert.StartsWith("赵书记同志：", draft.Text, StringComparison.Ordinal);
        Assert.Contains("测试镇（已办结）：已完成加装电梯 3 部。", draft.Text, StringComparison.Ordinal);
        Assert.Contains("《关于老旧小区加装电梯情况的报告》", draft.Text, StringComparison.Ordinal);

        // Send before approval, a stale version, approval by a unit: refused.
        await Assert.ThrowsAsync<RuleConflictException>(() => StepAsync(s, id, new ReportStep { Action = "send" }));
        var stale = await Assert.ThrowsAsync<RuleConflictException>(() => StepAsync(s, id, new ReportStep { Action = "edit", Text = "改", Version = details.Version - 1 }));
        Assert.Contains("已被他人修改", stale.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => StepAsync(s, id, new ReportStep { Action = "approve" }, s.Org.CityDepartmentHandler));
        await Assert.ThrowsAsync<ForbiddenException>(() => StepAsync(s, id, new ReportStep { Action = "approve" }, s.Org.TownshipHandler));

        await StepAsync(s, id, new ReportStep { Action = "edit", Text = draft.Text + "\n（已核实）", Version = details.Version });
        await StepAsync(s, id, new ReportStep { Action = "approve" });
        await StepAsync(s, id, new ReportStep { Action = "send" });
        details = await GetAsync(s, id, s.Org.Supervisor);
        Assert.Equal(InstructionStatus.Reported, details.Summary.Status);
        var sent = details.Reports[^1];
        Assert.Equal(ReportStage.Sent, sent.Stage);
        Assert.Equal(s.Org.Supervisor.Name, sent.ApprovedBy);
        Assert.NotNull(sent.SentAt);
        await Assert.ThrowsAsync<RuleConflictException>(() => StepAsync(s, id, new ReportStep { Action = "draft" }));

        // The leader's inbox (their unit's heads) has the notice; the leader sees the sent reports, not drafts.
        var notices = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.AsNoTracking().Where(n => n.UnitId == leader.UnitId).ToListAsync());
        Assert.Equal(2, notices.Count(n => n.Title.Contains("批示〔2024〕1号", StringComparison.Ordinal)));
        var asLeader = await GetAsync(s, id, leaderActor);
        Assert.Equal(2, asLeader.Reports.Count);
        Assert.False(asLeader.MayManage);
        var mine = await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().ListAsync(new InstructionFilter(), leaderActor));
        Assert.Equal([id], mine.Select(i => i.Id));

        await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().CloseAsync(id, null, s.Org.Supervisor));
        Assert.Equal(InstructionStatus.Closed, (await GetAsync(s, id, s.Org.Supervisor)).Summary.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Visibility_UnitsSeeTheirs_TheOfficeAll_AndFiltersWork(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var a = await RegisterAsync(s, Sample());
        var b = await RegisterAsync(s, Sample("请测试镇研究。") with { LeaderName = "钱市长" });
        await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(a, ToUnits("C-ZJ"), s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(b, ToUnits("K-T"), s.Org.Supervisor));

        var register = (InstructionFilter f, Actor actor) => s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().ListAsync(f, actor));
        Assert.Equal([b, a], (await register(new InstructionFilter(), s.Org.Supervisor)).Select(i => i.Id));
        Assert.Equal([a], (await register(new InstructionFilter(), s.Org.CityDepartmentHandler)).Select(i => i.Id));
        Assert.Equal([b], (await register(new InstructionFilter(), s.Org.TownshipHandler)).Select(i => i.Id));
        Assert.Equal([b], (await register(new InstructionFilter { Leader = "钱市长" }, s.Org.Supervisor)).Select(i => i.Id));
        Assert.Empty(await register(new InstructionFilter { Year = 2023 }, s.Org.Supervisor));
        Assert.Empty(await register(new InstructionFilter { Status = InstructionStatus.Reported }, s.Org.Supervisor));
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(s, a, s.Org.TownshipHandler));
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().RegisterAsync(Sample(), s.Org.TownshipHandler)));

        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => RegisterAsync(s, new NewInstruction { InstructedOn = "2099-01-01", DueOn = "x" }));
        Assert.Equal(["dueOn", "instructedOn", "leader", "text"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The report as Word opens in LibreOffice on one A4 page; the PDF is kept beside the bulletins to look at.</summary>
    [Fact]
    public async Task ReportDocx_RendersToPdf_WithLibreOffice()
    {
        await using var s = await Storage.CreateAsync(TestDatabase.Sqlite);
        var id = await RegisterAsync(s, Sample());
        var matters = await s.RunAsync(sp => sp.GetRequiredService<InstructionRegister>().AssignAsync(id, ToUnits("C-ZJ", "K-T"), s.Org.Supervisor));
        await FinishAsync(s, matters[0], s.Org.CityDepartmentHandler, "已完成全市摸底，形成加装电梯实施方案，经市政府常务会议审议通过，计划年内完成加装 120 部。");
        await FinishAsync(s, matters[1], s.Org.TownshipHandler, "已走访 12 个小区，征求意见 300 户，同意率 92%。");
        await StepAsync(s, id, new ReportStep { Action = "draft" });
        await StepAsync(s, id, new ReportStep { Action = "approve" });
        await StepAsync(s, id, new ReportStep { Action = "send" });
        var details = await GetAsync(s, id, s.Org.Supervisor);
        using var buffer = new MemoryStream();
        await InstructionReportDocument.WriteAsync(buffer, details, details.Reports[^1]);
        Assert.Equal(1, await LibreOffice.PagesAsync(buffer.ToArray(), "批示办理结果报告"));
    }
}
