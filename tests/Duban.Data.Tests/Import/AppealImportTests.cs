using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Import;

public sealed class AppealImportTests
{
    /// <summary>A deliberately messy workbook: merged cells, a formula, dates as serials and as Chinese text, a blank row,
    /// bad rows of every kind, a repeated 编号, script in a cell, and a second sheet.</summary>
    public static byte[] MessyWorkbook() => new TestWorkbook()
        .Sheet("诉求清单")
        .Row(1, "编号", "标题", "内容", "分类", "联系电话", "收到时间", "备注")
        .Row(2, "X-1", "路灯不亮", "幸福路路灯坏了两周。", "城乡建设", 13812341234d, new TestWorkbook.DateSerial(45292.5), "首行")
        .Row(3, "X-2", "路面塌陷", "建设路有坑。", null, "0371-12345678", "2024年2月1日", null)
        .Row(5, "X-3", null, "没有标题的一行。", "城乡建设", null, "2024-02-01", null)
        .Row(6, "X-4", "外星人", "飞碟噪音。", "外星事务", null, "2024-02-01", null)
        .Row(7, "X-5", "电话错", "电话号码不对。", "交通运输", "138-1234-123", "2024-02-01", null)
        .Row(8, "X-6", "时间错", "时间写错了。", "交通运输", null, "昨天下午", null)
        .Row(9, "X-7", "=\"公交\"&\"晚点\"|公交晚点", "12 路公交经常晚点。", "交通运输", null, "2024/2/1 9:00", null)
        .Row(10, "X-1", "重复编号", "与第 2 行同一编号。", "城乡建设", null, "2024-02-01", null)
        .Row(11, "X-8", "<script>alert(1)</script>", "<b>加粗</b>的内容", "环境保护", null, 45293d, null)
        .Merge("D2:D3")
        .Sheet("填表说明").Row(1, "请按模板填写")
        .Build();

    private static readonly (int Row, string Cell, string Reason)[] MessyRejections =
    [
        (5, "B5", "标题"), (6, "D6", "外星事务"), (7, "E7", "联系电话"), (8, "F8", "昨天下午"), (10, "A10", "重复"),
    ];

    private static Task<AppealImportReport> ImportAsync(Storage s, byte[] file, string name, AppealImportOptions options, string[]? map = null) =>
        s.RunAsync(sp =>
        {
            var sheet = Spreadsheet.Open(new MemoryStream(file), name);
            return sp.GetRequiredService<AppealImport>().RunAsync(sheet, ColumnMapping.Guess(sheet.Header, map), options, s.Org.Supervisor);
        });

