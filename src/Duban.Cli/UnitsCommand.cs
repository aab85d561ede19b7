using System.CommandLine;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban units import|list</c>: the unit tree (单位).</summary>
internal sealed class UnitsCommand(CliContext cli)
{
    private readonly Argument<FileInfo> _file = new("file") { Description = "xlsx 或 CSV：code,name,parent_code,level" };

    public Command Create()
    {
        var import = new Command("import", "从 Excel 或 CSV 导入单位（重复导入不会重复）") { _file };
        import.SetAction(ImportAsync);
        var list = new Command("list", "单位列表");
        list.SetAction(ListAsync);
        return new Command("units", "单位") { import, list };
    }

    private async Task<int> ImportAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var path = result.GetValue(_file)!.FullName;
        await using var stream = File.OpenRead(path);
        var report = await scope.ServiceProvider.GetRequiredService<UnitDirectory>().ImportAsync(Spreadsheet.Open(stream, path), ct);
        foreach (var line in report.Lines.Where(l => !l.Saved))
        {
            await cli.Error.WriteLineAsync(FormattableString.Invariant($"第 {line.Line} 行（{line.Code}）：{line.Error}"));
        }

        await cli.Output.WriteLineAsync(FormattableString.Invariant($"已保存 {report.Saved} 行，拒绝 {report.Rejected} 行"));
        return report.Rejected == 0 ? 0 : 1;
    }

    private async Task<int> ListAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        foreach (var unit in await scope.ServiceProvider.GetRequiredService<UnitDirectory>().ListAsync(ct))
        {
            await cli.Output.WriteLineAsync($"{new string(' ', 2 * unit.Depth)}{unit.Code}\t{unit.Name}\t{WireEnum.Name(unit.Level)}{(unit.Active ? "" : "\t(停用)")}");
        }

        return 0;
    }
}
