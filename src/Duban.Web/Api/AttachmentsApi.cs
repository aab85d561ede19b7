using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Duban.Web.Api;

/// <summary>Attachments (附件): upload to a matter, a competition entry (自评申报) or a target report (进度填报), list,
/// download. Every upload streams through <see cref="ReceiveAsync"/>; downloads go through the owner's read rule
/// (<see cref="AttachmentOwners.OpenAsync"/>), so another unit's file answers 404 like a file that does not exist.</summary>
public static class AttachmentsApi
{
    /// <summary>The largest form a page may post with files: ten 20 MB files and the fields. The per-file and per-upload
    /// limits (<see cref="AttachmentOptions"/>) are checked while reading; this only bounds the request as a whole.</summary>
    public const long MaxPageBodyBytes = 256L * 1024 * 1024;

    /// <summary>The same bound for the public portal's form: three 5 MB files and the fields, with room to spare.</summary>
    public const long MaxPortalBodyBytes = 32L * 1024 * 1024;

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Attachments").RequireAuthorization(ApiAuth.Policy);
        group.MapPost("/matters/{id:long}/attachments", UploadAsync)
            .WithSummary("上传附件 / upload files to a matter (multipart/form-data)").DisableAntiforgery();
        group.MapGet("/matters/{id:long}/attachments", ListAsync).WithSummary("附件列表 / a matter's attachments");

        group.MapPost("/assessment/competitions/entries/{entry:long}/attachments", (long entry, HttpContext http, AttachmentOwners owners,
                AttachmentOptions options, CancellationToken ct) => UploadToAsync(AttachmentOwner.Entry(entry), http, owners, options, ct))
            .WithSummary("为自评申报上传附件（multipart/form-data，字段 files；申报单位在筛选前）/ upload files to a competition entry")
            .DisableAntiforgery();
        group.MapGet("/assessment/competitions/entries/{entry:long}/attachments", async (long entry, HttpContext http, AttachmentOwners owners,
                CancellationToken ct) => TypedResults.Ok(await owners.ListAsync(AttachmentOwner.Entry(entry), http.User.ToActor(), ct)))
            .WithSummary("自评申报的附件 / a competition entry's attachments");
        group.MapPost("/assessment/targets/reports/{report:long}/attachments", (long report, HttpContext http, AttachmentOwners owners,
                AttachmentOptions options, CancellationToken ct) => UploadToAsync(AttachmentOwner.TargetReport(report), http, owners, options, ct))
            .WithSummary("为进度填报上传证明材料（multipart/form-data，字段 files；待确认期间）/ upload files to a target report")
            .DisableAntiforgery();
        group.MapGet("/assessment/targets/reports/{report:long}/attachments", async (long report, HttpContext http, AttachmentOwners owners,
                CancellationToken ct) => TypedResults.Ok(await owners.ListAsync(AttachmentOwner.TargetReport(report), http.User.ToActor(), ct)))
            .WithSummary("进度填报的附件 / a target report's attachments");

        group.MapGet("/attachments/{id:long}", (long id, HttpContext http, AttachmentOwners owners, CancellationToken ct) =>
            DownloadAsync(id, http, owners, ct)).WithSummary("下载附件 / download an attachment (of a matter, an entry or a report)");

        // The same download for signed-in people (cookie), linked from the pages; a miss shows the status page.
        app.MapGet("/attachments/{id:long}", async (long id, HttpContext http, AttachmentOwners owners, CancellationToken ct) =>
        {
            try
            {
                return await DownloadAsync(id, http, owners, ct);
            }
            catch (NotFoundException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AttachmentView>>> ListAsync(long id, HttpContext http, MatterAttachments attachments,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await attachments.ListAsync(id, http.User.ToActor(), cancellationToken));

    private static async Task<IResult> UploadAsync(long id, HttpContext http, MatterAttachments attachments, AttachmentOptions options,
        CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        await attachments.CheckMayAttachAsync(id, actor, cancellationToken); // 404 / 403 before a byte of the body is read
        return await ReceiveAsync(http, options.Staff, (content, name) => attachments.StoreAsync(content, name, options.Staff, cancellationToken),
            async stored => TypedResults.Created($"/api/matters/{id}/attachments", await attachments.AttachAsync(id, stored, actor, cancellationToken)),
            cancellationToken);
    }

    private static async Task<IResult> UploadToAsync(AttachmentOwner owner, HttpContext http, AttachmentOwners owners, AttachmentOptions options,
        CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        await owners.CheckMayAttachAsync(owner, actor, cancellationToken); // 404 / 403 / 409 before a byte of the body is read
        var path = http.Request.Path.Value;
        return await ReceiveAsync(http, options.Staff, (content, name) => owners.StoreAsync(content, name, options.Staff, cancellationToken),
            async stored => TypedResults.Created(path, await owners.AttachAsync(owner, stored, actor, cancellationToken)), cancellationToken);
    }

    /// <summary>Streams each file part of a multipart upload to the blob store as it arrives (<paramref name="store"/>):
    /// memory stays at one buffer, and a file past the limit is refused (413) without reading the rest of it. Then
    /// <paramref name="attach"/> gives the stored files to their owner. Every owner's upload goes through here.</summary>
    private static async Task<IResult> ReceiveAsync(HttpContext http, AttachmentLimits limits, Func<Stream, string, Task<AttachedFile>> store,
        Func<IReadOnlyList<AttachedFile>, Task<IResult>> attach, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
        {
            return Results.Problem(title: "请求格式错误 / unsupported media type", statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "请以 multipart/form-data 上传文件（字段名 files）。");
        }

        var maxBody = limits.MaxBytes * limits.MaxFiles + 1024 * 1024;
        if (request.ContentLength > maxBody)
        {
            throw new AttachmentRefusedException(RefusalReason.TooLarge,
                $"单个文件不能超过 {AttachmentPolicy.FormatSize(limits.MaxBytes)}，一次最多 {limits.MaxFiles} 个文件。");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxBody;
        }

        var reader = new MultipartReader(boundary, request.Body);
        var stored = new List<AttachedFile>();
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition())
            {
                continue; // a plain field: nothing to keep
            }

            limits.CheckCount(stored.Count + 1);
            var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
            stored.Add(await store(section.Body, name ?? string.Empty));
        }

        limits.CheckCount(stored.Count);
        return await attach(stored);
    }

    private static async Task<IResult> DownloadAsync(long id, HttpContext http, AttachmentOwners owners, CancellationToken cancellationToken)
    {
        var (attachment, content) = await owners.OpenAsync(id, http.User.ToActor(), cancellationToken);
        var inline = AttachmentPolicy.Allowed.Any(t => t.Inline && t.ContentType == attachment.ContentType);
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(attachment.Name); // filename (ASCII fallback) and filename*=UTF-8'' for Chinese names
        var headers = http.Response.Headers;
        headers.ContentDisposition = disposition.ToString();
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "sandbox"; // an inline PDF or image runs no script and reaches no cookie
        headers.CacheControl = "private, no-store";
        return Results.Stream(content, attachment.ContentType);
    }
}
