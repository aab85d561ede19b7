using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>Named people on matters (责任领导、责任人、联络员、包案领导) and a person's page.</summary>
public static class PeopleApi
{
    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("People");

        api.MapGet("/matters/{id:long}/people", async (long id, HttpContext http, MatterPeople people, CancellationToken ct) =>
                TypedResults.Ok(await people.ForMatterAsync(id, http.User.ToActor(), ct)))
            .WithSummary("事项的责任人员 / the people named on a matter");

        api.MapPut("/matters/{id:long}/people", async (long id, PeopleChange body, HttpContext http, MatterPeople people, CancellationToken ct) =>
                TypedResults.Ok(await people.SetAsync(id, body ?? new PeopleChange(), http.User.ToActor(), ct)))
            .WithSummary("更改责任人员（整份名单；交办方或牵头单位）/ replace a matter's people, recorded on its history");

        api.MapGet("/people/{key}", async (string key, HttpContext http, PersonQueries people, CancellationToken ct) =>
                TypedResults.Ok(await people.GetAsync(key, http.User.ToActor(), ct)))
            .WithSummary("人员：所负责的事项（按职责）/ what a person (user id or contact name) is named on");
        return app;
    }
}

/// <summary>专项行动 (campaigns): made by the office, matters tagged with them.</summary>
public static class CampaignsApi
{
    public sealed record TagBody(IReadOnlyList<long>? Campaigns);

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Campaigns");

        api.MapGet("/campaigns", async (HttpContext http, Campaigns campaigns, CancellationToken ct) =>
                TypedResults.Ok(await campaigns.ListAsync(http.User.ToActor(), ct)))
            .WithSummary("专项行动列表 / campaigns with their matter counts");

        api.MapPost("/campaigns", async Task<Created<CampaignView>> (NewCampaign body, HttpContext http, Campaigns campaigns, CancellationToken ct) =>
        {
            var created = await campaigns.CreateAsync(body ?? new NewCampaign(), http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/campaigns/{created.Id}"), created);
        }).WithSummary("设立专项行动（督查室）/ create a campaign: name, from, to (dates), note");

        api.MapPut("/campaigns/{id:long}", async (long id, NewCampaign body, HttpContext http, Campaigns campaigns, CancellationToken ct) =>
                TypedResults.Ok(await campaigns.UpdateAsync(id, body ?? new NewCampaign(), http.User.ToActor(), ct)))
            .WithSummary("修改专项行动（督查室）/ rename a campaign, move its period, change its note");

        api.MapDelete("/campaigns/{id:long}", async (long id, HttpContext http, Campaigns campaigns, CancellationToken ct) =>
            {
                await campaigns.DeleteAsync(id, http.User.ToActor(), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("删除专项行动（督查室；须未列入事项，否则 409）/ delete a campaign that holds no matter");

        api.MapGet("/campaigns/{id:long}", async (long id, int? page, HttpContext http, Campaigns campaigns, CancellationToken ct) =>
                TypedResults.Ok(await campaigns.GetAsync(id, http.User.ToActor(), Math.Max(1, page ?? 1), ct)))
            .WithSummary("专项行动：统计与事项 / a campaign's counts and matters");

        api.MapGet("/campaigns/{id:long}/review", async (long id, string? period, HttpContext http, CampaignReviews reviews, TimeProvider clock, CancellationToken ct) =>
            {
                var today = Calendar.ChinaTime.DateOf(clock.GetUtcNow());
                var review = await reviews.GetAsync(id, Reviews.ReviewPeriod.Parse(period ?? Reviews.ReviewPeriod.Holding(Reviews.PeriodKind.Month, today).Key, today), http.User.ToActor(), ct);
                return TypedResults.Ok(new
                {
                    campaign = review.Campaign,
                    period = new { key = review.Period.Key, label = review.Period.Label, from = review.Period.From, to = review.Period.To },
                    truncated = review.Truncated,
                    rows = review.Rows.Select(r => new
                    {
                        unit = r.Unit,
                        metrics = Enum.GetValues<Reviews.Metric>().Where(m => m is not (Reviews.Metric.Rebounds or Reviews.Metric.Accountability))
                            .ToDictionary(Reviews.Metrics.Key, m => r.Metrics.Value(m)),
                    }),
                });
            })
            .WithSummary("专项行动讲评（period=2024-03、2024-W10、2024-Q1、2024 或 2024-03-01_2024-03-31；默认本月）/ the review's metrics per lead unit over the campaign's matters");

        api.MapGet("/matters/{id:long}/campaigns", async (long id, HttpContext http, Campaigns campaigns, CancellationToken ct) =>
                TypedResults.Ok(await campaigns.ForMatterAsync(id, http.User.ToActor(), ct)))
            .WithSummary("事项所属专项行动 / a matter's campaigns");

        api.MapPut("/matters/{id:long}/campaigns", async (long id, TagBody body, HttpContext http, Campaigns campaigns, CancellationToken ct) =>
                TypedResults.Ok(await campaigns.TagAsync(id, body?.Campaigns, http.User.ToActor(), ct)))
            .WithSummary("列入专项行动（整份清单；督查室）/ set a matter's campaigns");
        return app;
    }
}
