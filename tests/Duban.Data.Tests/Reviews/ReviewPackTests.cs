using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Tests;

/// <summary>The review packs read back: the workbook's cells are the review's numbers, the ledger holds what the
/// reader may see, the bulletin has its parts and fonts, and LibreOffice renders it.</summary>
public sealed class ReviewPackTests
{
    private static async Task<(Storage Storage, ReviewScenario Scenario)> ScenarioAsync(string engine)
    {
        var storage = await Storage.CreateAsync(engine, "2024-02-01T09:00:00+08:00", ReviewScenario.Settings);
        var scenario = await ReviewScenario.RunAsync(storage.Services, storage.Org, storage.Clock.SetUtcNow);
        return (storage, scenario);
    }

    private static Task<Review> ReviewAsync(Storage s, string month, Actor actor) =>
        s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(ReviewPeriod.ParseMonth(month, sp.GetRequiredService<ReviewQueries>().Today), null, actor));

    private static async Task<byte[]> BulletinAsync(Storage s, Review review, Review? previous, IReadOnlyList<string> cases, int? number = 3)
    {
        var found = await s.RunAsync(sp => ReviewBulletin.CasesAsync(sp.GetRequiredService<DubanDbContext>(), cases, s.Org.Supervisor));
        using var stream = new MemoryStream();
        await ReviewBulletin.WriteAsync(stream, review, previous, new BulletinOptions
        {
            Number = number,
            Issuer = "测试市委督查室",
            Date = new DateOnly(2024, 4, 2),
            Cases = found,
        });
        return stream.ToArray();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Workbook_CellsAreTheReviewsNumbers_OneSheetPerGroup_WithListsAndNotes(string engine)
    {
        var (s, _) = await ScenarioAsync(engine);
        await using var _s = s;
        var review = await ReviewAsync(s, "2024-03", s.Org.Supervisor);
        var options = s.Services.GetRequiredService<ReviewOptions>();
        using var stream = new MemoryStream();
        await ReviewWorkbook.WriteAsync(stream, review, options);

        Assert.Equal([.. review.Groups.Select(g => g.Name), ReviewWorkbook.ListsSheet, ReviewWorkbook.NotesSheet], MiniExcel.GetSheetNames(stream));
        var townships = review.Groups.Single(g => g.Name == "乡镇（街道）");
        Assert.True(townships.Rows.Count(r => r.Score is not null) >= 3, "the scenario ranks the townships");
        foreach (var group in review.Groups)
        {
            var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: group.Name).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(group.Rows.Count, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var (cells, row) = (rows[i], group.Rows[i]);
                Assert.Equal(row.Unit.Name, cells[ReviewWorkbook.UnitHead]);
                Assert.Equal(row.Rank is { } rank ? rank : ReviewWorkbook.NoValue, cells[ReviewWorkbook.RankHead] is double d ? (int)d : cells[ReviewWorkbook.RankHead]);
                Assert.Equal(row.Score is { } score ? score : ReviewWorkbook.NoValue, cells[ReviewWorkbook.ScoreHead]);
                Assert.Equal(ReviewWorkbook.Change(row.RankChange), cells[ReviewWorkbook.ChangeHead]);
                foreach (var metric in Enum.GetValues<Metric>())
                {
                    // Numbers stay numbers (a rate as its share, 0.5 for 50%); nothing to divide by is "—".
                    Assert.Equal(row.Metrics!.Value(metric) is { } v ? v : ReviewWorkbook.NoValue, cells[Metrics.Label(metric)]);
                }
            }
        }

        // Ranks changed between February and March, and the arrows say which way.
        Assert.Contains(townships.Rows, r => r.RankChange > 0);
        Assert.Contains(townships.Rows, r => r.RankChange < 0);

        var lists = MiniExcel.Query(stream, useHeaderRow: true, sheetName: ReviewWorkbook.ListsSheet).Cast<IDictionary<string, object?>>().ToList();
        Assert.Contains(lists, l => (string?)l["榜单"] == "红榜" && (string?)l["单位"] == townships.Red.Single().Unit.Name);
        Assert.Contains(lists, l => (string?)l["榜单"] == "黑榜" && (string?)l["单位"] == townships.Black.Single().Unit.Name);
        var notes = MiniExcel.Query(stream, useHeaderRow: true, sheetName: ReviewWorkbook.NotesSheet).Cast<IDictionary<string, object?>>()
            .ToDictionary(n => (string)n["项目"]!, n => (string?)n["内容"]);
        Assert.StartsWith("2024年3月（2024年3月1日至2024年3月31日）", notes["讲评时段"], StringComparison.Ordinal);
        Assert.StartsWith("2024年4月2日", notes["计算日期"], StringComparison.Ordinal);
        Assert.Contains("满意率 25", notes["权重"], StringComparison.Ordinal);
        Assert.All(Enum.GetValues<Metric>(), m => Assert.Equal(ReviewWorkbook.Definition(m), notes[Metrics.Label(m)]));

        // The rates carry a percentage format, so a spreadsheet shows 50.0% and sorts by the number.
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        using var styles = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open());
        Assert.Contains("formatCode=\"0.0%\"", await styles.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Ledger_HoldsEveryMatterTheReaderMaySee_WithUnitsStatusAndDeadlines(string engine)
    {
        var (s, scenario) = await ScenarioAsync(engine);
        await using var _s = s;

        async Task<List<IDictionary<string, object?>>> LedgerAsync(ReviewPeriod? period, Actor actor)
        {
            using var stream = new MemoryStream();
            var count = await s.RunAsync(sp => sp.GetRequiredService<MatterLedger>().WriteAsync(stream, period, actor));
            var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: MatterLedger.SheetName).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(MatterLedger.Heads, rows[0].Keys);
            Assert.Equal(count, rows.Count(r => (string?)r["标题"] != MatterLedger.NothingNote));
            return rows;
        }

        var all = await LedgerAsync(null, s.Org.Supervisor);
        Assert.Equal(scenario.Codes.Order(StringComparer.Ordinal), all.Select(r => (string)r["编号"]!).Order(StringComparer.Ordinal));
        var march = await LedgerAsync(ReviewPeriod.ParseMonth("2024-03", new DateOnly(2024, 4, 2)), s.Org.Supervisor);
        Assert.Equal(9, march.Count);
        Assert.All(march, r => Assert.StartsWith("2024-03-01", (string)r["交办时间"]!, StringComparison.Ordinal));

        var done = march.Single(r => (string)r["编号"]! == scenario.March["K-T"][0]);
        Assert.Equal("交办事项", done["类型"]);
        Assert.Equal("会议", done["来源"]);
        Assert.Equal("测试市委督查室", done["交办单位"]);
        Assert.Equal("测试镇", done["牵头单位"]);
        Assert.Equal(Labels.Of(MatterStatus.Rated), done["状态"]);
        Assert.Matches(@"^2024-03-01 1\d:\d0$", (string)done["签收时间"]!);
        Assert.Matches(@"^2024-03-01 1\d:\d0$", (string)done["办结时间"]!);
        Assert.Equal("满意", done["满意度"]);
        Assert.Equal("否", done["是否超期"]);
        var idle = march.Single(r => (string)r["编号"]! == scenario.March["K-T4"][0]);
        Assert.Equal("是", idle["是否超期"]);
        Assert.Equal("", idle["签收时间"] ?? "");
        Assert.NotEqual("", idle["办结期限"]);
        var late = march.Single(r => (string)r["编号"]! == scenario.March["K-T3"][0]);
        Assert.Equal("2024-03-20 09:00", late["签收时间"]);
        Assert.Equal("是", late["是否超期"]);

        // A township's handler gets its own matters only.
        var own = await LedgerAsync(null, s.Org.TownshipHandler);
        Assert.Equal(3, own.Count);
        Assert.All(own, r => Assert.Equal("测试镇", r["牵头单位"]));

        // Past a sheet's rows the ledger goes on in the next sheet (Excel holds 1,048,576 rows a sheet; 4 here).
        using (var split = new MemoryStream())
        {
            Assert.Equal(9, await s.RunAsync(sp => sp.GetRequiredService<MatterLedger>().WriteAsync(split, ReviewPeriod.ParseMonth("2024-03", new DateOnly(2024, 4, 2)), s.Org.Supervisor, 4)));
            Assert.Equal(["事项台账", "事项台账（2）", "事项台账（3）"], MiniExcel.GetSheetNames(split));
            var codes = MiniExcel.GetSheetNames(split).SelectMany(sheet => MiniExcel.Query(split, useHeaderRow: true, sheetName: sheet)
                .Cast<IDictionary<string, object?>>().Select(r => (string)r["编号"]!)).ToList();
            Assert.Equal(march.Select(r => (string)r["编号"]!), codes);
            Assert.Single(MiniExcel.Query(split, useHeaderRow: true, sheetName: "事项台账（3）"));
        }

        // A period with nothing says so under the heads.
        var empty = await LedgerAsync(ReviewPeriod.ParseMonth("2024-01", new DateOnly(2024, 4, 2)), s.Org.Supervisor);
        Assert.Equal(MatterLedger.NothingNote, Assert.Single(empty)["标题"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Bulletin_HasNumberTitleSummaryTablesListsAndCases_InTheOfficeFonts(string engine)
    {
        var (s, scenario) = await ScenarioAsync(engine);
        await using var _s = s;
        var review = await ReviewAsync(s, "2024-03", s.Org.Supervisor);
        var previous = await ReviewAsync(s, "2024-02", s.Org.Supervisor);
        var bytes = await BulletinAsync(s, review, previous, [scenario.March["K-T"][0], scenario.March["K-T3"][0].ToLowerInvariant()]);

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        var paragraphs = body.Elements<W.Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Equal("督查通报〔2024〕3号", paragraphs[0]);
        Assert.Equal("关于2024年3月督查工作讲评情况的通报", paragraphs[2]);
        Assert.Equal("二〇二四年四月二日", paragraphs[^1]);
        Assert.Equal("测试市委督查室", paragraphs[^2]);

        var text = string.Join("\n", paragraphs);
        var totals = review.Totals!;
        Assert.Contains($"共承办交办事项 {totals.Value(Metric.Assigned)} 件（上期 {previous.Totals!.Value(Metric.Assigned)} 件", text, StringComparison.Ordinal);
        Assert.Contains($"按时办结率 {Metrics.Format(Metric.OnTimeCompleteRate, totals.Value(Metric.OnTimeCompleteRate))}，较上期", text, StringComparison.Ordinal);
        Assert.Contains($"满意率 {Metrics.Format(Metric.SatisfactionRate, totals.Value(Metric.SatisfactionRate))}", text, StringComparison.Ordinal);
        var townships = review.Groups.Single(g => g.Name == "乡镇（街道）");
        Assert.Contains("乡镇（街道）（4 个单位参与排名）中，测试镇得分最高", text, StringComparison.Ordinal);
        Assert.Contains("北山镇得分最低", text, StringComparison.Ordinal);
        Assert.Contains($"乡镇（街道）：红榜 {townships.Red.Single().Unit.Name}；黑榜 {townships.Black.Single().Unit.Name}。", text, StringComparison.Ordinal);

        // One table per ranked group: a head row and a row per unit, in rank order, with the rank change.
        var tables = body.Elements<W.Table>().ToList();
        var ranked = review.Groups.Where(g => g.Rows.Any(r => r.Rank is not null)).ToList();
        Assert.Equal(ranked.Count, tables.Count);
        var table = tables[ranked.FindIndex(g => g.Name == "乡镇（街道）")];
        var cells = table.Elements<W.TableRow>().Select(r => r.Elements<W.TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["排名", "单位", "得分", "按时办结率", "解决率", "满意率", "位次变化"], cells[0]);
        Assert.Equal(townships.Rows.Select(r => r.Unit.Name), cells.Skip(1).Select(c => c[1]));
        Assert.Equal(townships.Rows.Select(r => ReviewWorkbook.Change(r.RankChange)), cells.Skip(1).Select(c => c[6]));
        Assert.Equal("1", cells[1][0]);

        // Typical cases: the title, the unit and what happened, from the events.
        Assert.Contains("典型案例", text, StringComparison.Ordinal);
        Assert.Contains($"事项编号 {scenario.March["K-T"][0]}，牵头单位测试镇", text, StringComparison.Ordinal);
        Assert.Contains("3月1日，测试市委督查室交办；测试镇签收；测试镇进展反馈：已现场排查，制定整改方案；", text, StringComparison.Ordinal);
        Assert.Contains("回访评价为“满意”：群众满意。", text, StringComparison.Ordinal);
        Assert.Contains("3月1日，测试市委督查室交办。3月20日，南湖镇签收。", text, StringComparison.Ordinal);

        // Fonts: 黑体 for the title and heads, 楷体 for the number line, 仿宋_GB2312 for the body, set for East Asian text.
        string EastAsia(W.Paragraph p) => p.Descendants<W.RunFonts>().First().EastAsia!.Value!;
        var all = body.Elements<W.Paragraph>().Where(p => p.InnerText.Length > 0).ToList();
        Assert.Equal(ReviewBulletin.NumberLineFont, EastAsia(all[0]));
        Assert.Equal(ReviewBulletin.HeadingFont, EastAsia(all[1]));
        Assert.Equal(ReviewBulletin.HeadingFont, EastAsia(all.First(p => p.InnerText == "一、总体情况")));
        Assert.Equal(ReviewBulletin.BodyFont, EastAsia(all.First(p => p.InnerText.Contains("共承办交办事项", StringComparison.Ordinal))));
        Assert.All(body.Descendants<W.Run>(), r => Assert.False(string.IsNullOrEmpty(r.RunProperties?.RunFonts?.EastAsia?.Value)));

        // A4, and page numbers in the footer.
        var section = body.Elements<W.SectionProperties>().Single();
        Assert.Equal(11906u, section.GetFirstChild<W.PageSize>()!.Width!.Value);
        Assert.Equal(16838u, section.GetFirstChild<W.PageSize>()!.Height!.Value);
        var footer = document.MainDocumentPart.FooterParts.Single().Footer!;
        Assert.Contains(" PAGE ", footer.Descendants<W.FieldCode>().Select(f => f.Text));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Bulletin_OfAnEmptyPeriod_SaysThereIsNoData_AndUnknownCasesAreRefused(string engine)
    {
        var (s, _) = await ScenarioAsync(engine);
        await using var _s = s;
        var review = await ReviewAsync(s, "2024-01", s.Org.Supervisor);
        Assert.True(review.IsEmpty);
        var bytes = await BulletinAsync(s, review, null, [], number: null);

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        Assert.Empty(body.Elements<W.Table>());
        Assert.Contains(Review.EmptyNote, body.InnerText, StringComparison.Ordinal);
        Assert.DoesNotContain("红榜", body.InnerText, StringComparison.Ordinal);
        Assert.Equal("督查通报〔2024〕　　号", body.Elements<W.Paragraph>().First().InnerText);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => ReviewBulletin.CasesAsync(sp.GetRequiredService<DubanDbContext>(), ["DB-2024-999999"], s.Org.Supervisor)));
        Assert.Contains("DB-2024-999999", refused.Errors["cases"][0], StringComparison.Ordinal);
        // A matter the reader may not see is refused the same way as a missing one.
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => ReviewBulletin.CasesAsync(sp.GetRequiredService<DubanDbContext>(), ["DB-2024-000002"], s.Org.TownshipHandler)));
    }

    [Fact]
    public void ChineseDate_IsWrittenAsOfficialDocumentsWriteIt()
    {
        Assert.Equal("二〇二四年四月二日", ReviewBulletin.ChineseDate(new DateOnly(2024, 4, 2)));
        Assert.Equal("二〇二五年十二月三十一日", ReviewBulletin.ChineseDate(new DateOnly(2025, 12, 31)));
        Assert.Equal("二〇三〇年十月二十日", ReviewBulletin.ChineseDate(new DateOnly(2030, 10, 20)));
        Assert.Equal("二〇二四年一月十一日", ReviewBulletin.ChineseDate(new DateOnly(2024, 1, 11)));
    }

    /// <summary>LibreOffice opens the bulletin and lays it out on a few A4 pages; the PDF is kept beside the screenshots.</summary>
    [Fact]
    public async Task Bulletin_RendersToPdf_WithLibreOffice()
    {
        var (s, scenario) = await ScenarioAsync(TestDatabase.Sqlite);
        await using var _s = s;
        var review = await ReviewAsync(s, "2024-03", s.Org.Supervisor);
        var previous = await ReviewAsync(s, "2024-02", s.Org.Supervisor);
        var full = await BulletinAsync(s, review, previous, [scenario.March["K-T"][0], scenario.March["K-T3"][0]]);
        var empty = await BulletinAsync(s, await ReviewAsync(s, "2024-01", s.Org.Supervisor), null, []);

        Assert.InRange(await LibreOffice.PagesAsync(full, "讲评通报"), 2, 5);
        Assert.Equal(1, await LibreOffice.PagesAsync(empty, "讲评通报-无数据"));
    }
}

