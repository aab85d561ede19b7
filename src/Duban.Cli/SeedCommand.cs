using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban seed synthetic</c>: a realistic organisation and history in an empty database, for load tests,
/// benchmarks and demonstrations at scale (see docs/CLI.md).</summary>
internal sealed class SeedCommand(CliContext cli)
{
    public Command Create()
    {
        var matters = new Option<int>("--matters") { Description = "事项数", DefaultValueFactory = _ => 10_000 };
        var units = new Option<int>("--units") { Description = "单位数（至少 5）", DefaultValueFactory = _ => 300 };
        var years = new Option<int>("--years") { Description = "历史年数", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "随机种子：同一种子、同一 --now 生成相同的数据", DefaultValueFactory = _ => 42 };
        var now = new Option<string?>("--now") { Description = "以此时刻为“现在”（默认当前时间），如 2026-12-01T10:00+08:00" };
        var appeals = new Option<FileInfo?>("--appeals") { Description = "标题与正文所依据的真实诉求 CSV（默认在上级目录中查找 shared/data/appeals-taidi2020/hot_issue_messages.csv）" };
        var synthetic = new Command("synthetic", "生成合成数据：单位、人员、企业包联、走访和带完整办理过程的事项（只写入空数据库）")
        {
            matters, units, years, seed, now, appeals,
        };
        synthetic.SetAction((result, ct) => SyntheticAsync(result, result.GetValue(matters), result.GetValue(units), result.GetValue(years),
            result.GetValue(seed), result.GetValue(now), result.GetValue(appeals), ct));
        return new Command("seed", "生成数据") { synthetic };
    }

    private async Task<int> SyntheticAsync(ParseResult result, int matters, int units, int years, int seed, string? now, FileInfo? appeals,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (matters < 1)
        {
            errors["matters"] = ["事项数至少为 1。"];
        }

        if (units < Synthetic.SyntheticOrganisation.MinUnits)
        {
            errors["units"] = [$"单位数至少为 {Synthetic.SyntheticOrganisation.MinUnits}。"];
        }

        if (years is < 1 or > 20)
        {
            errors["years"] = ["历史年数应在 1 到 20 之间。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var file = appeals?.FullName ?? SyntheticData.FindSharedData(SyntheticData.AppealsFileName)
            ?? throw ValidationFailedException.For("appeals",
                "找不到真实诉求数据 shared/data/appeals-taidi2020/hot_issue_messages.csv（程序所在目录和当前目录的各级上级目录中都没有）；请用 --appeals 指定文件。");
        var texts = SyntheticData.ReadAppeals(file);
        var at = cli.NowOr(now);

        await using var scope = await cli.OpenAsync(result, ct);
        var progress = new Progress(cli.Error, matters);
        var generated = await scope.ServiceProvider.GetRequiredService<SyntheticData>()
            .GenerateAsync(new SyntheticOptions(matters, units, years, seed, at), texts, progress, ct);
        var writeSeconds = generated.MattersTime.TotalSeconds;
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"已生成单位 {generated.Units} 个、事项 {generated.Matters} 件（节点 {generated.Milestones} 个、办理记录 {generated.Events} 条、诉求 {generated.Appeals} 件）、企业 {generated.Enterprises} 家、走访 {generated.Visits} 次、专项行动 {generated.Campaigns} 项（列入事项 {generated.CampaignTags} 件次）"));
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"用时：组织 {generated.OrganisationTime.TotalSeconds:0.0} 秒，事项 {writeSeconds:0.0} 秒（每秒 {generated.Matters / Math.Max(writeSeconds, 1e-9):0} 件），讲评计数重算 {generated.FactsTime.TotalSeconds:0.0} 秒"));
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"事项用时中：等待生成办理过程 {generated.MakingWait.TotalSeconds:0.0} 秒，写入数据行 {generated.InsertTime.TotalSeconds:0.0} 秒，提交（含审计记录）{generated.CommitTime.TotalSeconds:0.0} 秒，建索引 {generated.IndexTime.TotalSeconds:0.0} 秒"));
        foreach (var (userName, password) in generated.SignIns)
        {
            await cli.Output.WriteLineAsync($"登录：{userName} / {password}（只显示这一次）");
        }

        return 0;
    }

    /// <summary>Prints progress at most every 100,000 matters, on the caller's thread.</summary>
    private sealed class Progress(TextWriter error, int total) : IProgress<long>
    {
        private long _shown;

        public void Report(long value)
        {
            if (value - _shown >= 100_000 || (value == total && _shown > 0))
            {
                _shown = value;
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已写入 {value}/{total} 件事项"));
            }
        }
    }
}
