using System.CommandLine;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban pairing import-enterprises|import-pairings</c>: 包联, enterprises and their cadres, row by row, idempotent.</summary>
internal sealed class PairingCommand(CliContext cli)
{
    public Command Create() => new("pairing", "包联")
    {
        Import("import-enterprises", "导入企业：企业名称,统一社会信用代码,区域",
            (e, s, a, ct) => e.ImportEnterprisesAsync(s, a, ct)),
        Import("import-pairings", "导入包联关系：统一社会信用代码,干部,起始日期",
            (e, s, a, ct) => e.ImportPairingsAsync(s, a, ct)),
    };

    /// <summary>One import: rejected rows and <c>saved=N rejected=N</c> on stdout; exit 1 if any row was rejected.</summary>
    private Command Import(string name, string description,
        Func<Enterprises, Spreadsheet, Actor, CancellationToken, Task<IReadOnlyList<ImportRowResult>>> run)
    {
        var file = new Argument<FileInfo>("file") { Description = "xlsx 或 CSV" };
        var unit = CliContext.ReceivingUnitOption();
        var command = new Command(name, description) { file, unit };
        command.SetAction(async (result, ct) =>
        {
            await using var scope = await cli.OpenAsync(result, ct);
            var actor = await CliContext.OperatorForUnitAsync(scope.ServiceProvider, result.GetValue(unit), ct);
            await using var stream = File.OpenRead(result.GetValue(file)!.FullName);
            var rows = await run(scope.ServiceProvider.GetRequiredService<Enterprises>(), Spreadsheet.Open(stream, stream.Name), actor, ct);
            var rejected = await cli.WriteRejectedRowsAsync(rows);
            await cli.Output.WriteLineAsync(FormattableString.Invariant($"已保存 {rows.Count - rejected} 行，拒绝 {rejected} 行"));
            return rejected == 0 ? 0 : 1;
        });
        return command;
    }
}