/// <summary>Converts a document to PDF with LibreOffice (Debian's libreoffice-writer-nogui, which test.sh installs).</summary>
public static class LibreOffice
{
    public const string Package = "libreoffice-writer-nogui";

    public static string Executable =>
        new[] { "/usr/bin/libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"LibreOffice is not installed, so the bulletin cannot be rendered: run ./test.sh as root, or sudo apt-get install -y {Package}");

    /// <summary>Where the rendered PDFs are kept for a person to look at.</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "TestResults", "bulletins");

    /// <summary>Renders the .docx bytes and returns the PDF's page count; the PDF is kept as <paramref name="name"/>.pdf.</summary>
    public static async Task<int> PagesAsync(byte[] docx, string name)
    {
        var folder = Directory.CreateTempSubdirectory("duban-lo-");
        try
        {
            var input = Path.Combine(folder.FullName, "bulletin.docx");
            await File.WriteAllBytesAsync(input, docx);
            var start = new ProcessStartInfo(Executable)
            {
                ArgumentList =
                {
                    $"-env:UserInstallation=file://{folder.FullName}/profile", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", folder.FullName, input,
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var pdf = Path.Combine(folder.FullName, "bulletin.pdf");
            Assert.True(process.ExitCode == 0 && File.Exists(pdf), $"LibreOffice failed ({process.ExitCode}): {await stdout} {await stderr}");
            var bytes = await File.ReadAllBytesAsync(pdf);
            Assert.True(bytes.Length > 5000, "the PDF is empty");
            Directory.CreateDirectory(OutputFolder);
            File.Copy(pdf, Path.Combine(OutputFolder, name + ".pdf"), overwrite: true);
            var text = System.Text.Encoding.Latin1.GetString(bytes);
            return Regex.Count(text, @"/Type\s*/Page(?![s\w])");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
