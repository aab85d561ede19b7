using System.Text;
using Duban.Data;
using Duban.Matters;
using Duban.Tests.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>批量导入交办事项: messy rows read as the 交办 form's input, 预检 saves nothing, import is all or nothing, and
/// the same file twice assigns nothing new.</summary>
public sealed class MatterImportTests
{
    private static readonly object?[] Columns = ["序号", "标题*", "内容（具体要求）", "目标任务", "工作标准", "牵头单位", "配合单位", "办结期限", "时限规则", "责任人", "联系人", "联系电话"];

    private static object?[] Row(int n, string? title, string lead = "测试镇", object? due = null, string? co = null, string? profile = null) =>
        [(double)n, title, $"第{n}项的具体要求：按期完成。", "按期完成", "群众认可", lead, co, due, profile, "王五", "赵六", "0571-88881234"];

    /// <summary>A title row merged over the header, a blank row, dates as text and as a date cell, and one row per mistake.</summary>
    private static byte[] Messy() => new TestWorkbook().Sheet("改革事项")
        .Row(1, "2024年改革事项清单", null, null, null, null, null, null, null, null, null, null, null)
        .Merge("A1:L1")
        .Row(2, Columns)
        .Row(3, Row(1, "推进一网通办", due: "2024/3/31"))
        .Row(5, Row(2, "优化营商环境", lead: "C-ZJ", due: new TestWorkbook.DateSerial(45382)))
        .Row(6, Row(3, "老旧小区改造", due: "2024年4月30日", co: "测试市住建局、测试县"))
        .Row(7, Row(4, "河道整治", lead: "测试乡"))
        .Row(8, Row(5, null))
        .Row(9, Row(6, "过期事项", due: "2024-01-01"))
        .Row(10, Row(7, "规则有误", profile: "三天办结"))
        .Row(11, Row(8, "同名单位", lead: "同名街道"))
        .Build();

    private static byte[] Clean(int rows, int first = 1)
    {
        var book = new TestWorkbook().Sheet("交办事项").Row(1, Columns);
        for (var i = 0; i < rows; i++)
        {
            book.Row(i + 2, Row(first + i, $"改革事项{first + i}", due: "2024-06-30"));
        }

        return book.Build();
    }

    private static Task<MatterImportReport> RunAsync(Storage s, byte[] file, bool dryRun, Actor? actor = null, string name = "事项.xlsx") =>
        s.RunAsync(async sp =>
        {
            await using var stream = new MemoryStream(file);
            return await sp.GetRequiredService<MatterImport>().RunAsync(stream, name, dryRun, actor ?? s.Org.Supervisor);
        });

