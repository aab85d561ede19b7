using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>包联: enterprises, cadres' pairings over time, visits with problems registered as appeals, coverage.</summary>
public static class PairingApi
{
    public sealed record EnterpriseBody(string? Name, string? CreditCode, string? Region);

    public sealed record PairBody(string? Cadre, string? From);

    public sealed record VisitBody(long EnterpriseId, string? Date, string? Content, IReadOnlyList<ProblemInput>? Problems);

    public static IEndpointRouteBuilder MapPairingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pairing").RequireAuthorization(ApiAuth.Policy).WithTags("Pairing");

        api.MapGet("/enterprises", async (HttpContext http, Enterprises enterprises, CancellationToken ct) =>
            TypedResults.Ok(await enterprises.ListAsync(http.User.ToActor(), ct)))
            .WithSummary("包联企业（干部只看自己的）/ enterprises");

        api.MapPost("/enterprises", async Task<Created<EnterpriseView>> (EnterpriseBody body, HttpContext http, Enterprises enterprises, CancellationToken ct) =>
        {
            var view = await enterprises.SaveAsync(body.Name, body.CreditCode, body.Region, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/pairing/enterprises/{view.Id}"), view);
        }).WithSummary("登记企业（按信用代码，重复登记即更新）/ register an enterprise");

        api.MapGet("/enterprises/{id:long}", async (long id, HttpContext http, Enterprises enterprises, Visits visits, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            return TypedResults.Ok(new
            {
                enterprise = await enterprises.GetAsync(id, actor, ct),
                pairings = await enterprises.HistoryAsync(id, actor, ct),
                visits = await visits.ListAsync(id, actor, ct),
            });
        }).WithSummary("企业、包联历史与走访 / an enterprise with its pairing history and visits");

        api.MapPost("/enterprises/{id:long}/pair", async (long id, PairBody body, HttpContext http, Enterprises enterprises, CancellationToken ct) =>
            TypedResults.Ok(await enterprises.PairAsync(id, body.Cadre, body.From, http.User.ToActor(), ct)))
            .WithSummary("指定包联干部（原关系按日期结束，不改写）/ pair a cadre from a date");

        api.MapGet("/cadres", async (Enterprises enterprises, CancellationToken ct) => TypedResults.Ok(await enterprises.CadresAsync(ct)))
            .WithSummary("包联干部 / cadres");

        api.MapPost("/visits", async Task<Created<VisitView>> (VisitBody body, HttpContext http, Visits visits, CancellationToken ct) =>
        {
            var view = await visits.LogAsync(new VisitInput(body.EnterpriseId, body.Date, body.Content, body.Problems), http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/pairing/enterprises/{view.EnterpriseId}"), view);
        }).WithSummary("走访记录；提出的问题当场登记为诉求（渠道：包联走访）/ log a visit");

        api.MapGet("/coverage", async (int? days, HttpContext http, Visits visits, CancellationToken ct) =>
            TypedResults.Ok(await visits.CoverageAsync(days ?? 30, http.User.ToActor(), ct)))
            .WithSummary("走访覆盖：N 天未走访的企业、本月未走访的干部 / coverage");
        return app;
    }
}
