using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban import appeals</c>: appeals from a spreadsheet, with a row-by-row report (批量导入);
/// <c>duban import matters</c>: 批量交办 from an xlsx, all rows or none, with a 预检 (<c>--dry-run</c>).</summary>
internal sealed class ImportCommand(CliContext cli)
{
    private readonly Argument<FileInfo> _file = new("file") { Description = "xlsx 或 CSV（UTF-8 或 GBK）" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "只检查，不保存" };
    private readonly Option<string?> _sheet = new("--sheet") { Description = "工作表名（默认第一个）" };
    private readonly Option<string[]> _map = new("--map")
    {
        Description = "列对应，如 标题=留言主题（可多个；默认按表头猜）",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<bool> _historical = new("--historical") { Description = "已办结的历史诉求（需收到时间、答复、答复时间）" };
    private readonly Option<string?> _unit = CliContext.ReceivingUnitOption();
    private readonly Argument<FileInfo> _mattersFile = new("file") { Description = "xlsx（表头：标题、内容（具体要求）、目标任务、工作标准、牵头单位……）" };
    private readonly Option<bool> _mattersDryRun = new("--dry-run") { Description = "只预检，不交办" };
    private readonly Option<string?> _assigner = new("--unit") { Description = "以哪个单位的名义交办（默认根单位）" };

    public Command Create()
    {
        var appeals = new Command("appeals", "批量导入诉求，逐行报告（重复导入不会重复）")
        {
            _file, _dryRun, _sheet, _map, _historical, _unit,
        };
        appeals.SetAction(AppealsAsync);
        var matters = new Command("matters", "批量交办事项：逐行预检，有一行有误则一项也不交办；同一文件再导入不会重复交办")
        {
            _mattersFile, _mattersDryRun, _assigner,
        };
        matters.SetAction(MattersAsync);
        return new Command("import", "批量导入") { appeals, matters };
    }

    /// <summary>Rejected rows and the summary on stdout, the mapping and progress on stderr; exit 1 if any row was rejected.</summary>
    private async Task<int> AppealsAsync(ParseResult result, CancellationToken ct)
    {
        // The file is judged before the database is opened: a refused file never creates or migrates one.
        await using var stream = File.OpenRead(result.GetValue(_file)!.FullName);
        var spreadsheet = Spreadsheet.Open(stream, stream.Name, result.GetValue(_sheet));
        var mapping = ColumnMapping.Guess(spreadsheet.Header, result.GetValue(_map));
        await using var scope = await cli.OpenAsync(result, ct);
        var actor = await CliContext.OperatorForUnitAsync(scope.ServiceProvider, result.GetValue(_unit), ct);
        await cli.Error.WriteLineAsync($"列对应：{string.Join(", ", mapping.Describe(spreadsheet.Header))}");
        if (spreadsheet.IgnoredSheets.Count > 0)
        {
            await cli.Error.WriteLineAsync($"只读工作表「{spreadsheet.Sheet}」，忽略：{string.Join("、", spreadsheet.IgnoredSheets)}");
        }

        var report = await scope.ServiceProvider.GetRequiredService<AppealImport>().RunAsync(spreadsheet, mapping,
            new AppealImportOptions(result.GetValue(_dryRun), result.GetValue(_historical)), actor, new SynchronousProgress(cli.Error), ct);
        await cli.Error.WriteLineAsync();
        await cli.WriteRejectedRowsAsync(report.Rows);
        await cli.Output.WriteLineAsync(report.Summary);
        if (report.Saved > 0)
        {
            await IndexAsync(scope.ServiceProvider, ct);
        }

        return report.Rejected == 0 ? 0 : 1;
    }

    /// <summary>
    /// The matters just saved into the keyword index (<see cref="MatterSearch"/>), as a running web host would within
    /// seconds: a command-line import is then searched by the index without one. Search is right
    /// before it too (the substring test), so an interrupted catch-up loses nothing.
    /// </summary>
    private async Task IndexAsync(IServiceProvider services, CancellationToken ct)
    {
        var added = await MatterSearch.CatchUpAllAsync(services.GetRequiredService<DubanDbContext>(),
            total => cli.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r关键词索引：已加入 {total} 件")), ct);
        if (added > 0)
        {
            await cli.Error.WriteLineAsync();
        }
    }

    /// <summary>Each row's verdict on stdout (有误 rows with their reasons), then the summary; exit 1 if any row is wrong.</summary>
    private async Task<int> MattersAsync(ParseResult result, CancellationToken ct)
    {
        var file = result.GetValue(_mattersFile)!;
        await using var stream = new MemoryStream(await File.ReadAllBytesAsync(file.FullName, ct));
        await using var scope = await cli.OpenAsync(result, ct);
        var actor = await CliContext.OperatorForUnitAsync(scope.ServiceProvider, result.GetValue(_assigner), ct);
        var report = await scope.ServiceProvider.GetRequiredService<MatterImport>().RunAsync(stream, file.Name, result.GetValue(_mattersDryRun), actor, ct);
        if (report.IgnoredColumns.Count > 0)
        {
            await cli.Error.WriteLineAsync($"不导入的列：{string.Join("、", report.IgnoredColumns)}");
        }

        foreach (var row in report.Rows)
        {
            var what = row.Outcome == MatterRowOutcome.Rejected ? string.Join(" ", row.Reasons) : row.Code is null ? row.OutcomeText : $"{row.OutcomeText} {row.Code}";
            await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"第 {row.Row} 行 {row.Title ?? "（无标题）"} | {row.LeadUnit ?? "—"} | {row.Deadline ?? "—"} | {what}"));
        }

        await cli.Output.WriteLineAsync(report.Summary);
        if (!result.GetValue(_mattersDryRun))
        {
            await IndexAsync(scope.ServiceProvider, ct);
        }

        return report.Ok ? 0 : 1;
    }

    /// <summary>Progress written as it happens (Progress&lt;T&gt; would post to the thread pool and may print after the report).
    /// The import reports at each commit (500 rows or a second) and once at the end, so every new count is printed: a
    /// throttle here would swallow the final count when a slow first row made a commit of its own.</summary>
    private sealed class SynchronousProgress(TextWriter error) : IProgress<ImportProgress>
    {
        private int _last = -1;

        public void Report(ImportProgress value)
        {
            if (value.Done != _last)
            {
                _last = value.Done;
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r已处理 {value.Done} 行，保存 {value.Saved}，拒绝 {value.Rejected}"));
            }
        }
    }
}
