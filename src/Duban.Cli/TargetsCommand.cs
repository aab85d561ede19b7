using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban assessment targets import FILE [--dry-run]</c>: 目标任务 from a spreadsheet, every row checked first;
/// nothing is stored unless all rows are valid. Each invalid row is printed with its problems; exit 1 if any.</summary>
internal sealed class TargetsCommand(CliContext cli)
{
    public Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "xlsx 或 CSV，表头：" + string.Join("、", TargetImport.Columns) + "" };
        var dryRun = new Option<bool>("--dry-run") { Description = "只检查，不保存" };
        var import = new Command("import", "导入目标任务（全部无误才保存）") { file, dryRun };
        import.SetAction(async (result, ct) =>
        {
            await using var scope = await cli.OpenAsync(result, ct);
            await using var stream = File.OpenRead(result.GetValue(file)!.FullName);
            var report = await scope.ServiceProvider.GetRequiredService<TargetImport>()
                .RunAsync(stream, stream.Name, result.GetValue(dryRun), CliContext.Operator, ct);
            foreach (var problem in report.Problems)
            {
                await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"第{problem.Row}行：{string.Join("；", problem.Messages)}"));
            }

            var r = report.Result;
            await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"共 {report.Rows} 行，有误 {report.Problems.Count} 行，{(report.Saved ? "已保存" : "未保存")}：新增事项 {r?.ItemsAdded ?? 0} 项，新增目标 {r?.GoalsAdded ?? 0} 个，修改目标 {r?.GoalsChanged ?? 0} 个"));
            return report.Problems.Count == 0 ? 0 : 1;
        });
        return new Command("targets", "目标任务") { import };
    }
}
