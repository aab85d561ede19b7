using System.Globalization;
using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Duban.Tests.Items;

/// <summary>The 台账 workbook and its import on both engines: the office's layout (title row, the nine columns), a
/// round trip (export, import, the same items), row-level errors in Chinese with nothing stored, and a dry run.</summary>
public sealed class ItemLedgerTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static NewItem Parent() => WorkItemStorageTests.Project() with
    {
        Title = "城北污水处理厂扩建",
        People = [new PersonInput { Role = "leadingOfficial", Name = "王副市长" }, new PersonInput { Role = "responsible", Name = "李局长" }],
    };

    private static async Task<(long Parent, long Child)> SeedAsync(Storage s)
    {
        var parent = await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().CreateAsync(Parent(), s.Org.Supervisor));
        var child = await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().CreateAsync(WorkItemStorageTests.Project("C-ZJ", parent) with
        {
            Title = "配套管网建设",
            People = [new PersonInput { Role = "responsible", Name = "赵科长" }],
        }, s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(parent, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));
        s.Clock.SetUtcNow(At("2025-01-20T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(parent, new ProgressInput(5, "完成可研编制", "用地指标未落实", null, null, null), s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().MeetAsync(parent, 1, new MeetInput("立项批复已下达", null), s.Org.TownshipHandler));
        return (parent, child);
    }

    private static Task<byte[]> LedgerAsync(Storage s, ItemFilter filter) => s.RunAsync(async sp =>
    {
        using var stream = new MemoryStream();
        await sp.GetRequiredService<ItemLedger>().WriteAsync(stream, filter, s.Org.Supervisor);
        return stream.ToArray();
    });

    private static List<string[]> Read(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>()
            .Select(r => r.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray()).ToList();
    }

    private static Task<ItemImportReport> ImportAsync(Storage s, byte[] file, string name, ItemImportOptions options) => s.RunAsync(async sp =>
    {
        using var stream = new MemoryStream(file);
        return await sp.GetRequiredService<ItemImport>().RunAsync(Spreadsheet.Open(stream, name), options, s.Org.Supervisor);
    });

    private static Task<int> CountAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync(m => m.Kind == MatterKind.Item));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Ledger_HasTheTitleRowTheNineColumnsAndEachItemsPlan(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        await SeedAsync(s);
        var rows = Read(await LedgerAsync(s, new ItemFilter { Register = ItemRegister.Project }));
        Assert.Equal("2025年重大项目台账", rows[0][0]);
        Assert.Equal(ItemLedger.Heads, rows[1]);
        Assert.Equal(4, rows.Count);
        var parent = rows[2];
        Assert.Equal(["1", "城北污水处理厂扩建", "测试镇", "王副市长", "李局长"], parent[..5]);
        Assert.Equal("立项 3月31日 ✓\n开工 6月30日\n竣工 12月31日", parent[5].Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal("进度 5%：完成可研编制", parent[6]);
        Assert.Equal("用地指标未落实", parent[7]);
        Assert.Equal("绿 · 办理中", parent[8]); // 5% against a 序时进度 of 5% (18 of 363 days)
        var child = rows[3];
        Assert.Equal(["1.1", "配套管网建设", "测试市住建局", "", "赵科长"], child[..5]);
        Assert.Equal("尚未填报", child[6]);

        // Filters: the other registers' ledger is empty below its heads; a unit's holds its own item only.
        Assert.Equal(2, Read(await LedgerAsync(s, new ItemFilter { Register = ItemRegister.Reform })).Count);
        var town = Read(await LedgerAsync(s, new ItemFilter { Register = ItemRegister.Project, LeadUnit = "K-T" }));
        Assert.Equal("城北污水处理厂扩建", Assert.Single(town.Skip(2))[1]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ExportThenImport_GivesTheSameItems(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().CreateAsync(Parent(), s.Org.Supervisor));
        var ledger = await LedgerAsync(s, new ItemFilter { Register = ItemRegister.Project });
        var before = await s.RunAsync(sp => sp.GetRequiredService<ItemQueries>().RowsAsync(new ItemFilter(), s.Org.Supervisor));

        var report = await ImportAsync(s, ledger, "台账.xlsx", new ItemImportOptions());
        Assert.Empty(report.Errors);
        Assert.Equal(("project", 2025, 1), (report.Register, report.Year, report.Stored));
        var rows = await s.RunAsync(sp => sp.GetRequiredService<ItemQueries>().RowsAsync(new ItemFilter(), s.Org.Supervisor));
        Assert.Equal(2, rows.Count);
        var (a, b) = (before.Single(), rows.Single(r => r.Item.Id != before.Single().Item.Id));
        Assert.Equal((a.Item.Title, a.Item.Register, a.Item.LeadUnit.Code, a.LeadingOfficials, a.Responsible),
            (b.Item.Title, b.Item.Register, b.Item.LeadUnit.Code, b.LeadingOfficials, b.Responsible));
        Assert.Equal(a.Nodes.Select(n => (n.Name, n.Date)), b.Nodes.Select(n => (n.Name, n.Date)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadRows_AreReportedByRowAndColumn_AndNothingIsStored_AndADryRunStoresNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var csv = string.Join("\n",
            "序号,工作任务,牵头单位,责任领导,责任人,时间节点,报送周期",
            "1,优化营商环境,测试镇,王副市长,李局长,立项 2025-03-31；验收 2025年12月31日,每月25日",
            "1.1,镇级分解,K-T,,张三,完成 11月30日,每周五",
            "2,老旧小区改造,不存在的局,,,开工 2025-06-30,",
            "3,背街小巷整治,C-ZJ,,,开工 六月底,",
            "4,,C-ZJ,,,开工 2025-06-30,每季度",
            "5,河道清淤,C-ZJ,,,开工 2024-12-01,");
        var file = System.Text.Encoding.UTF8.GetBytes(csv);
        var report = await ImportAsync(s, file, "list.csv", new ItemImportOptions(ItemRegister.KeyWork));
        Assert.Equal(0, report.Stored);
        Assert.Equal(0, await CountAsync(s));
        Assert.Contains(report.Errors, e => e.Row == 4 && e.Column == "牵头单位" && e.Reason.Contains("不存在的局", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Row == 5 && e.Column == "时间节点" && e.Reason.Contains("六月底", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Row == 6 && e.Column == "工作任务");
        Assert.Contains(report.Errors, e => e.Row == 6 && e.Column == "报送周期");
        Assert.Contains(report.Errors, e => e.Row == 7 && e.Column == "时间节点" && e.Reason.Contains("不能早于计划开始日", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Errors, e => e.Row is 2 or 3);
        Assert.Equal("第 4 行「牵头单位」：单位「不存在的局」不存在（填单位名称或代码）。", report.Errors.First(e => e.Row == 4).ToString());
        Assert.Contains("未导入任何事项", report.Summary, StringComparison.Ordinal);

        // The two good rows alone: a dry run checks them and stores nothing; the import stores both, the child under its parent.
        var good = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", csv.Split('\n').Take(3)));
        var dry = await ImportAsync(s, good, "list.csv", new ItemImportOptions(ItemRegister.KeyWork, DryRun: true));
        Assert.Empty(dry.Errors);
        Assert.Equal((0, 2), (dry.Stored, dry.Lines.Count));
        Assert.Equal(0, await CountAsync(s));
        Assert.Contains("未保存", dry.Summary, StringComparison.Ordinal);

        var done = await ImportAsync(s, good, "list.csv", new ItemImportOptions(ItemRegister.KeyWork));
        Assert.Equal(2, done.Stored);
        var rows = await s.RunAsync(sp => sp.GetRequiredService<ItemQueries>().RowsAsync(new ItemFilter(), s.Org.Supervisor));
        Assert.Equal(["1", "1.1"], rows.Select(r => r.Number));
        Assert.Equal(rows[0].Item.Id, rows[1].Item.ParentId);
        var details = await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().GetAsync(rows[1].Item.Id, s.Org.Supervisor));
        Assert.Equal(("每周五", "张三"), (details.Cycle, rows[1].Responsible));
        Assert.Equal(new DateOnly(2025, 11, 30), Assert.Single(details.Nodes).Date);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ValidOnly_StoresTheGoodRows(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var csv = "工作任务,牵头单位,时间节点\n河道清淤,C-ZJ,开工 2025-06-30\n老旧小区改造,不存在的局,开工 2025-06-30\n";
        var report = await ImportAsync(s, System.Text.Encoding.UTF8.GetBytes(csv), "list.csv", new ItemImportOptions(ValidOnly: true));
        Assert.Equal(1, report.Stored);
        Assert.Equal(1, await CountAsync(s));
        Assert.Single(report.Errors);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ACoUnitsShare_IsStoredApart_AndTheLedgerKeepsTheLeadsReport(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2025-01-02T10:00:00+08:00");
        var id = await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().CreateAsync(Parent() with { CoUnits = ["C-ZJ"] }, s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));
        s.Clock.SetUtcNow(At("2025-01-20T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(id, new ProgressInput(20, "完成可研", null, null, null, null), s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().ReportAsync(id, new ProgressInput(70, "完成管网设计", "资金未到位", null, null, null), s.Org.CityDepartmentHandler));

        var item = await s.RunAsync(sp => sp.GetRequiredService<WorkItems>().GetAsync(id, s.Org.Supervisor));
        Assert.Equal(20, item.Item.Percent);
        Assert.Equal(new string?[] { null, "C-ZJ" }, item.Progress.Select(p => p.CoUnit?.Code));
        Assert.Equal(2, item.Reports.Count); // the share met no report due and scheduled none
        var rows = Read(await LedgerAsync(s, new ItemFilter { Register = ItemRegister.Project }));
        Assert.Equal(("进度 20%：完成可研", ""), (rows[2][6], rows[2][7]));
    }
}