    private static Task<int> AppealCountAsync(Storage s) => s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Appeals.CountAsync());

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task MessyWorkbook_DryRunSavesNothing_ImportReportsCellByCell_AndASecondImportSavesNothingNew(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var dry = await ImportAsync(s, MessyWorkbook(), "messy.xlsx", new AppealImportOptions(DryRun: true));
        Assert.Equal(0, await AppealCountAsync(s));
        Assert.Equal("诉求清单", dry.Sheet);
        Assert.Equal(["填表说明"], dry.IgnoredSheets);
        Assert.Equal([2, 3, 9, 11], dry.Rows.Where(r => r.Outcome == RowOutcome.Valid).Select(r => r.Row));

        var first = await ImportAsync(s, MessyWorkbook(), "messy.xlsx", new AppealImportOptions());
        var second = await ImportAsync(s, MessyWorkbook(), "messy.xlsx", new AppealImportOptions());

        foreach (var report in new[] { dry, first, second })
        {
            var rejected = report.Rows.Where(r => r.Outcome == RowOutcome.Rejected).ToList();
            Assert.Equal(MessyRejections.Select(r => (r.Row, r.Cell)), rejected.Select(r => (r.Row, r.Cell!)));
            foreach (var (row, _, reason) in MessyRejections)
            {
                Assert.Contains(reason, rejected.Single(r => r.Row == row).Reason, StringComparison.Ordinal);
            }
        }

        Assert.Equal(4, first.Saved);
        Assert.Equal((0, 4), (second.Saved, second.AlreadyImported));
        Assert.Equal(4, await AppealCountAsync(s));
        await s.RunAsync(async sp =>
        {
            var appeals = await sp.GetRequiredService<DubanDbContext>().Appeals.Include(a => a.Matter).AsNoTracking().ToListAsync();
            var merged = appeals.Single(a => a.Matter!.Title == "路面塌陷");
            Assert.Equal("城乡建设", merged.Category); // D3 lies in the merge D2:D3
            Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.FromHours(8)), merged.ReceivedAt);
            var first = appeals.Single(a => a.Matter!.Title == "路灯不亮");
            Assert.Equal("13812341234", first.ContactPhone); // typed as a number, read back without ".0"
            Assert.Equal(new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.FromHours(8)), first.ReceivedAt);
            Assert.Contains(appeals, a => a.Matter!.Title == "公交晚点"); // the formula's cached value
            var script = appeals.Single(a => a.Category == "环境保护");
            Assert.Equal("<script>alert(1)</script>", script.Matter!.Title); // stored as text; pages escape it
            Assert.All(appeals, a => Assert.Equal(MatterSource.Import, a.Matter!.Source));
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task GbkCsv_ImportsChineseIntact_WithAMappingOverride(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var csv = TextDecoding.Gb18030.GetBytes("主题,详细描述,类型\r\n垃圾清运不及时,\"小区垃圾三天未清运，\"\"臭气熏天\"\"。\",环境保护\r\n");

        var report = await ImportAsync(s, csv, "gbk.csv", new AppealImportOptions(), ["标题=主题", "内容=详细描述", "分类=C"]);

        Assert.Equal(1, report.Saved);
        Assert.Equal("GB18030", report.Encoding);
        Assert.Contains("分类=类型(C)", report.Mapping);
        var appeal = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Appeals.Include(a => a.Matter).SingleAsync());
        Assert.Equal("垃圾清运不及时", appeal.Matter!.Title);
        Assert.Equal("小区垃圾三天未清运，\"臭气熏天\"。", appeal.Matter.Content);
    }

    /// <summary>A GB18030 CSV of <paramref name="rows"/> rows, every 97th bad in one of five ways (past the 500-row
    /// chunks the import commits in), and the cell and reason each bad row must be rejected with.</summary>
    private static (byte[] File, Dictionary<int, (string Cell, string Reason)> Bad) ScatteredCsv(int rows)
    {
        var text = new System.Text.StringBuilder("编号,标题,内容,分类,联系电话,收到时间\r\n");
        var bad = new Dictionary<int, (string, string)>();
        for (var i = 0; i < rows; i++)
        {
            var line = i + 2;
            string id = $"G-{i}", content = $"第 {i} 件：小区路灯不亮，晚上出行不便。", category = "城乡建设", phone = $"1390{i:D7}", at = "2024-02-01 09:00";
            if (i % 97 == 50)
            {
                switch (i / 97 % 5)
                {
                    case 0: content = "　 "; bad[line] = ($"C{line}", "内容不能为空"); break;
                    case 1: phone = "138-1234-123"; bad[line] = ($"E{line}", "联系电话"); break;
                    case 2: category = "外星事务"; bad[line] = ($"D{line}", "外星事务"); break;
                    case 3: at = "去年春天"; bad[line] = ($"F{line}", "去年春天"); break;
                    default: id = "G-0"; bad[line] = ($"A{line}", "重复"); break;
                }
            }

            text.Append(FormattableString.Invariant($"{id},路灯不亮 {i},\"{content}\",{category},{phone},{at}\r\n"));
        }

        return (TextDecoding.Gb18030.GetBytes(text.ToString()), bad);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ThousandsOfRows_BadOnesScattered_EachRejectedWithItsCellAndReason_TheRestSavedOnce(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        const int rows = 1500;
        var (file, bad) = ScatteredCsv(rows);

        var dry = await ImportAsync(s, file, "scattered.csv", new AppealImportOptions(DryRun: true));
        var first = await ImportAsync(s, file, "scattered.csv", new AppealImportOptions());
        var again = await ImportAsync(s, file, "scattered.csv", new AppealImportOptions());

        foreach (var report in new[] { dry, first, again })
        {
            Assert.Equal(rows, report.Rows.Count);
            var rejected = report.Rows.Where(r => r.Outcome == RowOutcome.Rejected).ToList();
            Assert.Equal(bad.Keys.Order(), rejected.Select(r => r.Row));
            Assert.All(rejected, r =>
            {
                Assert.Equal(bad[r.Row].Cell, r.Cell);
                Assert.Contains(bad[r.Row].Reason, r.Reason, StringComparison.Ordinal);
            });
        }

        Assert.Equal((rows - bad.Count, 0), (dry.Valid, dry.AlreadyImported));
        Assert.Equal((rows - bad.Count, rows), (first.Saved, first.Saved + first.Rejected));
        Assert.Equal((0, rows - bad.Count), (again.Saved, again.AlreadyImported));
        Assert.Equal(rows - bad.Count, await AppealCountAsync(s));
        Assert.Equal(rows - bad.Count, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterSignatures.CountAsync()));
    }

    [Fact]
    public void Mapping_NamesAnUnknownFieldOrColumn()
    {
        var error = Assert.Throws<ValidationFailedException>(() => ColumnMapping.Guess(["甲", "乙"], ["标题=丙", "颜色=甲"]));
        Assert.Equal(2, error.Errors["map"].Length);
        Assert.Contains("丙", error.Errors["map"][0], StringComparison.Ordinal);
        Assert.Contains("颜色", error.Errors["map"][1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Taidi2020Replies_ImportAsHistoricalClosedAppeals_WithTheirRealTimes_Once(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var file = await File.ReadAllBytesAsync(TaidiReplies());

        var first = await ImportAsync(s, file, "replies.csv", new AppealImportOptions(Historical: true));
        var second = await ImportAsync(s, file, "replies.csv", new AppealImportOptions(Historical: true));

        Assert.Equal((2816, 0), (first.Saved, first.Rejected));
        Assert.Equal((0, 2816, 0), (second.Saved, second.AlreadyImported, second.Rejected));
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            Assert.Equal(2816, await db.Appeals.CountAsync());
            Assert.Equal(2816, await db.Matters.CountAsync(m => m.Status == MatterStatus.Closed));
            var sample = await db.Appeals.Include(a => a.Matter).SingleAsync(a => a.IdempotencyKey == "id:2549");
            Assert.Equal(DateTimeOffset.Parse("2019-04-25T09:32:09+08:00", CultureInfo.InvariantCulture), sample.ReceivedAt);
            Assert.Equal(DateTimeOffset.Parse("2019-05-10T14:56:53+08:00", CultureInfo.InvariantCulture), sample.RepliedAt);
            Assert.Equal(sample.RepliedAt, sample.Matter!.ClosedAt);
            Assert.Equal("A2区景蓉华苑物业管理有问题", sample.Matter.Title);
        });
    }

    /// <summary>The shared data folder beside the checkout (<c>../shared/data</c> from the repository root).</summary>
    public static string TaidiReplies()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "appeals-taidi2020", "replies.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("shared/data/appeals-taidi2020/replies.csv not found above the test folder.");
    }
}
