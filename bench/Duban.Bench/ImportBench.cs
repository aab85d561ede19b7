using System.Diagnostics;
using System.Globalization;
using System.Text;
using Duban.Appeals;
using Duban.Data;
using Duban.Tabular;
using Duban.Text;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Duban.Bench;

/// <summary>
/// 批量导入 at scale: an xlsx and a GB18030 CSV of <see cref="BenchOptions.ImportSize"/> rows made from the real 泰迪杯
/// appeals, about 1 % of them bad (empty content, bad phone, unknown category, a date no one can read) and others with
/// dates as text or Excel serial numbers. Each file is dry-run, imported, then imported again on a fresh database;
/// rows/s, wall time and the peak working set of each run are reported (with the working set it started from, SQLite's
/// own peak allocation and the GC's committed memory, to tell what holds it), and saved + rejected = rows is checked.
/// </summary>
internal sealed class ImportBench(BenchOptions options, Report report, TextWriter output)
{
    private readonly Dictionary<string, string> _files = [];

    public async Task RunAsync(string engine, CancellationToken cancellationToken)
    {
        output.WriteLine($"# import ({engine})");
        if (_files.Count == 0)
        {
            Generate();
        }

        foreach (var format in options.ImportFormats)
        {
            var path = _files[format];
            await using var database = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
            var services = await database.ServicesAsync(TimeProvider.System, cancellationToken);
            var organisation = await BenchOrganisation.CreateAsync(services, cancellationToken);
            foreach (var (phase, dryRun) in new[] { ("dry-run", true), ("import", false), ("re-import", false) })
            {
                await MeasureAsync(engine, format, path, phase, dryRun, services, database.Timer, organisation.Supervisor, cancellationToken);
            }
        }
    }

