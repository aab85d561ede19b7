using System.CommandLine;
using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban items import</c>: a register's year list from a spreadsheet (导入工作事项台账), with row-level errors.</summary>
internal sealed class ItemsCommand(CliContext cli)
{
    private readonly Argument<FileInfo> _file = new("file") { Description = "xlsx 或 CSV：序号、工作任务、牵头单位、责任领导、责任人、时间节点（报送周期可选）" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "只检查，不保存" };
    private readonly Option<string?> _register = new("--register") { Description = "台账：key-work、project、reform、meeting（默认按标题行，否则 key-work）" };
    private readonly Option<bool> _validOnly = new("--valid-only") { Description = "有错误行时仍导入无误的行（默认全部无误才导入）" };
    private readonly Option<string?> _sheet = new("--sheet") { Description = "工作表名（默认第一个）" };

    public Command Create()
    {
        var import = new Command("import", "导入工作事项台账，逐行报告错误（有误则不导入）")
        {
            _file, _dryRun, _register, _validOnly, _sheet,
        };
        import.SetAction(ImportAsync);
        return new Command("items", "工作事项") { import };
    }

    /// <summary>Each refused row on stdout (第 5 行「牵头单位」：…), then the summary; exit 1 when any row was refused.</summary>
    private async Task<int> ImportAsync(ParseResult result, CancellationToken ct)
    {
        ItemRegister? register = null;
        if (result.GetValue(_register) is { } text)
        {
            register = ItemRegisters.TryParse(text, out var r)
                ? r
                : throw ValidationFailedException.For("register", $"未知台账「{text}」：应为 key-work、project、reform 或 meeting。");
        }

        // The file is judged before the database is opened: a refused file never creates or migrates one.
        await using var stream = File.OpenRead(result.GetValue(_file)!.FullName);
        var spreadsheet = Spreadsheet.Open(stream, stream.Name, result.GetValue(_sheet));
        await using var scope = await cli.OpenAsync(result, ct);
        var actor = await CliContext.OperatorForUnitAsync(scope.ServiceProvider, null, ct);
        var report = await scope.ServiceProvider.GetRequiredService<ItemImport>().RunAsync(spreadsheet,
            new ItemImportOptions(register, result.GetValue(_dryRun), result.GetValue(_validOnly)), actor, ct);
        foreach (var error in report.Errors)
        {
            await cli.Output.WriteLineAsync(error.ToString());
        }

        await cli.Output.WriteLineAsync(report.Summary);
        return report.Errors.Count == 0 ? 0 : 1;
    }
}
