using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Duban.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary>
/// <c>duban report monthly|weekly|quarterly|yearly|range|matters|rebuild|fold</c>: the review (讲评) of a period as a
/// table on stdout, or written as the xlsx ledger and the .docx bulletin the API offers; the matter ledger; and the
/// upkeep of the review counters. Acts as the operator (an administrator), so every unit's figures are included.
/// </summary>
internal sealed class ReportCommand(CliContext cli)
{
    private readonly Option<string?> _group = new("--group") { Description = "只看这个单位分组，如 县（市、区）" };
    private readonly Option<FileInfo?> _xlsx = new("--xlsx") { Description = "写入讲评台账 .xlsx" };
    private readonly Option<FileInfo?> _docx = new("--docx") { Description = "写入讲评通报 .docx" };
    private readonly Option<string?> _cases = new("--cases") { Description = "通报的典型案例，事项编号以逗号分隔" };
    private readonly Option<int?> _number = new("--number") { Description = "通报文号的序号，如 3 → 督查通报〔2024〕3号" };
    private readonly Option<string?> _issuer = new("--issuer") { Description = "通报落款（默认 督查室）" };
    private readonly Option<string?> _from = new("--from") { Description = "开始日期，如 2024-03-01" };
    private readonly Option<string?> _to = new("--to") { Description = "结束日期，如 2024-03-15" };

    public Command Create()
    {
        var monthly = Period("monthly", "月讲评，如 --month 2024-03", "--month", "月份，如 2024-03", ReviewPeriod.ParseMonth);
        var weekly = Period("weekly", "周讲评，如 --week 2024-W10", "--week", "周次，如 2024-W10", ReviewPeriod.ParseWeek);
        var quarterly = Period("quarterly", "季度讲评，如 --quarter 2024-Q1", "--quarter", "季度，如 2024-Q1", ReviewPeriod.ParseQuarter);
        var yearly = Period("yearly", "年度讲评，如 --year 2024", "--year", "年度，如 2024", ReviewPeriod.ParseYear);

        var range = new Command("range", "任意时段讲评，如 --from 2024-03-01 --to 2024-03-15")
        {
            _from, _to, _group, _xlsx, _docx, _cases, _number, _issuer,
        };
        range.SetAction((result, ct) => ReviewAsync(result, today => ReviewPeriod.ParseRange(result.GetValue(_from), result.GetValue(_to), today), ct));

        var ledgerFile = new Option<FileInfo>("--xlsx") { Description = "写入事项台账 .xlsx", Required = true };
        var matters = new Command("matters", "事项台账（全部事项；--from/--to 按交办时间筛选）")
        {
            ledgerFile, _from, _to,
        };
        matters.SetAction((result, ct) => LedgerAsync(result, result.GetValue(ledgerFile)!, ct));

        var rebuild = new Command("rebuild", "按事项记录重算全部讲评计数（期间暂停写入）");
        rebuild.SetAction(RebuildAsync);
        var fold = new Command("fold", "把待汇总的计数并入每日计数（与网站的定时任务相同）");
        fold.SetAction(FoldAsync);

        return new Command("report", "讲评：排名表、台账、通报与讲评计数")
        {
            monthly, weekly, quarterly, yearly, range, matters, rebuild, fold,
        };
    }

    private Command Period(string name, string description, string optionName, string optionDescription, Func<string?, DateOnly, ReviewPeriod> parse)
    {
        var key = new Option<string?>(optionName) { Description = optionDescription, Required = true };
        var command = new Command(name, description) { key, _group, _xlsx, _docx, _cases, _number, _issuer };
        command.SetAction((result, ct) => ReviewAsync(result, today => parse(result.GetValue(key), today), ct));
        return command;
    }

