using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>催办/督办, extensions, the accountability list and the inbox.</summary>
public static class SupervisionApi
{
    public sealed record MessageBody(string? Message, string? Level);

    public sealed record ExtensionBody(string? Stage, string? DueAt, string? Reason, int? Node = null);

    public sealed record DecisionBody(bool? Approve, string? DueAt, string? Note);

    public sealed record StatusBody(string? Status, string? Note);

    /// <summary>人工列入: the unit's code (default: the lead unit), the stage (acknowledge, feedback, complete…), the reason.</summary>
    public sealed record ManualEntryBody(string? Unit, string? Stage, string? Note);

    public sealed record LookBackBody(string? Result, string? Note);

    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Supervision");

        api.MapPost("/matters/{id:long}/urge", async (long id, MessageBody body, HttpContext http, Supervision supervision, MatterQueries queries, CancellationToken ct) =>
        {
            await supervision.UrgeOrSuperviseAsync(id, EscalationKind.Urge, null, body.Message, http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("催办（附意见）/ urge with a message");

        api.MapPost("/matters/{id:long}/supervise", async (long id, MessageBody body, HttpContext http, Supervision supervision, MatterQueries queries, CancellationToken ct) =>
        {
            SupervisionLevel? level = null;
            if (body.Level is not null)
            {
                level = WireEnum.TryParse<SupervisionLevel>(body.Level, out var l)
                    ? l
                    : throw ValidationFailedException.For("level", "督办级别必须是 general（一般）、key（重点）或 listed（挂牌）。");
            }

            await supervision.UrgeOrSuperviseAsync(id, EscalationKind.Supervise, level, body.Message, http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("督办（一般/重点/挂牌）/ supervise at a level");

        api.MapPost("/matters/{id:long}/extensions", async Task<Created<ExtensionView>> (long id, ExtensionBody body, HttpContext http, ExtensionRequests extensions, CancellationToken ct) =>
        {
            var view = await extensions.RequestAsync(id, body.Stage, body.DueAt, body.Reason, http.User.ToActor(), ct, body.Node);
            return TypedResults.Created(FormattableString.Invariant($"/api/extensions/{view.Id}"), view);
        }).WithSummary("延期申请（牵头单位）/ request an extension");

        api.MapGet("/extensions", async (string? status, HttpContext http, ExtensionRequests extensions, CancellationToken ct) =>
        {
            ExtensionStatus? parsed = null;
            if (status is not null)
            {
                parsed = WireEnum.TryParse<ExtensionStatus>(status, out var s) ? s : throw ValidationFailedException.For("status", "状态必须是 pending、approved 或 rejected。");
            }

            return TypedResults.Ok(await extensions.ListAsync(parsed, http.User.ToActor(), ct));
        }).WithSummary("延期申请列表 / extension requests");

        api.MapPost("/extensions/{id:long}/decide", async (long id, DecisionBody body, HttpContext http, ExtensionRequests extensions, CancellationToken ct) =>
            TypedResults.Ok(await extensions.DecideAsync(id, body.Approve, body.DueAt, body.Note, http.User.ToActor(), ct)))
            .WithSummary("审批延期（交办方）/ approve or reject an extension");

        api.MapGet("/accountability", async (string? status, HttpContext http, AccountabilityList accountability, CancellationToken ct) =>
            TypedResults.Ok(await accountability.ListAsync(AccountabilityStatusOf(status), http.User.ToActor(), AccountabilityList.ListMax, ct)))
            .WithSummary("问责清单 / the accountability list");

        api.MapGet("/accountability/export.xlsx", async (string? status, HttpContext http, AccountabilityList accountability, CancellationToken ct) =>
        {
            var entries = await accountability.ListAsync(AccountabilityStatusOf(status), http.User.ToActor(), AccountabilityList.ExportMax, ct);
            var file = new MemoryStream();
            await AccountabilityWorkbook.WriteAsync(file, entries, ct);
            file.Position = 0;
            return TypedResults.File(file, AccountabilityWorkbook.ContentType, "问责清单.xlsx");
        }).WithSummary("导出问责清单（xlsx，筛选与可见范围同列表）/ the accountability list as a spreadsheet");

        api.MapPost("/accountability/{id:long}/status", async (long id, StatusBody body, HttpContext http, AccountabilityList accountability, CancellationToken ct) =>
        {
            await accountability.ChangeAsync(id, body.Status, body.Note, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("约谈 / 通报 / 问责 / 撤销");

        api.MapPost("/matters/{id:long}/accountability", async (long id, ManualEntryBody body, HttpContext http, AccountabilityList accountability,
            CancellationToken ct) =>
        {
            var entry = await accountability.AddAsync(id, body?.Unit, body?.Stage, body?.Note, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/accountability?status=pending#{entry}"), new { id = entry });
        }).WithSummary("人工列入问责清单（交办方；单位默认牵头单位，须写理由）/ put a matter's unit on the accountability list by hand");

        api.MapGet("/lookbacks", async (string? due, HttpContext http, LookBacks lookBacks, CancellationToken ct) =>
            TypedResults.Ok(await lookBacks.ListAsync(string.Equals(due, "true", StringComparison.OrdinalIgnoreCase), http.User.ToActor(), ct)))
            .WithSummary("回头看清单 / re-checks of closed matters");

        api.MapPost("/lookbacks/{id:long}/record", async (long id, LookBackBody body, HttpContext http, LookBacks lookBacks, CancellationToken ct) =>
        {
            await lookBacks.RecordAsync(id, body.Result, body.Note, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("记录回头看：holds（巩固）或 rebounded（反弹，重新办理）");

        api.MapGet("/inbox", async (string? unread, HttpContext http, NoticeInbox inbox, CancellationToken ct) =>
            TypedResults.Ok(await inbox.ListAsync(http.User.ToActor(), string.Equals(unread, "true", StringComparison.OrdinalIgnoreCase), ct)))
            .WithSummary("站内通知 / the unit's inbox");

        api.MapPost("/inbox/{id:long}/read", async (long id, HttpContext http, NoticeInbox inbox, CancellationToken ct) =>
        {
            await inbox.MarkReadAsync(id, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithSummary("标为已读 / mark read");
        return app;
    }

    private static AccountabilityStatus? AccountabilityStatusOf(string? status) =>
        status is null ? null
        : WireEnum.TryParse<AccountabilityStatus>(status, out var parsed) ? parsed
        : throw ValidationFailedException.For("status", "未知状态。");
}
