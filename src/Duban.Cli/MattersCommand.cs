using System.CommandLine;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban matters list</c>: matters (事项), tab-separated.</summary>
internal sealed class MattersCommand(CliContext cli)
{
    private readonly Option<bool> _overdue = new("--overdue") { Description = "只列超期" };
    private readonly Option<string?> _unit = new("--unit") { Description = "牵头单位代码" };
    private readonly Option<string?> _status = new("--status") { Description = "assigned|returned|acknowledged|reported|verified|rated|closed" };
    private readonly Option<int> _max = new("--max") { Description = "最多列出", DefaultValueFactory = _ => 200 };

    public Command Create()
    {
        var list = new Command("list", "事项列表（制表符分隔）") { _overdue, _unit, _status, _max };
        list.SetAction(ListAsync);
        return new Command("matters", "事项") { list };
    }

    private async Task<int> ListAsync(ParseResult result, CancellationToken ct)
    {
        var status = CliContext.ParseWire<MatterStatus>(result.GetValue(_status), "status", "状态");
        await using var scope = await cli.OpenAsync(result, ct);
        var filter = new MatterFilter
        {
            Overdue = result.GetValue(_overdue),
            Unit = result.GetValue(_unit),
            Status = status,
            PageSize = Math.Clamp(result.GetValue(_max), 1, MatterFilter.MaxPageSize),
        };
        var page = await scope.ServiceProvider.GetRequiredService<MatterQueries>().ListAsync(filter, CliContext.Operator, ct);
        foreach (var m in page.Items)
        {
            await cli.Output.WriteLineAsync(string.Join('\t', m.Code, Labels.Of(m.Status), m.LeadUnit.Code,
                m.NextDueAt is { } due ? CliContext.Iso(due) : "-", m.Overdue ? "超期" : "-", m.Title));
        }

        await cli.Error.WriteLineAsync(FormattableString.Invariant($"共 {page.Total} 件 / {page.Total} in all"));
        return 0;
    }
}
