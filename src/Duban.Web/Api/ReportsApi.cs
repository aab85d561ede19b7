using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Api;

/// <summary>Reviews (讲评) and rankings over a week, month, quarter, year or date range, and the matters behind each number.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports").RequireAuthorization(ApiAuth.Policy).WithTags("Reports");

        api.MapGet("/monthly", (string? month, string? group, string? format, string? cases, string? number, string? issuer, int? size, HttpContext http,
                ReviewQueries reviews, ReviewOptions options, DubanDbContext db, CancellationToken ct) =>
                AnswerAsync(ReviewPeriod.ParseMonth(month, reviews.Today), group, new Pack(format, cases, number, issuer, size), http, reviews, options, db, ct))
            .WithSummary("月讲评：各单位指标、组内排名、位次变化、红黑榜 / the monthly review (month=2024-03; format=xlsx|docx, cases=, number=)");
        api.MapGet("/weekly", (string? week, string? group, string? format, string? cases, string? number, string? issuer, int? size, HttpContext http,
                ReviewQueries reviews, ReviewOptions options, DubanDbContext db, CancellationToken ct) =>
                AnswerAsync(ReviewPeriod.ParseWeek(week, reviews.Today), group, new Pack(format, cases, number, issuer, size), http, reviews, options, db, ct))
            .WithSummary("周讲评 / the weekly review (week=2024-W10; format=xlsx|docx)");
        api.MapGet("/quarterly", (string? quarter, string? group, string? format, string? cases, string? number, string? issuer, int? size, HttpContext http,
                ReviewQueries reviews, ReviewOptions options, DubanDbContext db, CancellationToken ct) =>
                AnswerAsync(ReviewPeriod.ParseQuarter(quarter, reviews.Today), group, new Pack(format, cases, number, issuer, size), http, reviews, options, db, ct))
            .WithSummary("季度讲评 / the quarterly review (quarter=2024-Q1; format=xlsx|docx)");
        api.MapGet("/yearly", (string? year, string? group, string? format, string? cases, string? number, string? issuer, int? size, HttpContext http,
                ReviewQueries reviews, ReviewOptions options, DubanDbContext db, CancellationToken ct) =>
                AnswerAsync(ReviewPeriod.ParseYear(year, reviews.Today), group, new Pack(format, cases, number, issuer, size), http, reviews, options, db, ct))
            .WithSummary("年度讲评 / the yearly review (year=2024; format=xlsx|docx)");
        api.MapGet("/range", (string? from, string? to, string? group, string? format, string? cases, string? number, string? issuer, int? size, HttpContext http,
                ReviewQueries reviews, ReviewOptions options, DubanDbContext db, CancellationToken ct) =>
                AnswerAsync(ReviewPeriod.ParseRange(from, to, reviews.Today), group, new Pack(format, cases, number, issuer, size), http, reviews, options, db, ct))
            .WithSummary("任意时段讲评 / the review of a date range (from=2024-03-01&to=2024-03-15; format=xlsx|docx)");

        api.MapGet("/matters.xlsx", async (string? from, string? to, HttpContext http, ReviewQueries reviews, MatterLedger ledger, CancellationToken ct) =>
        {
            var period = from is null && to is null ? null : ReviewPeriod.ParseRange(from, to, reviews.Today);
            var file = TempFile();
            await ledger.WriteAsync(file, period, http.User.ToActor(), ct);
            file.Position = 0;
            return TypedResults.File(file, MatterLedger.ContentType, MatterLedger.FileName(period));
        }).WithSummary("事项台账（xlsx，全部类型，仅本人可见的事项；from/to 按交办时间筛选）/ the matter ledger (from=&to=, both or neither)");

        api.MapGet("/drilldown", async (string? unit, string? period, string? metric, string? role, HttpContext http, ReviewQueries reviews,
            CancellationToken ct) =>
        {
            var drill = await reviews.DrillDownAsync(unit, period, metric, role, http.User.ToActor(), ct);
            return TypedResults.Ok(new
            {
                unit = drill.Unit,
                period = PeriodJson(drill.Period),
                metric = new { key = Metrics.Key(drill.Metric), label = Metrics.Label(drill.Metric) },
                role = drill.Role == FactRole.Lead ? "lead" : "co",
                value = drill.Value,
                display = Metrics.Format(drill.Metric, drill.Value),
                matters = drill.Rows.Select(r => new
                {
                    id = r.MatterId,
                    code = r.Code,
                    title = r.Title,
                    facts = FactsJson(r.Facts),
                    note = r.Note,
                    at = r.At,
                }),
            });
        }).WithSummary("讲评数字背后的事项 / the matters behind one number (unit, period=2024-03, metric, role=lead|co)");

        // 驾驶舱 (dashboard): one block, kept apart from the review endpoints above.
        api.MapGet("/dashboard", async (HttpContext http, DashboardQueries dashboard, CancellationToken ct) =>
                TypedResults.Ok(await dashboard.GetAsync(http.User.ToActor(), ct)))
            .WithSummary("驾驶舱：状态、超期单位前十、近12个月趋势、分类、热点、本月红黑榜 / the dashboard (leaders, the office, admins)");

        return app;
    }

    /// <summary>What a review download asks for: <c>format=xlsx|docx</c>, and for the bulletin the typical cases, the
    /// issue number and the issuer.</summary>
    private sealed record Pack(string? Format, string? Cases, string? Number, string? Issuer, int? Size);

    private static async Task<IResult> AnswerAsync(ReviewPeriod period, string? group, Pack pack, HttpContext http, ReviewQueries reviews,
        ReviewOptions options, DubanDbContext db, CancellationToken ct)
    {
        var format = pack.Format?.Trim().ToLowerInvariant();
        if (format is not (null or "" or "json" or "xlsx" or "docx"))
        {
            throw ValidationFailedException.For("format", $"格式「{pack.Format}」无法识别：xlsx 为讲评台账，docx 为讲评通报，不填为数据。");
        }

        var actor = http.User.ToActor();
        if (format is "xlsx" or "docx" && !AccessRules.MayAssign(actor))
        {
            // One rule for the packs: they show every unit's figures, so only the office, leaders and administrators get them.
            throw new ForbiddenException("讲评台账和讲评通报含各单位的全部指标，只有督查室、领导和系统管理员可以下载；本单位的排名和指标请在讲评页面查看。");
        }

        int? number = null;
        if (format == "docx" && !string.IsNullOrWhiteSpace(pack.Number))
        {
            number = int.TryParse(pack.Number.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100000
                ? n
                : throw ValidationFailedException.For("number", $"文号序号「{pack.Number}」应为正整数，如 3。");
        }

        var review = await reviews.GetAsync(period, group, actor, ct, pack.Size);
        switch (format)
        {
            case "xlsx":
            {
                var file = new MemoryStream();
                await ReviewWorkbook.WriteAsync(file, review, options, ct);
                file.Position = 0;
                return TypedResults.File(file, ReviewWorkbook.ContentType, ReviewWorkbook.FileName(period));
            }

            case "docx":
            {
                var cases = await ReviewBulletin.CasesAsync(db, (pack.Cases ?? "").Split([',', '，', ' ', ';', '；'], StringSplitOptions.RemoveEmptyEntries), actor, ct);
                var previous = await reviews.GetAsync(period.Previous(), group, actor, ct, pack.Size);
                var issuer = pack.Issuer?.Trim() is { Length: > 0 and <= 40 } i
                    ? i
                    : await db.Units.Where(u => u.Id == actor.UnitId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "督查室";
                var file = new MemoryStream();
                await ReviewBulletin.WriteAsync(file, review, previous, new BulletinOptions { Number = number, Issuer = issuer, Date = reviews.Today, Cases = cases }, ct);
                file.Position = 0;
                return TypedResults.File(file, ReviewBulletin.ContentType, ReviewBulletin.FileName(period));
            }

            default:
                return TypedResults.Ok(ReviewJson(review));
        }
    }

    /// <summary>A temporary file removed when closed: the ledger is written there (synchronously, as MiniExcel's sound
    /// writer works) and then sent.</summary>
    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"duban-ledger-{Guid.NewGuid():N}.xlsx"), FileMode.CreateNew,
        FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    /// <summary>The review as the API answers it: rates as numbers from 0 to 1 or null, never 0 for "nothing to divide".</summary>
    public static object ReviewJson(Review review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return new
        {
            period = PeriodJson(review.Period),
            today = review.Today,
            isEmpty = review.IsEmpty,
            note = review.IsEmpty ? Review.EmptyNote : null,
            fullView = review.FullView,
            metrics = Enum.GetValues<Metric>().Select(m => new { key = Metrics.Key(m), label = Metrics.Label(m), isRate = Metrics.IsRate(m) }),
            totals = review.Totals is { } t ? MetricsJson(t) : null,
            groups = review.Groups.Select(g => new
            {
                name = g.Name,
                note = g.Note,
                units = g.Rows.Count,
                red = g.Red.Select(r => r.Unit.Code),
                black = g.Black.Select(r => r.Unit.Code),
            }),
            rows = review.Rows.Select(RowJson),
        };
    }

    private static Dictionary<string, object?> RowJson(ReviewRow row)
    {
        var json = new Dictionary<string, object?>
        {
            ["unit"] = row.Unit,
            ["group"] = row.Group,
            ["score"] = row.Score,
            ["rank"] = row.Rank,
            ["previousRank"] = row.PreviousRank,
            ["rankChange"] = row.RankChange,
            ["isReader"] = row.IsReader,
            ["hidden"] = row.Metrics is null,
        };
        if (row.Metrics is { } metrics)
        {
            foreach (var (key, value) in MetricsJson(metrics))
            {
                json[key] = value;
            }
        }

        json["co"] = row.CoMetrics is { } co ? MetricsJson(co) : null;
        return json;
    }

    private static Dictionary<string, object?> MetricsJson(UnitMetrics metrics) =>
        Enum.GetValues<Metric>().ToDictionary(Metrics.Key, m => (object?)metrics.Value(m));

    private static Dictionary<string, long> FactsJson(UnitFacts facts) =>
        Enum.GetValues<Fact>().Where(f => facts[f] != 0).ToDictionary(f => char.ToLowerInvariant(f.ToString()[0]) + f.ToString()[1..], f => facts[f]);

    private static object PeriodJson(ReviewPeriod period) => new
    {
        kind = period.Kind.ToString().ToLowerInvariant(),
        key = period.Key,
        label = period.Label,
        from = period.From,
        to = period.To,
    };
}
