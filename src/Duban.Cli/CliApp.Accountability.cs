using System.CommandLine;
using Duban.Data;
using Duban.Data.Escalation;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

public static partial class CliApp
{
    // ---- accountability (问责清单) ------------------------------------------------------------------------------

    private static Command AccountabilityCommand(TextWriter output, TimeProvider? clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "写入的 .xlsx 文件 / the .xlsx file to write" };
        var status = new Option<string?>("--status") { Description = "pending|interviewed|notified|held|withdrawn" };
        var export = new Command("export", "导出问责清单为 xlsx（与 GET /api/accountability/export.xlsx 相同）/ export the list as a spreadsheet") { file, status };
        export.SetAction(async (result, ct) =>
        {
            AccountabilityStatus? parsed = null;
            if (result.GetValue(status) is { } s)
            {
                parsed = WireEnum.TryParse<AccountabilityStatus>(s, out var st) ? st : throw ValidationFailedException.For("status", $"未知状态「{s}」。");
            }

            await using var scope = await OpenAsync(result, clock, ct);
            var entries = await scope.ServiceProvider.GetRequiredService<AccountabilityList>().ListAsync(parsed, Operator, AccountabilityList.ExportMax, ct);
            var path = result.GetValue(file)!.FullName;
            await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                await AccountabilityWorkbook.WriteAsync(stream, entries, ct);
            }

            await output.WriteLineAsync(FormattableString.Invariant($"exported={entries.Count} file={path}"));
            return 0;
        });
        return new Command("accountability", "问责清单 / the accountability list") { export };
    }
}
