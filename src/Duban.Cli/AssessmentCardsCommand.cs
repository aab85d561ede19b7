using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban assessment cards</c>: issue the 红黄牌 due for a month or quarter under the office's rules, and list them.</summary>
internal sealed class AssessmentCardsCommand(CliContext cli)
{
    private readonly Option<string> _period = new("--period") { Description = "月份（2024-03）或季度（2024-Q1）", Required = true };

    public Command Create()
    {
        var issue = new Command("issue", "按规则发牌（同一规则、单位、统计期只发一张，重复执行不重复发）") { _period };
        issue.SetAction(IssueAsync);
        var list = new Command("list", "列出该月份及所在季度（或该季度）的红黄牌") { _period };
        list.SetAction(ListAsync);
        return new Command("cards", "红黄牌") { issue, list };
    }

    private async Task<int> IssueAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var made = await scope.ServiceProvider.GetRequiredService<CardBook>().IssueAsync(result.GetValue(_period), CliContext.Operator, ct);
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"新发 {made.Count} 张（黄牌 {made.Count(c => c.Colour == Assessment.CardColour.Yellow)}，红牌 {made.Count(c => c.Colour == Assessment.CardColour.Red)}）"));
        await PrintAsync(made);
        return 0;
    }

    private async Task<int> ListAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        await PrintAsync(await scope.ServiceProvider.GetRequiredService<CardBook>().ListAsync(result.GetValue(_period), CliContext.Operator, ct));
        return 0;
    }

    private async Task PrintAsync(IReadOnlyList<CardView> cards)
    {
        foreach (var c in cards)
        {
            await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{c.Id}\t{c.Unit.Code}\t{c.Unit.Name}\t{c.ColourName}\t{c.Window.Key}\t{c.Reason}{(c.Revoked ? $"\t已撤销：{c.RevokeReason}" : "")}"));
        }
    }
}
