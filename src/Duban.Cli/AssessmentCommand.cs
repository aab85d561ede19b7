using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary>
/// <c>duban assessment compute|schemes</c>: a scheme's result (考评结果) for a period as a table on stdout or an .xlsx,
/// published or computed now; the list of schemes. Acts as the operator (an administrator).
/// </summary>
internal sealed class AssessmentCommand(CliContext cli)
{
    public Command Create()
    {
        var scheme = new Option<long>("--scheme") { Description = "考评办法编号（见 duban assessment schemes）", Required = true };
        var period = new Option<string>("--period") { Description = "时段：月 2024-03，季度 2024-Q1，年度 2024", Required = true };
        var xlsx = new Option<FileInfo?>("--xlsx") { Description = "写入考评结果 .xlsx" };
        var compute = new Command("compute", "考评结果：各单位分项、总分、排名（已发布的按发布时）") { scheme, period, xlsx };
        compute.SetAction(async (result, ct) =>
        {
            await using var scope = await cli.OpenAsync(result, ct);
            var table = await scope.ServiceProvider.GetRequiredService<AssessmentResults>()
                .GetAsync(result.GetValue(scheme), result.GetValue(period), CliContext.Operator, ct);
            if (result.GetValue(xlsx) is { } file)
            {
                await using (var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write))
                {
                    AssessmentResults.WriteXlsx(stream, table);
                }

                await cli.Output.WriteLineAsync($"已写入考评结果：{file.FullName}");
                return 0;
            }

            await PrintAsync(table);
            return 0;
        });

        var schemes = new Command("schemes", "考评办法列表");
        schemes.SetAction(async (result, ct) =>
        {
            await using var scope = await cli.OpenAsync(result, ct);
            foreach (var s in await scope.ServiceProvider.GetRequiredService<AssessmentSchemes>().ListAsync(ct))
            {
                await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Id}\t{s.Name}\t{s.Group}\t{SchemeJson.Label(s.PeriodKind)}\t{s.From:yyyy-MM-dd} 至 {(s.To is { } to ? to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "长期")}\t第 {s.Version} 版"));
            }

            return 0;
        });

        return new Command("assessment", "考评：考评办法、考评结果、红黄牌与目标任务")
        {
            compute, schemes, new AssessmentCardsCommand(cli).Create(), new TargetsCommand(cli).Create(),
        };
    }

    private async Task PrintAsync(AssessmentTable table)
    {
        var output = cli.Output;
        await output.WriteLineAsync($"{table.SchemeName}（第 {table.Version} 版）· {table.Group} · {table.Period.Label} · {(table.Published ? "已发布" : "未发布，按当前数据计算")}");
        if (table.IsEmpty)
        {
            await output.WriteLineAsync(AssessmentTable.EmptyNote);
        }

        await output.WriteLineAsync(string.Join('\t', "排名", "单位", "总分", "基础分", "指标得分", "评委得分", "加权得分", "积分", "调整"));
        static string N(double? v) => v?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";
        foreach (var r in table.Rows)
        {
            await output.WriteLineAsync(string.Join('\t', r.Rank?.ToString(CultureInfo.InvariantCulture) ?? "—", r.Name, N(r.Total), N(r.Base),
                N(r.MetricScore), N(r.JudgeScore), N(r.Weighted), N(r.Rules.Sum(x => x.Points)), N(r.Adjustment)));
        }
    }
}
