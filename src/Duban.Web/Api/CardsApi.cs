using Duban.Assessment;
using Duban.Data;
using Duban.Web.Auth;
using Duban.Web.Pages.Lists;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>考评: 通报 (citations), 红黄牌 (card rules and cards) and 约谈 (interviews).</summary>
public static class CardsApi
{
    public sealed record RulesBody(IReadOnlyList<CardRuleInput>? Rules);

    public sealed record RevokeBody(string? Reason);

    public static IEndpointRouteBuilder MapCardsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/assessment").RequireAuthorization(ApiAuth.Policy).WithTags("Assessment");

        api.MapGet("/citations", async (HttpContext http, CitationBook book, CancellationToken ct) =>
                TypedResults.Ok((await book.ListAsync(http.User.ToActor(), ct)).Select(CitationJson)))
            .WithSummary("通报列表 / citations the caller may see, newest first");

        api.MapPost("/citations", async Task<Created<object>> (NewCitation body, HttpContext http, CitationBook book, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var id = await book.CreateAsync(body, actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/citations/{id}"), CitationJson(await book.GetAsync(id, actor, ct)));
        }).WithSummary("制作通报（kind=commendation|criticism；units=[{unitId, reason}] 或 period=2024-03[&group] 取讲评红榜/黑榜）/ a draft citation");

        api.MapGet("/citations/{id:long}", async (long id, HttpContext http, CitationBook book, CancellationToken ct) =>
                TypedResults.Ok(CitationJson(await book.GetAsync(id, http.User.ToActor(), ct))))
            .WithSummary("通报详情 / one citation");

        api.MapGet("/citations/{id:long}/docx", async (long id, HttpContext http, CitationBook book, CancellationToken ct) =>
        {
            var citation = await book.GetAsync(id, http.User.ToActor(), ct);
            var file = new MemoryStream();
            await CitationBook.WriteDocxAsync(file, citation, ct);
            file.Position = 0;
            return TypedResults.File(file, ReviewBulletin.ContentType, CitationBook.FileName(citation));
        }).WithSummary("通报 Word 文档 / the citation as .docx");

        api.MapPost("/citations/{id:long}/publish", async (long id, HttpContext http, CitationBook book, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await book.PublishAsync(id, actor, ct);
            return TypedResults.Ok(CitationJson(await book.GetAsync(id, actor, ct)));
        }).WithSummary("发布通报：各被通报单位收到站内通知；只能发布一次（409）/ publish once");

        api.MapGet("/card-rules", async (CardBook cards, CancellationToken ct) => TypedResults.Ok((await cards.RulesAsync(ct)).Select(RuleJson)))
            .WithSummary("红黄牌规则 / the card rules in force");

        api.MapPut("/card-rules", async (RulesBody body, HttpContext http, CardBook cards, CancellationToken ct) =>
                TypedResults.Ok((await cards.SaveRulesAsync(body.Rules, http.User.ToActor(), ct)).Select(RuleJson)))
            .WithSummary("保存红黄牌规则（rules=[{id?, trigger, threshold, window=month|quarter, colour=yellow|red}]）/ replace the rules");

        api.MapPost("/cards/issue", async (string? period, HttpContext http, CardBook cards, CancellationToken ct) =>
                TypedResults.Ok((await cards.IssueAsync(period, http.User.ToActor(), ct)).Select(CardJson)))
            .WithSummary("按规则发牌（period=2024-03 或 2024-Q1）；重复执行不重复发牌 / issue the cards due, idempotent");

        api.MapGet("/cards", async (string? period, HttpContext http, CardBook cards, CancellationToken ct) =>
                TypedResults.Ok((await cards.ListAsync(period, http.User.ToActor(), ct)).Select(CardJson)))
            .WithSummary("红黄牌列表（period 可选）/ cards the caller may see");

        api.MapPost("/cards/{id:long}/revoke", async (long id, RevokeBody body, HttpContext http, CardBook cards, CancellationToken ct) =>
        {
            await cards.RevokeAsync(id, body.Reason, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("撤销红黄牌（reason 必填，保留）/ revoke a card with a reason");

        api.MapGet("/interviews", async Task<Results<Ok<IEnumerable<object>>, FileContentHttpResult>> (string? status, long? unit, string? format,
            HttpContext http, InterviewList interviews, CancellationToken ct) =>
        {
            var list = await interviews.ListAsync(status, unit, http.User.ToActor(), ct);
            if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
            {
                var file = await Xlsx.FileAsync("约谈名单.xlsx", "约谈名单", InterviewList.Rows(list), ct);
                return TypedResults.File(file.FileContents, Xlsx.ContentType, file.FileDownloadName);
            }

            return TypedResults.Ok(list.Select(InterviewJson));
        }).WithSummary("约谈名单（status=open|closed, unit, format=xlsx）/ interview entries");

        api.MapPost("/interviews", async Task<Created<object>> (NewInterview body, HttpContext http, InterviewList interviews, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var id = await interviews.AddAsync(body, actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/interviews/{id}"), InterviewJson(await interviews.GetAsync(id, actor, ct)));
        }).WithSummary("手动列入约谈名单（unitId, reason）/ add an entry by hand");

        api.MapPost("/interviews/{id:long}/record", async (long id, InterviewRecord body, HttpContext http, InterviewList interviews, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await interviews.RecordAsync(id, body, actor, ct);
            return TypedResults.Ok(InterviewJson(await interviews.GetAsync(id, actor, ct)));
        }).WithSummary("登记约谈（personName, personPost, heldOn, matterIds, notes）；登记后关闭，不能重复登记（409）/ record and close");

        return app;
    }

    private static object CitationJson(CitationView c) => new
    {
        id = c.Id,
        kind = c.Kind == CitationKind.Commendation ? "commendation" : "criticism",
        kindName = c.KindName,
        number = c.NumberLine,
        date = c.Date,
        issuer = c.Issuer,
        title = c.Title,
        body = c.Body,
        source = c.Source,
        units = c.Units.Select(u => new { unit = u.Unit, reason = u.Reason }),
        published = c.Published,
        publishedAt = c.PublishedAt,
        publishedBy = c.PublishedByName,
        createdAt = c.CreatedAt,
        createdBy = c.CreatedByName,
    };

    private static object RuleJson(CardRuleView r) => new
    {
        id = r.Id,
        trigger = r.Trigger,
        triggerName = r.TriggerName,
        threshold = r.Threshold,
        window = r.Window == CardWindow.Month ? "month" : "quarter",
        colour = r.Colour == CardColour.Yellow ? "yellow" : "red",
        description = r.Description,
    };

    private static object CardJson(CardView c) => new
    {
        id = c.Id,
        unit = c.Unit,
        colour = c.Colour == CardColour.Yellow ? "yellow" : "red",
        colourName = c.ColourName,
        window = c.Window.Key,
        windowName = c.Window.Label,
        count = c.Count,
        reason = c.Reason,
        ruleId = c.RuleId,
        issuedAt = c.IssuedAt,
        issuedBy = c.IssuedByName,
        revoked = c.Revoked,
        revokedAt = c.RevokedAt,
        revokedBy = c.RevokedByName,
        revokeReason = c.RevokeReason,
    };

    private static object InterviewJson(InterviewView i) => new
    {
        id = i.Id,
        unit = i.Unit,
        cardId = i.CardId,
        reason = i.Reason,
        status = i.Closed ? "closed" : "open",
        statusName = i.StatusName,
        createdAt = i.CreatedAt,
        createdBy = i.CreatedByName,
        personName = i.PersonName,
        personPost = i.PersonPost,
        heldOn = i.HeldOn,
        notes = i.Notes,
        matters = i.Matters,
        recordedAt = i.RecordedAt,
        recordedBy = i.RecordedByName,
    };
}
