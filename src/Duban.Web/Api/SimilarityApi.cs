using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>Similar matters (相似案件), batches (点办理、批处理) and hot issues (热点).</summary>
public static class SimilarityApi
{
    public sealed record CompleteBody(string? Answer);

    public sealed record BatchCompletion(long BatchId, int Completed, int Skipped, IReadOnlyList<BatchOutcome> Outcomes);

    public static IEndpointRouteBuilder MapSimilarityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Similar cases");

        api.MapGet("/matters/{id:long}/similar", async (long id, string? top, HttpContext http, SimilarMatters similar, CancellationToken ct) =>
        {
            var count = 10;
            if (top is not null && !(int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= SimilarMatters.MaxTop))
            {
                throw ValidationFailedException.For("top", $"必须是 1–{SimilarMatters.MaxTop} 的整数。");
            }

            return TypedResults.Ok(await similar.TopAsync(id, count, http.User.ToActor(), ct));
        }).WithSummary("相似事项（含已办结）/ the most similar matters the caller may see");

        api.MapPost("/batches", async Task<Created<BatchView>> (NewBatch body, HttpContext http, Batches batches, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var id = await batches.CreateAsync(body ?? new NewBatch(null, null), actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/batches/{id}"), await batches.GetAsync(id, actor, ct));
        }).WithSummary("建立批处理：典型事项及同类事项 / make a batch of matters like a typical one");

        api.MapGet("/batches/{id:long}", async (long id, HttpContext http, Batches batches, CancellationToken ct) =>
            TypedResults.Ok(await batches.GetAsync(id, http.User.ToActor(), ct)))
            .WithSummary("批处理详情 / a batch");

        api.MapPost("/batches/{id:long}/complete", async (long id, CompleteBody body, HttpContext http, Batches batches, CancellationToken ct) =>
        {
            var outcomes = await batches.CompleteAsync(id, body?.Answer, http.User.ToActor(), ct);
            return TypedResults.Ok(new BatchCompletion(id, outcomes.Count(o => o.Outcome == "completed"), outcomes.Count(o => o.Outcome != "completed"), outcomes));
        }).WithSummary("以同一答复办结整批（逐件走办结流程）/ complete every member with one answer");

        api.MapGet("/hot-issues", async (string? from, string? to, string? region, HttpContext http, HotIssueQueries hot, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var start = Instant(from, "from", errors);
            var end = Instant(to, "to", errors);
            if (errors.Count == 0 && end <= start)
            {
                errors["to"] = ["结束时间必须晚于开始时间。"];
            }

            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }

            return TypedResults.Ok(await hot.RankAsync(start, end, region, http.User.ToActor(), ct));
        }).WithSummary("热点问题：一段时间、一个地区内的相似诉求群，按件数和点赞排序 / hot issues");
        return app;
    }

    /// <summary>A date (the start of that day in Beijing time) or an instant.</summary>
    private static DateTimeOffset Instant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (Calendar.ChinaTime.TryParseDate(text, out var date))
        {
            return Calendar.ChinaTime.StartOf(date);
        }

        if (text is not null && Calendar.ChinaTime.TryParseInstant(text, out var instant))
        {
            return instant;
        }

        errors[field] = ["必须是日期（如 2024-03-01）或时间（如 2024-03-01T00:00+08:00）。"];
        return default;
    }
}
