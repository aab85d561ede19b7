using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Api;

/// <summary>考评: schemes (考评办法) and their versions, results (考评结果) computed or published, adjustments, judging.</summary>
public static class AssessmentApi
{
    public sealed record PublishBody(long Scheme, string? Period);

    public sealed record AdjustmentBody(long Scheme, string? Period, string? Unit, double? Points, string? Reason);

    public sealed record JudgingBody(long Scheme, string? Period, string? Title, IReadOnlyList<string>? Units, IReadOnlyList<string>? Judges);

    public sealed record ScoreBody(string? Unit, Dictionary<string, double>? Scores);

    public sealed record EntryBody(string? Stage, string? Text);

    public sealed record DecisionBody(bool Shortlisted, string? Reason);

    public sealed record TextBody(string? Text);

    public static IEndpointRouteBuilder MapAssessmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/assessment").RequireAuthorization(ApiAuth.Policy).WithTags("Assessment");

        api.MapGet("/schemes", async (AssessmentSchemes schemes, CancellationToken ct) =>
                TypedResults.Ok((await schemes.ListAsync(ct)).Select(SchemeJsonOf)))
            .WithSummary("考评办法列表 / every scheme with its current rules");

        api.MapPost("/schemes", async Task<Created<object>> (SchemeInput body, HttpContext http, AssessmentSchemes schemes, CancellationToken ct) =>
        {
            var id = await schemes.CreateAsync(body, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/schemes/{id}"), SchemeJsonOf(await schemes.GetAsync(id, ct)));
        }).WithSummary("制定考评办法（name, group, period=month|quarter|year, from, to, base, components, pointRules, judging）/ create a scheme");

        api.MapGet("/schemes/{id:long}", async (long id, AssessmentSchemes schemes, CancellationToken ct) =>
                TypedResults.Ok(SchemeJsonOf(await schemes.GetAsync(id, ct))))
            .WithSummary("考评办法及其各版本 / one scheme with its versions");

        api.MapPut("/schemes/{id:long}", async (long id, int? version, SchemeInput body, HttpContext http, AssessmentSchemes schemes, CancellationToken ct) =>
        {
            await schemes.ReviseAsync(id, body, version, http.User.ToActor(), ct);
            return TypedResults.Ok(SchemeJsonOf(await schemes.GetAsync(id, ct)));
        }).WithSummary("修订考评办法：规则成为新版本，已发布的结果不变（version= 防止覆盖他人的修改）/ revise a scheme");

        api.MapGet("/results", async Task<IResult> (long scheme, string? period, string? format, HttpContext http, AssessmentResults results,
            CancellationToken ct) =>
        {
            var table = await results.GetAsync(scheme, period, http.User.ToActor(), ct);
            if (format is "xlsx")
            {
                var file = new MemoryStream();
                AssessmentResults.WriteXlsx(file, table);
                file.Position = 0;
                return TypedResults.File(file, ReviewWorkbook.ContentType, AssessmentResults.FileName(table));
            }

            return format is null or "json"
                ? TypedResults.Ok(TableJson(table))
                : throw ValidationFailedException.For("format", "格式只能是 json 或 xlsx。");
        }).WithSummary("考评结果：各单位分项、总分、排名；已发布的按发布时冻结（scheme=, period=2024-03|2024-Q1|2024; format=xlsx）");

        api.MapPost("/results/publish", async (PublishBody body, HttpContext http, AssessmentResults results, CancellationToken ct) =>
                TypedResults.Ok(TableJson(await results.PublishAsync(body.Scheme, body.Period, http.User.ToActor(), ct))))
            .WithSummary("发布考评结果：时段结束后发布一次，之后不再变化 / publish a period's result once");

        api.MapGet("/adjustments", async (long scheme, string? period, HttpContext http, AssessmentResults results, CancellationToken ct) =>
                TypedResults.Ok((await results.AdjustmentsAsync(scheme, period, http.User.ToActor(), ct)).Select(a => new
                {
                    id = a.Id, unit = a.Unit, points = a.Points, reason = a.Reason, at = a.At, by = a.ByName,
                })))
            .WithSummary("加减分调整记录 / the adjustments of a period");

        api.MapPost("/adjustments", async Task<Created<object>> (AdjustmentBody body, HttpContext http, AssessmentResults results, DubanDbContext db,
            CancellationToken ct) =>
        {
            var unit = await UnitIdAsync(db, body.Unit, "unit", ct);
            var id = await results.AdjustAsync(body.Scheme, body.Period, unit, body.Points, body.Reason, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/adjustments?scheme={body.Scheme}&period={body.Period}"), (object)new { id });
        }).WithSummary("加减分调整（scheme, period, unit=单位代码, points, reason）：作为记录保存，不可修改 / adjust a unit's points");

        api.MapGet("/judging", async (HttpContext http, JudgingSessions judging, CancellationToken ct) =>
                TypedResults.Ok((await judging.ListAsync(http.User.ToActor(), ct)).Select(s => new
                {
                    id = s.Id, title = s.Title, period = s.PeriodKey, status = s.Status == JudgingStatus.Open ? "open" : "closed", isJudge = s.IsJudge,
                })))
            .WithSummary("评审列表：评委看到自己参加的，督查室和领导看到全部 / judging sessions");

        api.MapPost("/judging", async Task<Created<object>> (JudgingBody body, HttpContext http, JudgingSessions judging, DubanDbContext db, CancellationToken ct) =>
        {
            var units = new List<long>();
            foreach (var code in body.Units ?? [])
            {
                units.Add(await UnitIdAsync(db, code, "units", ct));
            }

            var names = body.Judges ?? [];
            var users = await db.Users.AsNoTracking().Where(u => names.Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.Id, ct);
            if (names.FirstOrDefault(n => !users.ContainsKey(n)) is { } unknown)
            {
                throw ValidationFailedException.For("judges", $"没有账号「{unknown}」。");
            }

            var actor = http.User.ToActor();
            var id = await judging.OpenAsync(new NewJudgingSession(body.Scheme, body.Period, body.Title, units, names.Select(n => users[n]).ToList()), actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/judging/{id}"), SessionJson(await judging.GetAsync(id, actor, ct)));
        }).WithSummary("开启评审（scheme, period, title, units=单位代码, judges=评委账号）/ open a judging session");

        api.MapGet("/judging/{id:long}", async (long id, HttpContext http, JudgingSessions judging, CancellationToken ct) =>
                TypedResults.Ok(SessionJson(await judging.GetAsync(id, http.User.ToActor(), ct))))
            .WithSummary("评审详情：评分中评委只看到自己的打分 / one session");

        api.MapPost("/judging/{id:long}/scores", async (long id, ScoreBody body, HttpContext http, JudgingSessions judging, DubanDbContext db, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await judging.ScoreAsync(id, await UnitIdAsync(db, body.Unit, "unit", ct), body.Scores, actor, ct);
            return TypedResults.Ok(SessionJson(await judging.GetAsync(id, actor, ct)));
        }).WithSummary("评委打分（unit=单位代码, scores={评分项: 分数}）：每位评委对每个单位只能打一次 / a judge's scores");

        api.MapPost("/judging/{id:long}/close", async (long id, HttpContext http, JudgingSessions judging, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await judging.CloseAsync(id, actor, ct);
            return TypedResults.Ok(SessionJson(await judging.GetAsync(id, actor, ct)));
        }).WithSummary("结束评审：分数生效并计入考评结果 / close a session");

        MapCompetitions(api);
        return app;
    }

    private static void MapCompetitions(RouteGroupBuilder api)
    {
        api.MapGet("/competitions", async (AssessmentCompetitions competitions, CancellationToken ct) =>
                TypedResults.Ok((await competitions.ListAsync(ct)).Select(c => new { id = c.Id, name = c.Name, group = c.Group, status = StatusKey(c.Status) })))
            .WithSummary("比拼列表 / the competitions");

        api.MapPost("/competitions", async Task<Created<object>> (CompetitionInput body, HttpContext http, AssessmentCompetitions competitions, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var id = await competitions.CreateAsync(body, actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/competitions/{id}"), CompetitionJson(await competitions.GetAsync(id, actor, ct)));
        }).WithSummary("新建比拼（name, group, stages=[{period, label, weight, scheme}], awards=[{name, count}], publicityDays）/ create a competition");

        api.MapGet("/competitions/{id:long}", async (long id, HttpContext http, AssessmentCompetitions competitions, CancellationToken ct) =>
                TypedResults.Ok(CompetitionJson(await competitions.GetAsync(id, http.User.ToActor(), ct))))
            .WithSummary("比拼详情：各阶段与总排名、申报、异议 / one competition with its standings");

        api.MapPost("/competitions/{id:long}/entries", async Task<Created<object>> (long id, EntryBody body, HttpContext http, AssessmentCompetitions competitions,
            CancellationToken ct) =>
        {
            var entry = await competitions.EnterAsync(id, body.Stage, body.Text, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/competitions/{id}"), (object)new { id = entry });
        }).WithSummary("自评申报（stage=2024-Q1, text）：每个单位每个阶段一次；附件另以 POST /api/assessment/competitions/entries/{entry}/attachments 上传 / a unit enters a stage");

        api.MapPost("/competitions/entries/{entry:long}/decide", async (long entry, DecisionBody body, HttpContext http, AssessmentCompetitions competitions,
            CancellationToken ct) =>
        {
            await competitions.DecideAsync(entry, body.Shortlisted, body.Reason, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("择优筛选（shortlisted, reason）/ shortlist an entry or not");

        api.MapPost("/competitions/{id:long}/publish", async (long id, HttpContext http, AssessmentCompetitions competitions, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await competitions.PublishAsync(id, actor, ct);
            return TypedResults.Ok(CompetitionJson(await competitions.GetAsync(id, actor, ct)));
        }).WithSummary("公示比拼结果：排名冻结，公示期内可提出异议 / publish the standings for objections");

        api.MapPost("/competitions/{id:long}/objections", async Task<Created<object>> (long id, TextBody body, HttpContext http, AssessmentCompetitions competitions,
            CancellationToken ct) =>
        {
            var objection = await competitions.ObjectAsync(id, body.Text, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/competitions/{id}"), (object)new { id = objection });
        }).WithSummary("提出异议（text）：公示期内 / object during the publicity");

        api.MapPost("/competitions/objections/{objection:long}/answer", async (long objection, TextBody body, HttpContext http,
            AssessmentCompetitions competitions, CancellationToken ct) =>
        {
            await competitions.AnswerAsync(objection, body.Text, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("答复异议（text）/ answer an objection");

        api.MapPost("/competitions/{id:long}/finalize", async (long id, HttpContext http, AssessmentCompetitions competitions, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await competitions.FinalizeAsync(id, actor, ct);
            return TypedResults.Ok(CompetitionJson(await competitions.GetAsync(id, actor, ct)));
        }).WithSummary("确定比拼结果：公示期满、异议均已答复后 / fix the final ranking");
    }

    private static string StatusKey(CompetitionStatus status) => status switch
    {
        CompetitionStatus.Running => "running",
        CompetitionStatus.Publicised => "publicised",
        _ => "final",
    };

    private static object CompetitionJson(CompetitionView c) => new
    {
        id = c.Id,
        name = c.Name,
        group = c.Group,
        status = StatusKey(c.Status),
        stages = c.Stages.Select(s => new { period = s.Key, label = s.Label, weight = s.Weight, scheme = s.Scheme }),
        awards = c.Awards.Select(a => new { name = a.Name, count = a.Count }),
        publicityDays = c.PublicityDays,
        publicityEnds = c.PublicityEnds,
        standingsPublished = c.StandingsPublished,
        standings = c.Standings.Select(s => new { unit = s.Unit, stages = s.Stages, final = s.Final, rank = s.Rank, award = s.Award }),
        entries = c.Entries.Select(e => new
        {
            id = e.Id, stage = e.StageKey, unit = e.Unit, text = e.Text,
            status = e.Status switch { EntryStatus.Shortlisted => "shortlisted", EntryStatus.NotShortlisted => "notShortlisted", _ => "submitted" },
            reason = e.Reason, submittedAt = e.SubmittedAt, submittedBy = e.SubmittedBy, files = e.Files,
        }),
        objections = c.Objections.Select(o => new { id = o.Id, unit = o.Unit, text = o.Text, filedAt = o.FiledAt, filedBy = o.FiledBy, answer = o.Answer, answeredAt = o.AnsweredAt }),
        version = c.Version,
    };

    private static async Task<long> UnitIdAsync(DubanDbContext db, string? code, string field, CancellationToken ct)
    {
        var c = code?.Trim();
        return await db.Units.AsNoTracking().Where(u => u.Code == c).Select(u => (long?)u.Id).SingleOrDefaultAsync(ct)
            ?? throw ValidationFailedException.For(field, $"没有单位「{code}」。");
    }

    private static object SchemeJsonOf(SchemeView s) => new
    {
        id = s.Id,
        name = s.Name,
        group = s.Group,
        period = SchemeJson.Key(s.PeriodKind),
        from = s.From,
        to = s.To,
        owner = s.Owner,
        version = s.Version,
        rules = RulesJson(s.Rules),
        versions = s.Versions.Select(v => new { id = v.Id, version = v.Version, note = v.Note, createdAt = v.CreatedAt, createdBy = v.CreatedBy, rules = RulesJson(v.Rules) }),
        createdAt = s.CreatedAt,
        createdBy = s.CreatedBy,
    };

    private static object RulesJson(SchemeRules r) => new
    {
        @base = r.Base,
        components = r.Components.Select(c => new
        {
            metric = Metrics.Key(c.Metric), label = Metrics.Label(c.Metric), weight = c.Weight,
            mapping = c.Mapping == PointMapping.Rank ? "rank" : "linear", floor = c.Floor, target = c.Target,
        }),
        pointRules = r.PointRules.Select(p => new { @event = SchemeJson.Key(p.Event), label = Scoring.Label(p.Event), points = p.Points, cap = p.Cap }),
        judging = r.Judging is { } j
            ? new
            {
                weight = j.Weight,
                criteria = j.Criteria.Select(c => new { name = c.Name, max = c.Max }),
                combination = j.Combination == JudgeCombination.Mean ? "mean" : "dropHighestAndLowest",
            }
            : null,
    };

    private static object TableJson(AssessmentTable t) => new
    {
        scheme = new { id = t.SchemeId, name = t.SchemeName, group = t.Group, version = t.Version },
        period = new { key = t.Period.Key, label = t.Period.Label, from = t.Period.From, to = t.Period.To },
        published = t.Published,
        publishedAt = t.PublishedAt,
        publishedBy = t.PublishedBy,
        note = t.IsEmpty ? AssessmentTable.EmptyNote : null,
        rows = t.Rows.Select(r => new
        {
            unit = new { id = r.UnitId, code = r.Code, name = r.Name },
            rank = r.Rank,
            total = r.Total,
            @base = r.Base,
            metricScore = r.MetricScore,
            judgeScore = r.JudgeScore,
            weighted = r.Weighted,
            adjustment = r.Adjustment,
            components = r.Components.Select(c => new { metric = Metrics.Key(c.Metric), weight = c.Weight, value = c.Value, points = c.Points }),
            pointRules = r.Rules.Select(x => new { @event = SchemeJson.Key(x.Event), count = x.Count, points = x.Points, capped = x.Capped }),
        }),
    };

    private static object SessionJson(JudgingSessionView s) => new
    {
        id = s.Id,
        scheme = new { id = s.SchemeId, name = s.SchemeName },
        period = s.PeriodKey,
        title = s.Title,
        status = s.Status == JudgingStatus.Open ? "open" : "closed",
        criteria = s.Rules.Criteria.Select(c => new { name = c.Name, max = c.Max }),
        combination = s.Rules.Combination == JudgeCombination.Mean ? "mean" : "dropHighestAndLowest",
        entries = s.Entries.Select(e => new { unit = e.Unit, combined = e.Combined, scored = e.Scored }),
        judges = s.Judges.Select(j => new { id = j.UserId, name = j.Name }),
        scores = s.Scores.Select(x => new { unit = x.UnitId, judge = x.JudgeName, scores = x.Scores, total = x.Total, at = x.At }),
        isJudge = s.IsJudge,
        openedAt = s.OpenedAt,
        closedAt = s.ClosedAt,
    };
}
