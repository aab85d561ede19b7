using Duban.Data;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>周交办: numbered weekly sessions, their matters, sending (下发) and the report on the previous session.</summary>
public static class WeeklyApi
{
    public sealed record MattersBody(IReadOnlyList<long>? Ids);

    public static IEndpointRouteBuilder MapWeeklyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/weekly").RequireAuthorization(ApiAuth.Policy).WithTags("Weekly");

        api.MapGet("", async (HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
                TypedResults.Ok((await weekly.ListAsync(http.User.ToActor(), ct)).Select(SummaryJson)))
            .WithSummary("周交办列表 / the weekly sessions this caller may see, newest first");

        api.MapPost("", async Task<Created<object>> (NewWeeklySession body, HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var id = await weekly.CreateAsync(body, actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/weekly/{id}"), DetailsJson(await weekly.GetAsync(id, actor, ct)));
        }).WithSummary("建立周交办（date=2024-03-04, meeting, note）/ create a session, numbered next in its year");

        api.MapGet("/{id:long}", async (long id, HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
                TypedResults.Ok(DetailsJson(await weekly.GetAsync(id, http.User.ToActor(), ct))))
            .WithSummary("周交办详情：事项、交办单、上次交办落实情况 / one session");

        api.MapPost("/{id:long}/matters", async (long id, MattersBody body, HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await weekly.AddMattersAsync(id, body.Ids?.ToList(), actor, ct);
            return TypedResults.Ok(DetailsJson(await weekly.GetAsync(id, actor, ct)));
        }).WithSummary("纳入事项（ids）/ add open matters to a draft session");

        api.MapDelete("/{id:long}/matters/{matterId:long}", async (long id, long matterId, HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
        {
            await weekly.RemoveMatterAsync(id, matterId, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("移出事项（草稿时）/ remove a matter from a draft session");

        api.MapPost("/{id:long}/send", async (long id, HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await weekly.SendAsync(id, actor, ct);
            return TypedResults.Ok(DetailsJson(await weekly.GetAsync(id, actor, ct)));
        }).WithSummary("下发：各牵头、配合单位收到站内通知和交办单链接；只能下发一次 / send once");

        api.MapGet("/{id:long}/report", async (long id, HttpContext http, WeeklySessions weekly, CancellationToken ct) =>
                TypedResults.Ok(ReportJson(await weekly.ReportAsync(id, http.User.ToActor(), ct)) ?? new { session = (object?)null, note = "没有已下发的上次周交办。" }))
            .WithSummary("上次交办落实情况 / how the previous session's matters stand now");

        return app;
    }

    private static object SummaryJson(WeeklySessionSummary s) => new
    {
        id = s.Id,
        year = s.Year,
        number = s.Number,
        title = s.Title,
        date = s.Date,
        meeting = s.Meeting,
        note = s.Note,
        status = s.Status == WeeklySessionStatus.Draft ? "draft" : "sent",
        sentAt = s.SentAt,
        progress = ProgressJson(s.Progress),
    };

    private static object ProgressJson(SessionProgress p) => new
    {
        total = p.Total,
        finished = p.Finished,
        inProgress = p.InProgress,
        overdue = p.Overdue,
        closed = p.Closed,
        closedShare = p.ClosedShare,
        closedPercent = p.ClosedPercent,
    };

    private static object MatterJson(WeeklyMatterView m) => new
    {
        id = m.Id,
        code = m.Code,
        title = m.Title,
        goal = m.Goal,
        standard = m.Standard,
        status = WireEnum.Name(m.Status),
        statusName = m.StatusName,
        leadUnit = m.Lead,
        coUnits = m.CoUnits,
        completeDueAt = m.CompleteDueAt,
        overdue = m.Overdue,
    };

    private static object DetailsJson(WeeklySessionDetails d) => new
    {
        session = SummaryJson(d.Session),
        owner = d.Owner,
        createdBy = d.CreatedByName,
        createdAt = d.CreatedAt,
        sentBy = d.SentByName,
        canManage = d.CanManage,
        matters = d.Matters.Select(MatterJson),
        sheets = d.Units.Select(u => new { unit = u, link = WeeklySessions.SheetLink(d.Session.Id, u.Code) }),
        previous = ReportJson(d.Previous),
    };

    private static object? ReportJson(PreviousSessionReport? r) => r is null
        ? null
        : new
        {
            session = SummaryJson(r.Session),
            unfinished = r.Unfinished.Select(u => new { unit = u.Unit, overdue = u.Overdue, matters = u.Matters.Select(MatterJson) }),
        };
}
