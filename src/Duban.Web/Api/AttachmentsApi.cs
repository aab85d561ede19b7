using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Duban.Web.Api;

/// <summary>Attachments (附件): upload to a matter, list, download. Downloads go through the matter's visibility, so
/// another unit's file answers 404 like a file that does not exist.</summary>
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
        group.MapGet("/attachments/{id:long}", (long id, HttpContext http, MatterAttachments attachments, CancellationToken ct) =>
            DownloadAsync(id, http, attachments, ct)).WithSummary("下载附件 / download an attachment");

        // The same download for signed-in people (cookie), linked from the matter page; a miss shows the status page.
        app.MapGet("/attachments/{id:long}", async (long id, HttpContext http, MatterAttachments attachments, CancellationToken ct) =>
        {
            try
            {
                return await DownloadAsync(id, http, attachments, ct);
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

    /// <summary>Streams each file part to the blob store as it arrives: memory stays at one buffer, and a file past the
    /// limit is refused (413) without reading the rest of it.</summary>
    private static async Task<IResult> UploadAsync(long id, HttpContext http, MatterAttachments attachments, AttachmentOptions options,
        CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        var limits = options.Staff;
        await attachments.CheckMayAttachAsync(id, actor, cancellationToken); // 404 / 403 before a byte of the body is read

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
            stored.Add(await attachments.StoreAsync(section.Body, name ?? string.Empty, limits, cancellationToken));
        }

        limits.CheckCount(stored.Count);
        var added = await attachments.AttachAsync(id, stored, actor, cancellationToken);
        return TypedResults.Created($"/api/matters/{id}/attachments", added);
    }

    private static async Task<IResult> DownloadAsync(long id, HttpContext http, MatterAttachments attachments, CancellationToken cancellationToken)
    {
        var (attachment, content) = await attachments.OpenAsync(id, http.User.ToActor(), cancellationToken);
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