    /// <summary>Every two seconds until stopped, the keyword index's catch-up.</summary>
    private static async Task IndexAsync(IServiceProvider services, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
                await CatchUpAsync(services, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task CatchUpAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await MatterSearch.CatchUpAllAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), null, cancellationToken);
    }

    private async Task MeasureAsync(string engine, string format, string path, string phase, bool dryRun, IServiceProvider services,
        CommandTimer timer, Duban.Matters.Actor actor, CancellationToken cancellationToken)
    {
        GC.Collect();
        ResetPeakWorkingSet();
        SQLitePCL.raw.sqlite3_memory_highwater(1); // SQLite's own high-water mark, from here
        var startWorkingSet = Environment.WorkingSet;
        timer.Reset();
        timer.Enabled = true;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await using var scope = services.CreateAsyncScope();
        await using var stream = File.OpenRead(path);
        var sheet = Spreadsheet.Open(stream, path);
        var mapping = ColumnMapping.Guess(sheet.Header);
        // The keyword index is filled beside the import, as the web host's KeywordIndexer does (every 2 s): the import's
        // figures are the import's, and how long the index then lags is reported apart.
        using var importing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var indexing = dryRun ? Task.CompletedTask : IndexAsync(services, importing.Token);
        var result = await scope.ServiceProvider.GetRequiredService<AppealImport>()
            .RunAsync(sheet, mapping, new AppealImportOptions(dryRun), actor, null, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        await importing.CancelAsync();
        await indexing;
        var lag = Stopwatch.StartNew();
        await CatchUpAsync(services, cancellationToken);
        var indexLag = lag.Elapsed.TotalSeconds;
        timer.Enabled = false;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var (commands, commandMs) = timer.Snapshot();
        var rows = options.ImportSize;
        var good = dryRun ? result.Valid : result.Saved;
        report.Add(new Measurement("import", engine, rows, $"{format}-{phase}",
        [
            ("wall_s", Math.Round(seconds, 1)),
            ("rows_per_s", Math.Round(rows / seconds)),
            ("index_lag_s", Math.Round(indexLag, 1)),
            ("cpu_s", Math.Round(cpu, 1)),
            ("start_ws_mb", Math.Round(startWorkingSet / 1048576.0, 1)),
            ("peak_ws_mb", Math.Round(PeakWorkingSetMegabytes(), 1)),
            ("sqlite_peak_mb", Math.Round(SQLitePCL.raw.sqlite3_memory_highwater(1) / 1048576.0, 1)),
            ("gc_committed_mb", Math.Round(GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0, 1)),
            ("sql_per_row", Math.Round((double)commands / rows, 1)),
            ("sql_s", Math.Round(commandMs / 1000, 1)),
            (dryRun ? "valid" : "saved", good),
            ("already", result.AlreadyImported),
            ("rejected", result.Rejected),
        ]));
        if (result.Rows.Count != rows)
        {
            report.Note(FormattableString.Invariant($"import {format} {phase}: the report counts {result.Rows.Count} rows, the file has {rows}"));
        }

        if (phase == "re-import" && result.Saved != 0)
        {
            report.Note(FormattableString.Invariant($"import {format} re-import saved {result.Saved} rows; expected 0"));
        }
    }

    /// <summary>Writes both files to the temp folder; each row is a real appeal (cycled) with its own 编号 and phone.</summary>
    private void Generate()
    {
        var sources = ReadReplies(options.RepliesFile);
        var folder = Path.Combine(Path.GetTempPath(), "duban-bench-import");
        Directory.CreateDirectory(folder);
        var watch = Stopwatch.StartNew();
        var xlsx = Path.Combine(folder, FormattableString.Invariant($"appeals-{options.ImportSize}.xlsx"));
        File.Delete(xlsx);
        MiniExcel.SaveAs(xlsx, Rows(sources).Select(r => r.ToDictionary(c => c.Header, c => c.Value)));
        var csv = Path.Combine(folder, FormattableString.Invariant($"appeals-{options.ImportSize}.csv"));
        using (var writer = new StreamWriter(csv, false, TextDecoding.Gb18030))
        {
            writer.WriteLine(string.Join(',', Headers));
            foreach (var row in Rows(sources))
            {
                writer.WriteLine(string.Join(',', row.Select(c => Quote(Convert.ToString(c.Value, CultureInfo.InvariantCulture) ?? string.Empty))));
            }
        }

        _files["xlsx"] = xlsx;
        _files["csv"] = csv;
        output.WriteLine(FormattableString.Invariant(
            $"# generated {options.ImportSize} rows from {sources.Count} appeals in {watch.Elapsed.TotalSeconds:0.0} s: xlsx {new FileInfo(xlsx).Length >> 20} MiB, csv {new FileInfo(csv).Length >> 20} MiB"));
    }

    private static readonly string[] Headers = ["编号", "标题", "内容", "分类", "联系电话", "收到时间"];

    /// <summary>Row i: every 100th is bad in one of four ways; every 7th has its date as Chinese text, every 5th as an
    /// Excel serial number (a number in xlsx, its digits in CSV).</summary>
    private IEnumerable<(string Header, object? Value)[]> Rows(IReadOnlyList<(string Title, string Content, DateTime At)> sources)
    {
        for (var i = 0; i < options.ImportSize; i++)
        {
            var (title, content, at) = sources[i % sources.Count];
            var phone = FormattableString.Invariant($"138{i:D8}");
            var category = AppealCategories.All[i % AppealCategories.All.Count];
            object? date = i % 5 == 0 ? Math.Round(at.ToOADate(), 6)
                : i % 7 == 0 ? at.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture)
                : at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            switch (i % 100 == 99 ? i / 100 % 4 : -1)
            {
                case 0: content = " "; break;
                case 1: phone = "138-1234-123"; break;
                case 2: category = "外星来客"; break;
                case 3: date = "去年春天"; break;
            }

            yield return [("编号", FormattableString.Invariant($"B{i:D7}")), ("标题", title), ("内容", content), ("分类", category), ("联系电话", phone), ("收到时间", date)];
        }
    }

    private static List<(string Title, string Content, DateTime At)> ReadReplies(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new InvalidOperationException($"{path} is empty");
        }

        var header = records.Current.Fields;
        int title = Csv.Column(header, "留言主题"), content = Csv.Column(header, "留言详情"), at = Csv.Column(header, "留言时间");
        var rows = new List<(string, string, DateTime)>();
        while (records.MoveNext())
        {
            var f = records.Current.Fields;
            if (DateTime.TryParse(f[at], CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) && f[title].Trim().Length > 0 && f[content].Trim().Length > 0)
            {
                rows.Add((f[title].Trim(), f[content].Trim(), when));
            }
        }

        return rows;
    }

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM, so each run's peak is its own.</summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static double PeakWorkingSetMegabytes()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
