using System.CommandLine;
using Duban.Data;
using Duban.Escalation;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban accountability export</c>: the accountability list (问责清单) as a spreadsheet.</summary>
internal sealed class AccountabilityCommand(CliContext cli)
{
    private readonly Argument<FileInfo> _file = new("file") { Description = "写入的 .xlsx 文件" };
    private readonly Option<string?> _status = new("--status") { Description = "pending|interviewed|notified|held|withdrawn" };

    public Command Create()
    {
        var export = new Command("export", "导出问责清单为 xlsx（与 GET /api/accountability/export.xlsx 相同）") { _file, _status };
        export.SetAction(ExportAsync);
        return new Command("accountability", "问责清单") { export };
    }

    private async Task<int> ExportAsync(ParseResult result, CancellationToken ct)
    {
        var status = CliContext.ParseWire<AccountabilityStatus>(result.GetValue(_status), "status", "状态");
        await using var scope = await cli.OpenAsync(result, ct);
        var entries = await scope.ServiceProvider.GetRequiredService<AccountabilityList>().ListAsync(status, CliContext.Operator, AccountabilityList.ExportMax, ct);
        var path = result.GetValue(_file)!.FullName;
        await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            await AccountabilityWorkbook.WriteAsync(stream, entries, ct);
        }

        await cli.Output.WriteLineAsync(FormattableString.Invariant($"已导出问责清单 {entries.Count} 条：{path}"));
        return 0;
    }
}
