using System.Globalization;
using Duban.Data;
using Duban.Escalation;
using Duban.Items;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Items;

/// <summary>Work items on both engines: a 2025 project assigned Thu 2025-01-02 10:00 to the township K-T with nodes
/// 立项 3-31, 开工 6-30, 竣工 12-31 and a monthly report on the 25th.</summary>
public sealed class WorkItemStorageTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    public static NewItem Project(string lead = "K-T", long? parent = null) => new()
    {
        Title = "城北污水处理厂扩建",
        Register = "project",
        LeadUnit = lead,
        Plan = [new NodeInput("立项", "2025-03-31"), new NodeInput("开工", "2025-06-30"), new NodeInput("竣工", "2025-12-31")],
        Cycle = new CycleInput("monthly", 25, null),
        Parent = parent,
    };

    private static Task<long> CreateAsync(Storage s, NewItem item) =>
        s.RunAsync(sp => sp.GetRequiredService<WorkItems>().CreateAsync(item, s.Org.Supervisor));

    private static Task<ItemDetails> GetAsync(Storage s, long id) =>
        s.RunAsync(sp => sp.GetRequiredService<WorkItems>().GetAsync(id, s.Org.Supervisor));

    private static Task AcknowledgeAsync(Storage s, long id) =>
        s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));

    private static Task<List<ItemColourChange>> ColourChangesAsync(Storage s, long id) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().ItemColourChanges.AsNoTracking().Where(c => c.MatterId == id).OrderBy(c => c.Id).ToListAsync());

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Create_Report_Meet_StoreThePlanAndReplayToTheSameState(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var id = await CreateAsync(s, Project());
        var item = await GetAsync(s, id);
        Assert.Equal(("project", "重大项目", Colour.Green), (item.Item.Register, item.Item.RegisterName, item.Item.Colour));
        Assert.Equal(["立项", "开工", "竣工"], item.Nodes.Select(n => n.Name));
        Assert.Equal(DateOnly.Parse("2025-01-25", CultureInfo.InvariantCulture), Assert.Single(item.Reports).Date);
        Assert.Equal("每月25日", item.Cycle);

        await AcknowledgeAsync(s, id);
        s.Clock.SetUtcNow(At("2025-01-20T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(id, new ProgressInput(5, "完成可研编制", "用地指标未落实", "报市发改委", null, null), s.Org.TownshipHandler));
        s.Clock.SetUtcNow(At("2025-03-20T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().MeetAsync(id, 1, new MeetInput("立项批复已下达", null), s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().AddNodeAsync(id, new NodeInput("环评批复", "2025-05-15"), s.Org.Supervisor));

        item = await GetAsync(s, id);
        Assert.Equal(5, item.Item.Percent);
        Assert.Equal(["立项", "环评批复", "开工", "竣工"], item.Nodes.Select(n => n.Name));
        Assert.Equal(MilestoneStatus.MetOnTime, item.Nodes[0].Status);
        Assert.Equal((5, "完成可研编制", "用地指标未落实", "报市发改委"), (item.Progress[0].Percent, item.Progress[0].Done, item.Progress[0].Problems, item.Progress[0].Next));
        Assert.Equal([1, 2], item.Reports.Select(r => r.Node));
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var matter = await db.Matters.AsNoTracking().Include(m => m.Milestones).Include(m => m.CoUnits).Include(m => m.Events).SingleAsync(m => m.Id == id);
            Assert.Equal(MatterState.Replay(matter.Events.OrderBy(e => e.Sequence).Select(e => e.ToEvent())), matter.ToState());
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadInput_IsRefusedByField_AndLeavesNothingStored(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => CreateAsync(s, Project() with
        {
            Plan = [new NodeInput("立项", "2025-03-31"), new NodeInput("前期", "2024-12-01"), new NodeInput("开工", "六月底")],
            Register = "roads",
        }));
        Assert.Equal(["plan[1].dueAt", "plan[2].dueAt", "register"], bad.Errors.Keys.Order());
        Assert.Contains("plan", (await Assert.ThrowsAsync<ValidationFailedException>(() => CreateAsync(s, Project() with { Plan = [] }))).Errors.Keys);
        Assert.Contains("cycle.weekday", (await Assert.ThrowsAsync<ValidationFailedException>(() =>
            CreateAsync(s, Project() with { Cycle = new CycleInput("weekly", null, null) }))).Errors.Keys);
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));

        var id = await CreateAsync(s, Project());
        await AcknowledgeAsync(s, id);
        Assert.Contains("percent", (await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp =>
            sp.GetRequiredService<WorkItems>().ReportAsync(id, new ProgressInput(120, "x", null, null, null, null), s.Org.TownshipHandler)))).Errors.Keys);
        Assert.Contains("dueAt", (await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp =>
            sp.GetRequiredService<WorkItems>().AddNodeAsync(id, new NodeInput("审计", "2026-02-01"), s.Org.Supervisor)))).Errors.Keys);
        Assert.Contains("files", (await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp =>
            sp.GetRequiredService<WorkItems>().MeetAsync(id, 1, new MeetInput("已立项", [999]), s.Org.TownshipHandler)))).Errors.Keys);
        Assert.Equal(2, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterEvents.CountAsync(e => e.MatterId == id)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task MoveNode_ThroughTheExtensionRequest_MovesOnlyThatNode(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var id = await CreateAsync(s, Project());
        await AcknowledgeAsync(s, id);
        s.Clock.SetUtcNow(At("2025-05-06T10:00:00+08:00"));
        var request = await s.RunAsync(sp => sp.GetRequiredService<ExtensionRequests>().RequestAsync(id, null, "2025-07-31", "征地拆迁未完成", s.Org.TownshipHandler, default, node: 2));
        Assert.Equal((Stage.Node, 2), (request.Stage, request.Node));
        var notice = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.AsNoTracking().SingleAsync());
        Assert.Contains("开工", notice.Title, StringComparison.Ordinal);
        await s.RunAsync(sp => sp.GetRequiredService<ExtensionRequests>().DecideAsync(request.Id, true, null, "同意", s.Org.Supervisor));
        var item = await GetAsync(s, id);
        Assert.Equal(
            [("立项", "2025-03-31", (string?)null), ("开工", "2025-07-31", "2025-06-30"), ("竣工", "2025-12-31", null)],
            item.Nodes.Select(n => (n.Name, n.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), n.OriginalDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Sweep_UrgesAMissedReportAndAnOverdueNode_WithNotices_AndRecordsTheColourChanges(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var id = await CreateAsync(s, Project());
        await AcknowledgeAsync(s, id);
        Assert.Equal([(null, Colour.Green, "assign")], (await ColourChangesAsync(s, id)).Select(c => ((Colour?)c.From, c.To, c.Cause)));

        // Report 1 due 1-25 24:00 (Saturday) not made: urged at once when the sweep passes 1-26.
        await s.RunAsync(sp => sp.GetRequiredService<SweepDeadlines>().RunAsync(At("2025-01-26T08:00:00+08:00")));
        var notices = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.AsNoTracking().OrderBy(n => n.Id).ToListAsync());
        Assert.Contains(notices, n => n.Title.Contains("第1期进度填报已到期", StringComparison.Ordinal) && n.Kind == EscalationKind.Urge);
        Assert.Equal(Colour.Yellow, (await GetAsync(s, id)).Item.Colour);

        // Reported late: green again; the next report is due 2-25.
        s.Clock.SetUtcNow(At("2025-01-27T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(id, new ProgressInput(10, "可研批复", null, null, null, null), s.Org.TownshipHandler));
        Assert.Equal(Colour.Green, (await GetAsync(s, id)).Item.Colour);

        // 立项 (3-31) unmet on 4-2: urged (the complete chain: urge at once), red; the lists filter by the stored colour.
        for (var month = 2; month <= 3; month++)
        {
            s.Clock.SetUtcNow(At($"2025-0{month}-24T10:00:00+08:00"));
            await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(id, new ProgressInput(10 + month * 5, "推进", null, null, null, null), s.Org.TownshipHandler));
        }

        await s.RunAsync(sp => sp.GetRequiredService<SweepDeadlines>().RunAsync(At("2025-04-02T08:00:00+08:00")));
        var records = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Escalations.AsNoTracking().Where(r => r.Stage == Stage.Node).ToListAsync());
        Assert.Contains(records, r => r.Kind == EscalationKind.Urge);
        notices = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.AsNoTracking().OrderBy(n => n.Id).ToListAsync());
        Assert.Contains(notices, n => n.Title.Contains("立项", StringComparison.Ordinal) && n.Body.Contains("2025年3月31日 24:00", StringComparison.Ordinal));
        Assert.Equal(Colour.Red, (await GetAsync(s, id)).Item.Colour);
        var red = await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ListAsync(ItemRegister.Project, Colour.Red, null, s.Org.Supervisor));
        Assert.Equal([id], red.Select(i => i.Id));
        Assert.Empty(await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ListAsync(ItemRegister.KeyWork, null, null, s.Org.Supervisor)));
        Assert.Equal(
            [(null, Colour.Green, "assign"), (Colour.Green, Colour.Yellow, "sweep"), (Colour.Yellow, Colour.Green, "progress"), (Colour.Green, Colour.Red, "sweep")],
            (await ColourChangesAsync(s, id)).Select(c => (c.From, c.To, c.Cause)));
    }

    /// <summary>The sweep recolours only the items whose stored instant has come, and stores the next one.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ColourRefresh_ReadsOnlyTheItemsWhoseInstantHasCome(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var id = await CreateAsync(s, Project());
        await AcknowledgeAsync(s, id);
        Task<DateTimeOffset?> DueAsync() => s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.AsNoTracking()
            .Where(m => m.Id == id).Select(m => m.ColourDueAt).SingleAsync());
        Task<int> RefreshAsync(string at) => s.RunAsync(sp => ItemColours.RefreshAsync(sp.GetRequiredService<DubanDbContext>(),
            sp.GetRequiredService<Rules>(), At(at)));

        // Green; the first report (1-25 24:00) is the next instant, before the lag or any node (stored in whole
        // microseconds: the tick after 24:00 rounds down to it).
        Assert.Equal(At("2025-01-26T00:00:00+08:00"), (await DueAsync())?.ToOffset(TimeSpan.FromHours(8)));
        Assert.Equal(0, await RefreshAsync("2025-01-25T23:59:59+08:00"));
        Assert.Equal(1, await RefreshAsync("2025-01-26T00:00:01+08:00"));
        Assert.Equal(Colour.Yellow, (await GetAsync(s, id)).Item.Colour);
        // Yellow: only the first node (立项 3-31) can change it now.
        Assert.Equal(At("2025-04-01T00:00:00+08:00"), (await DueAsync())?.ToOffset(TimeSpan.FromHours(8)));
        Assert.Equal(0, await RefreshAsync("2025-03-31T12:00:00+08:00"));
        Assert.Equal(1, await RefreshAsync("2025-04-01T08:00:00+08:00"));
        Assert.Equal(Colour.Red, (await GetAsync(s, id)).Item.Colour);
        Assert.Null(await DueAsync()); // red: only an action changes it
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Parent_RollsUpItsChildren_MeanProgressWorstColour(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var parent = await CreateAsync(s, Project("C-ZJ") with { Cycle = null });
        var town = await CreateAsync(s, Project("K-T", parent));
        var other = await CreateAsync(s, Project("K-T", parent) with { Title = "管网改造" });
        await AcknowledgeAsync(s, town);
        await AcknowledgeAsync(s, other);
        s.Clock.SetUtcNow(At("2025-01-20T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(town, new ProgressInput(30, "进展", null, null, null, null), s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<SweepDeadlines>().RunAsync(At("2025-01-26T08:00:00+08:00"))); // other's report missed: yellow
        var details = await GetAsync(s, parent);
        Assert.Equal([other, town], details.Children.Select(c => c.Id));
        Assert.Equal((15, Colour.Yellow), (details.RollupPercent, details.RollupColour));
        Assert.Contains("parent", (await Assert.ThrowsAsync<ValidationFailedException>(() => CreateAsync(s, Project("K-T", town)))).Errors.Keys);
    }
}