    private static Task<int> CountAsync(Storage s) => s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync());

    private static async Task AddTwinUnitsAsync(Storage s) => await s.RunAsync(async sp =>
    {
        var units = sp.GetRequiredService<UnitDirectory>();
        await units.SaveAsync(new UnitInput("K-JD1", "同名街道", "K", "township"));
        await units.SaveAsync(new UnitInput("K-JD2", "同名街道", "K", "township"));
    });

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DryRun_MessyRows_ReportsEachRowInChinese_AndSavesNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await AddTwinUnitsAsync(s);

        var report = await RunAsync(s, Messy(), dryRun: true);

        Assert.True(report.DryRun);
        Assert.Equal(2, report.HeaderRow);
        Assert.Equal(["序号"], report.IgnoredColumns);
        Assert.Equal([3, 5, 6, 7, 8, 9, 10, 11], report.Rows.Select(r => r.Row));
        var byRow = report.Rows.ToDictionary(r => r.Row);
        Assert.Equal(MatterRowOutcome.Valid, byRow[3].Outcome);
        Assert.Equal("2024-03-31", byRow[3].Deadline);
        Assert.Equal("测试镇", byRow[3].LeadUnit);
        Assert.Equal(MatterRowOutcome.Valid, byRow[5].Outcome);
        Assert.Equal("2024-03-31", byRow[5].Deadline); // an Excel date cell
        Assert.Equal("测试市住建局", byRow[5].LeadUnit); // by code
        Assert.Equal(MatterRowOutcome.Valid, byRow[6].Outcome);
        Assert.Equal("2024-04-30", byRow[6].Deadline);
        Assert.Contains("找不到单位“测试乡”。", byRow[7].Reasons);
        Assert.Contains("缺少标题。", byRow[8].Reasons);
        Assert.Contains(byRow[9].Reasons, r => r.Contains("办结期限必须晚于现在", StringComparison.Ordinal));
        Assert.Contains(byRow[10].Reasons, r => r.StartsWith("时限规则“三天办结”不存在", StringComparison.Ordinal));
        Assert.Contains(byRow[11].Reasons, r => r.StartsWith("“同名街道”有多个同名单位，请写代码", StringComparison.Ordinal));
        Assert.All(report.Rows.Where(r => r.Row >= 7), r => Assert.Equal(MatterRowOutcome.Rejected, r.Outcome));
        Assert.False(report.Ok);
        Assert.Equal(0, await CountAsync(s));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DryRun_CleanFile_SavesNothing_AndTheImportThenAssignsEveryRow_WithOneAssignEventEach(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var check = await RunAsync(s, Clean(3), dryRun: true);
        Assert.True(check.Ok);
        Assert.Equal(3, check.Valid);
        Assert.Equal(0, await CountAsync(s));

        var report = await RunAsync(s, Clean(3), dryRun: false);

        Assert.Equal(3, report.Assigned);
        Assert.Equal("已交办 3 项。", report.Summary);
        Assert.Equal(3, await CountAsync(s));
        var matters = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Include(m => m.Events).OrderBy(m => m.Id).ToListAsync());
        Assert.All(matters, m => Assert.Equal(MatterStatus.Assigned, m.Status));
        Assert.All(matters, m => Assert.Single(m.Events));
        Assert.Equal(report.Rows.Select(r => r.Code), matters.Select(m => m.Code));
        var people = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterPeople.Where(p => p.MatterId == matters[0].Id).ToListAsync());
        Assert.Equal(["王五", "赵六"], people.OrderBy(p => p.Position).Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Import_OneBadRow_SavesNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var file = new TestWorkbook().Sheet("交办事项").Row(1, Columns)
            .Row(2, Row(1, "第一项", due: "2024-06-30"))
            .Row(3, Row(2, "第二项", due: "2024-06-30"))
            .Row(4, Row(3, "第三项", lead: "没有这个单位"))
            .Build();

        var report = await RunAsync(s, file, dryRun: false);

        Assert.False(report.Ok);
        Assert.Equal([MatterRowOutcome.Valid, MatterRowOutcome.Valid, MatterRowOutcome.Rejected], report.Rows.Select(r => r.Outcome));
        Assert.All(report.Rows, r => Assert.Null(r.Code));
        Assert.Equal(0, await CountAsync(s));
        Assert.StartsWith("共 3 行，1 行有误", report.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Import_SameFileTwice_AssignsNothingNew(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var first = await RunAsync(s, Clean(2), dryRun: false);

        var second = await RunAsync(s, Clean(2), dryRun: false);
        var check = await RunAsync(s, Clean(3), dryRun: true);

        Assert.Equal(2, first.Assigned);
        Assert.Equal(0, second.Assigned);
        Assert.All(second.Rows, r => Assert.Equal(MatterRowOutcome.AlreadyAssigned, r.Outcome));
        Assert.Equal(first.Rows.Select(r => r.Code), second.Rows.Select(r => r.Code));
        Assert.Equal(2, await CountAsync(s));
        Assert.Equal([MatterRowOutcome.AlreadyAssigned, MatterRowOutcome.AlreadyAssigned, MatterRowOutcome.Valid], check.Rows.Select(r => r.Outcome));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Import_TheSameRowTwiceInOneFile_IsRefused(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var file = new TestWorkbook().Sheet("交办事项").Row(1, Columns)
            .Row(2, Row(1, "同一事项", due: "2024-06-30"))
            .Row(3, Row(1, "同一事项", due: "2024-06-30"))
            .Build();

        var report = await RunAsync(s, file, dryRun: false);

        Assert.Contains("与第 2 行重复（标题、内容和牵头单位都相同）。", report.Rows[1].Reasons);
        Assert.Equal(0, await CountAsync(s));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadFiles_AreRefusedWhole_InChinese(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var notXlsx = await Assert.ThrowsAsync<ValidationFailedException>(() => RunAsync(s, Encoding.UTF8.GetBytes("not a workbook"), false, name: "x.xlsx"));
        Assert.Contains("xlsx", notXlsx.Errors["file"][0], StringComparison.Ordinal);

        var noHeader = await Assert.ThrowsAsync<ValidationFailedException>(() => RunAsync(s,
            new TestWorkbook().Sheet("一").Row(1, "甲", "乙").Row(2, "1", "2").Build(), false));
        Assert.StartsWith("没有找到表头", noHeader.Errors["file"][0], StringComparison.Ordinal);

        var tooMany = await Assert.ThrowsAsync<ValidationFailedException>(() => RunAsync(s, Clean(MatterImport.MaxRows + 1), true));
        Assert.Contains("超过上限 5000 行", tooMany.Errors["file"][0], StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(s));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Import_ByAHandler_IsForbidden(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        await Assert.ThrowsAsync<ForbiddenException>(() => RunAsync(s, Clean(1), false, s.Org.TownshipHandler));
        Assert.Equal(0, await CountAsync(s));
    }

    [Fact]
    public void Headers_AreRecognisedWithVariants()
    {
        var columns = MatterImport.Recognise(["事项名称", " 内容 （具体要求） ", "*牵头单位", "协办单位", "完成时限", "类型", "备注"]);

        Assert.Equal(0, columns[MatterColumn.Title]);
        Assert.Equal(1, columns[MatterColumn.Content]);
        Assert.Equal(2, columns[MatterColumn.LeadUnit]);
        Assert.Equal(3, columns[MatterColumn.CoUnits]);
        Assert.Equal(4, columns[MatterColumn.DueAt]);
        Assert.Equal(5, columns[MatterColumn.Kind]);
    }
}
