using Duban.Data;
using Duban.Documents;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>交办通知书 / 督办通知单: drafted by the office, approved or returned by a leader, issued to the units.</summary>
public static class NoticesApi
{
    public sealed record NoteBody(string? Note, string? Reason);

    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Notices");

        api.MapGet("/matters/{id:long}/notices", async (long id, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
                TypedResults.Ok((await notices.ForMatterAsync(id, http.User.ToActor(), ct)).Select(SummaryJson)))
            .WithSummary("事项的通知书 / the matter's notice papers this caller may see");

        api.MapPost("/matters/{id:long}/notices", async Task<Created<object>> (long id, NoticeDraftInput body, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var noticeId = await notices.DraftAsync(id, body, actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/notices/{noticeId}"), PaperJson(await notices.GetAsync(noticeId, actor, ct)));
        }).WithSummary("拟制通知书（kind=assignment|supervision, title?, requirements?, contact?, phone?, copyTo?）/ draft a paper");

        api.MapGet("/notices", async (string? kind, string? status, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            NoticeKind? parsed = null;
            if (!string.IsNullOrWhiteSpace(kind))
            {
                parsed = NoticeDocuments.TryParseKind(kind, out var k) ? k : throw ValidationFailedException.For("kind", "种类必须是 assignment 或 supervision。");
            }

            if (status is not (null or "" or "pending" or "drafting" or "issued" or "returned"))
            {
                throw ValidationFailedException.For("status", "状态必须是 pending、drafting、issued 或 returned。");
            }

            return TypedResults.Ok((await notices.ListAsync(parsed, status, http.User.ToActor(), ct)).Select(SummaryJson));
        }).WithSummary("通知书列表（kind, status=pending|drafting|issued|returned）/ papers this caller may see");

        api.MapGet("/notices/{id:long}", async (long id, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
                TypedResults.Ok(PaperJson(await notices.GetAsync(id, http.User.ToActor(), ct))))
            .WithSummary("通知书全文与步骤 / one paper");

        api.MapPut("/notices/{id:long}", async (long id, NoticeDraftInput body, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await notices.EditAsync(id, body, actor, ct);
            return TypedResults.Ok(PaperJson(await notices.GetAsync(id, actor, ct)));
        }).WithSummary("修改草稿或退回的通知书 / edit a draft");

        api.MapPost("/notices/{id:long}/approve", async (long id, NoteBody? body, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await notices.ApproveAsync(id, body?.Note, actor, ct);
            return TypedResults.Ok(PaperJson(await notices.GetAsync(id, actor, ct)));
        }).WithSummary("审定（领导；note?）/ approve");

        api.MapPost("/notices/{id:long}/return", async (long id, NoteBody? body, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await notices.ReturnAsync(id, body?.Reason ?? body?.Note, actor, ct);
            return TypedResults.Ok(PaperJson(await notices.GetAsync(id, actor, ct)));
        }).WithSummary("退回（领导；reason）/ send back with a reason");

        api.MapPost("/notices/{id:long}/issue", async (long id, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await notices.IssueAsync(id, actor, ct);
            return TypedResults.Ok(PaperJson(await notices.GetAsync(id, actor, ct)));
        }).WithSummary("下发：编文号，送牵头、配合单位；督办通知单同时记入督办 / issue");

        api.MapGet("/notices/{id:long}.docx", async (long id, HttpContext http, NoticeDocuments notices, CancellationToken ct) =>
        {
            var paper = await notices.GetAsync(id, http.User.ToActor(), ct);
            var file = new MemoryStream();
            await NoticeDocx.WriteAsync(file, paper, ct);
            file.Position = 0;
            return TypedResults.File(file, NoticeDocx.ContentType, NoticeDocx.FileName(paper));
        }).WithSummary("通知书 Word 文件 / the paper as .docx");

        return app;
    }

    private static object SummaryJson(NoticeSummary s) => new
    {
        id = s.Id,
        matterId = s.MatterId,
        matterCode = s.MatterCode,
        matterTitle = s.MatterTitle,
        kind = WireEnum.Name(s.Kind),
        kindName = s.KindName,
        number = s.Number,
        title = s.Title,
        status = WireEnum.Name(s.Status),
        statusName = s.StatusName,
        draftedBy = s.DraftedBy,
        draftedAt = s.DraftedAt,
        issuedAt = s.IssuedAt,
        mayApprove = s.MayApprove,
    };

    private static object PaperJson(NoticePaperView p) => new
    {
        id = p.Id,
        matterId = p.MatterId,
        matterCode = p.MatterCode,
        kind = WireEnum.Name(p.Kind),
        kindName = p.KindName,
        status = WireEnum.Name(p.Status),
        statusName = p.StatusName,
        office = p.Office,
        number = p.Number,
        title = p.Title,
        salutation = p.Salutation,
        paragraphs = p.Paragraphs,
        signer = p.Signer,
        issuedAt = p.IssuedAt,
        copyTo = p.CopyTo,
        requirements = p.Requirements,
        contact = p.Contact,
        phone = p.Phone,
        draftedBy = p.DraftedBy,
        draftedAt = p.DraftedAt,
        approvedAt = p.ApprovedAt,
        approvalNote = p.ApprovalNote,
        returnedBy = p.ReturnedBy,
        returnedAt = p.ReturnedAt,
        returnNote = p.ReturnNote,
        issuedBy = p.IssuedBy,
        requireApproval = p.RequireApproval,
        mayEdit = p.MayEdit,
        mayApprove = p.MayApprove,
        mayIssue = p.MayIssue,
        docx = FormattableString.Invariant($"/api/notices/{p.Id}.docx"),
    };
}
