using System.Text;
using Duban.Appeals;
using Duban.Text;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Import;

/// <summary>
/// The dry run is the real import without the write: for generated rows, valid and invalid in every field, its verdict
/// for each row (would save, imported before, or rejected with the same cell and reasons) equals the real import's.
/// </summary>
public sealed class DryRunVerdictTests
{
    private static readonly string[] Header =
        ["编号", "标题", "内容", "分类", "区域", "联系人", "电话", "企业", "信用代码", "收到时间", "答复", "答复时间", "点赞数", "反对数"];

    /// <summary>A GB18030 CSV of <paramref name="rows"/> seeded rows; each field is invalid about one time in ten, in
    /// one of the ways it can be.</summary>
    private static byte[] RandomRows(int seed, int rows, bool historical)
    {
        var random = new Random(seed);
        string Pick(params string[] choices) => choices[random.Next(choices.Length)];
        string Field(string valid, params string[] invalid) => random.Next(10) == 0 ? Pick(invalid) : valid;

        var text = new StringBuilder(string.Join(',', Header)).Append("\r\n");
        for (var i = 0; i < rows; i++)
        {
            var received = historical ? "2023-05-01 09:00" : Pick(string.Empty, "2024-02-01 09:00");
            string[] cells =
            [
                Field($"R-{seed}-{i}", string.Empty, $"R-{seed}-{Math.Max(0, i - 1)}", new string('编', 200)),
                Field($"第 {i} 件：路灯不亮", string.Empty, "　 ", new string('长', 201), new string('长', 200)),
                Field($"第 {i} 件：幸福路路灯坏了两周，晚上出行不便。", string.Empty, new string('内', 20001)),
                Field(AppealCategories.All[random.Next(AppealCategories.All.Count)], string.Empty, "外星事务"),
                Field(Pick(string.Empty, "K-T", "K"), "nowhere", "K-OLD"),
                Field(Pick(string.Empty, "张三"), new string('名', 51)),
                Field(Pick(string.Empty, FormattableString.Invariant($"1390{i:D7}"), "0371-12345678"), "138-1234-123", "12345abc"),
                Field(Pick(string.Empty, "测试企业有限公司"), new string('企', 201)),
                Field(Pick(string.Empty, "91410100MA4ABCDE12", "91410100ma4abcde12"), "12345", "9141010OMA4ABCDE12"),
                Field(received, string.Empty, "昨天下午", "2030-01-01 09:00", "2024-02-08 11:00"),
                Field(historical ? "已修复，谢谢反映。" : string.Empty, historical ? string.Empty : "已处理。", "　", new string('复', 20001)),
                Field(historical ? "2023-05-10 15:00" : string.Empty, historical ? string.Empty : "2024-02-02 10:00", "明天", "2023-01-01 09:00", "2030-01-01 09:00"),
                Field(Pick(string.Empty, "0", "12"), "-1", "很多", "1.5"),
                Field(Pick(string.Empty, "3"), "-2", "abc"),
            ];
            text.AppendJoin(',', cells.Select(c => $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"")).Append("\r\n");
        }

        return TextDecoding.Gb18030.GetBytes(text.ToString());
    }

    private static Task<AppealImportReport> ImportAsync(Storage s, byte[] file, AppealImportOptions options) =>
        s.RunAsync(sp =>
        {
            var sheet = Spreadsheet.Open(new MemoryStream(file), "rows.csv");
            return sp.GetRequiredService<AppealImport>().RunAsync(sheet, ColumnMapping.Guess(sheet.Header), options, s.Org.Supervisor);
        });

    /// <summary>A row's verdict, the same words for both runs: a dry run's 可导入 is an import's 新保存.</summary>
    private static (int Row, RowOutcome Outcome, string? Cell, string? Reason) Verdict(ImportRowResult r) =>
        (r.Row, r.Outcome == RowOutcome.Valid ? RowOutcome.Saved : r.Outcome, r.Cell, r.Reason);

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DryRun_GivesEveryRowTheRealImportsVerdict_BeforeAndAfterTheImport(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await s.RunAsync(async sp =>
        {
            await sp.GetRequiredService<UnitDirectory>().SaveAsync(new UnitInput("K-OLD", "撤并镇", "K", "township"));
            await sp.GetRequiredService<DubanDbContext>().Units.Where(u => u.Code == "K-OLD").ExecuteUpdateAsync(u => u.SetProperty(x => x.Active, false));
        });

        foreach (var (seed, historical) in new[] { (1, false), (2, true) })
        {
            var file = RandomRows(seed, 200, historical);
            var options = new AppealImportOptions(Historical: historical);

            var dry = await ImportAsync(s, file, options with { DryRun = true });
            var real = await ImportAsync(s, file, options);
            var dryAgain = await ImportAsync(s, file, options with { DryRun = true });
            var realAgain = await ImportAsync(s, file, options);

            Assert.Equal(real.Rows.Select(Verdict), dry.Rows.Select(Verdict));
            Assert.Equal(realAgain.Rows.Select(Verdict), dryAgain.Rows.Select(Verdict));
            // The rows exercise both verdicts, and a rejection on each field the generator breaks.
            Assert.InRange(real.Saved, 10, real.Rows.Count - 10);
            Assert.Equal(real.Saved, realAgain.AlreadyImported);
            var cells = real.Rows.Where(r => r.Cell is not null).Select(r => r.Cell![..1]).ToHashSet();
            Assert.Superset(new HashSet<string>(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N"]), cells);
        }
    }
}
