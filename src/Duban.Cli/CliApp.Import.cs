using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Duban.Data.Import;
using Duban.Data.Pairing;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban import appeals</c> and <c>duban pairing import-…</c>.</summary>
public static partial class CliApp
{
    private static readonly Option<string?> ImportUnitOption = new("--unit")
    {
        Description = "以哪个单位的名义受理（默认根单位）/ the receiving unit (default: the root unit)",
    };

    private static Command ImportCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "xlsx 或 CSV（UTF-8 或 GBK）/ an xlsx or CSV file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "只检查，不保存 / check every row, save nothing" };
        var sheet = new Option<string?>("--sheet") { Description = "工作表名（默认第一个）/ sheet name (default: the first)" };
        var map = new Option<string[]>("--map")
        {
            Description = "列对应，如 标题=留言主题（可多个；默认按表头猜）/ column mapping, e.g. 标题=留言主题",
            AllowMultipleArgumentsPerToken = true,
        };
        var historical = new Option<bool>("--historical") { Description = "已办结的历史诉求（需收到时间、答复、答复时间）/ closed historical appeals" };
        var appeals = new Command("appeals", "批量导入诉求，逐行报告（重复导入不会重复）/ import appeals with a row-by-row report; idempotent")
        {
            file, dryRun, sheet, map, historical, ImportUnitOption,
        };
        appeals.SetAction(async (result, ct) =>
        {
            // The file is judged before the database is opened: a refused file never creates or migrates one.
            await using var stream = File.OpenRead(result.GetValue(file)!.FullName);
            var spreadsheet = Spreadsheet.Open(stream, stream.Name, result.GetValue(sheet));
            var mapping = ColumnMapping.Guess(spreadsheet.Header, result.GetValue(map));
            await using var scope = await OpenAsync(result, clock, ct);
            var actor = await ImportActorAsync(scope.ServiceProvider, result.GetValue(ImportUnitOption), ct);
            await error.WriteLineAsync($"列对应 / mapping: {string.Join(", ", mapping.Describe(spreadsheet.Header))}");
            if (spreadsheet.IgnoredSheets.Count > 0)
            {
                await error.WriteLineAsync($"只读工作表「{spreadsheet.Sheet}」，忽略：{string.Join("、", spreadsheet.IgnoredSheets)} / other sheets ignored");
            }

            var report = await scope.ServiceProvider.GetRequiredService<AppealImport>().RunAsync(spreadsheet, mapping,
                new AppealImportOptions(result.GetValue(dryRun), result.GetValue(historical)), actor, new SynchronousProgress(error), ct);
            await error.WriteLineAsync();
            foreach (var row in report.Rows.Where(r => r.Outcome == RowOutcome.Rejected))
            {
                await output.WriteLineAsync(FormattableString.Invariant($"第 {row.Row} 行{(row.Cell is null ? "" : $" {row.Cell}")}: {row.Reason}"));
            }

            await output.WriteLineAsync(report.Summary);
            return report.Rejected == 0 ? 0 : 1;
        });
        return new Command("import", "批量导入 / bulk import") { appeals };
    }

    private static Command PairingCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        Command Import(string name, string description, Func<Enterprises, Spreadsheet, Actor, CancellationToken, Task<IReadOnlyList<ImportRowResult>>> run)
        {
            var file = new Argument<FileInfo>("file") { Description = "xlsx 或 CSV / an xlsx or CSV file" };
            var command = new Command(name, description) { file, ImportUnitOption };
            command.SetAction(async (result, ct) =>
            {
                await using var scope = await OpenAsync(result, clock, ct);
                var actor = await ImportActorAsync(scope.ServiceProvider, result.GetValue(ImportUnitOption), ct);
                await using var stream = File.OpenRead(result.GetValue(file)!.FullName);
                var rows = await run(scope.ServiceProvider.GetRequiredService<Enterprises>(), Spreadsheet.Open(stream, stream.Name), actor, ct);
                foreach (var row in rows.Where(r => r.Outcome == RowOutcome.Rejected))
                {
                    await output.WriteLineAsync(FormattableString.Invariant($"第 {row.Row} 行{(row.Cell is null ? "" : $" {row.Cell}")}: {row.Reason}"));
                }

                var rejected = rows.Count(r => r.Outcome == RowOutcome.Rejected);
                await output.WriteLineAsync(FormattableString.Invariant($"saved={rows.Count - rejected} rejected={rejected}"));
                return rejected == 0 ? 0 : 1;
            });
            return command;
        }

        return new Command("pairing", "包联 / cadres paired with enterprises")
        {
            Import("import-enterprises", "导入企业：企业名称,统一社会信用代码,区域 / import enterprises",
                (e, s, a, ct) => e.ImportEnterprisesAsync(s, a, ct)),
            Import("import-pairings", "导入包联关系：统一社会信用代码,干部,起始日期 / import pairings",
                (e, s, a, ct) => e.ImportPairingsAsync(s, a, ct)),
        };
    }

    /// <summary>The operator acting for a real unit (appeals need a receiving unit): <c>--unit</c>, or the root.</summary>
    private static async Task<Actor> ImportActorAsync(IServiceProvider services, string? unitCode, CancellationToken ct)
    {
        var db = services.GetRequiredService<DubanDbContext>();
        var unit = await db.Units.AsNoTracking().Where(u => u.Active && (unitCode == null ? u.ParentId == null : u.Code == unitCode))
            .OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct)
            ?? throw ValidationFailedException.For("unit", unitCode is null ? "数据库里还没有单位。" : $"单位代码「{unitCode}」不存在。");
        return Operator with { UnitId = unit };
    }

    /// <summary>Progress written as it happens (Progress&lt;T&gt; would post to the thread pool and may print after the report).</summary>
    private sealed class SynchronousProgress(TextWriter error) : IProgress<ImportProgress>
    {
        private int _last = -1;

        public void Report(ImportProgress value)
        {
            if (value.Done / 1000 != _last / 1000 || _last < 0)
            {
                _last = value.Done;
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r已处理 {value.Done} 行，保存 {value.Saved}，拒绝 {value.Rejected} / rows done"));
            }
        }
    }
}