    private async Task<int> ReviewAsync(ParseResult result, Func<DateOnly, ReviewPeriod> period, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var services = scope.ServiceProvider;
        var reviews = services.GetRequiredService<ReviewQueries>();
        var reviewPeriod = period(reviews.Today);
        var group = result.GetValue(_group);
        var review = await reviews.GetAsync(reviewPeriod, group, CliContext.Operator, ct);
        var xlsx = result.GetValue(_xlsx);
        var docx = result.GetValue(_docx);
        if (xlsx is null && docx is null)
        {
            await PrintAsync(review);
            return 0;
        }

        if (xlsx is not null)
        {
            await using (var file = new FileStream(xlsx.FullName, FileMode.Create, FileAccess.Write))
            {
                await ReviewWorkbook.WriteAsync(file, review, services.GetRequiredService<ReviewOptions>(), ct);
            }

            await cli.Output.WriteLineAsync($"已写入讲评台账：{xlsx.FullName}");
        }

        if (docx is not null)
        {
            var db = services.GetRequiredService<DubanDbContext>();
            var cases = await ReviewBulletin.CasesAsync(db, (result.GetValue(_cases) ?? "").Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries),
                CliContext.Operator, ct);
            var previous = await reviews.GetAsync(reviewPeriod.Previous(), group, CliContext.Operator, ct);
            var options = new BulletinOptions
            {
                Number = result.GetValue(_number),
                Issuer = result.GetValue(_issuer) is { Length: > 0 } issuer ? issuer : "督查室",
                Date = reviews.Today,
                Cases = cases,
            };
            await using (var file = new FileStream(docx.FullName, FileMode.Create, FileAccess.Write))
            {
                await ReviewBulletin.WriteAsync(file, review, previous, options, ct);
            }

            await cli.Output.WriteLineAsync($"已写入讲评通报：{docx.FullName}");
        }

        return 0;
    }

    /// <summary>The review as a plain, tab-separated table: one block per group, then its red and black lists.</summary>
    private async Task PrintAsync(Review review)
    {
        var output = cli.Output;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{review.Period.Label}讲评（{review.Period.From:yyyy-MM-dd} 至 {review.Period.To:yyyy-MM-dd}，计算日期 {review.Today:yyyy-MM-dd}）"));
        if (review.IsEmpty)
        {
            await output.WriteLineAsync(Review.EmptyNote);
        }

        var metrics = Enum.GetValues<Metric>();
        foreach (var group in review.Groups)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"【{group.Name}】");
            await output.WriteLineAsync(string.Join('\t', new[] { ReviewWorkbook.RankHead, ReviewWorkbook.ChangeHead, ReviewWorkbook.UnitHead, ReviewWorkbook.ScoreHead }
                .Concat(metrics.Select(Metrics.Label))));
            foreach (var row in group.Rows)
            {
                await output.WriteLineAsync(string.Join('\t', new[]
                    {
                        row.Rank?.ToString(CultureInfo.InvariantCulture) ?? ReviewWorkbook.NoValue,
                        ReviewWorkbook.Change(row.RankChange),
                        row.Unit.Name,
                        row.Score?.ToString("0.00", CultureInfo.InvariantCulture) ?? ReviewWorkbook.NoValue,
                    }
                    .Concat(metrics.Select(m => Metrics.Format(m, row.Metrics?.Value(m))))));
            }

            await output.WriteLineAsync($"红榜：{Names(group.Red)}");
            await output.WriteLineAsync($"黑榜：{Names(group.Black)}");
            if (group.Note is { } note)
            {
                await output.WriteLineAsync(note);
            }
        }
    }

    private static string Names(IReadOnlyList<ReviewRow> rows) => rows.Count == 0 ? "无" : string.Join("、", rows.Select(r => r.Unit.Name));

    private async Task<int> LedgerAsync(ParseResult result, FileInfo target, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var services = scope.ServiceProvider;
        var (from, to) = (result.GetValue(_from), result.GetValue(_to));
        var period = from is null && to is null ? null : ReviewPeriod.ParseRange(from, to, services.GetRequiredService<ReviewQueries>().Today);
        long count;
        await using (var file = new FileStream(target.FullName, FileMode.Create, FileAccess.Write))
        {
            count = await services.GetRequiredService<MatterLedger>().WriteAsync(file, period, CliContext.Operator, ct);
        }

        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"已导出事项 {count} 件：{target.FullName}"));
        return 0;
    }

    private async Task<int> RebuildAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var services = scope.ServiceProvider;
        var progress = new SynchronousProgress(done => cli.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已重算 {done} 件事项")));
        var replayed = await FactStore.RebuildAsync(services.GetRequiredService<DubanDbContext>(), services.GetRequiredService<Rules>(),
            services.GetRequiredService<ReviewOptions>().Facts, progress, ct);
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"讲评计数已重算，共 {replayed} 件事项"));
        return 0;
    }

    private async Task<int> FoldAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var folded = await FactStore.FoldAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), null, ct);
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"已汇总计数 {folded} 条"));
        return 0;
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool and print late).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
