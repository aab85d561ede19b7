using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web;

/// <summary>Every API error is a ProblemDetails: domain exceptions map here, in one place.</summary>
public sealed class Problems(IProblemDetailsService problemDetails, ILogger<Problems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ProblemDetails? problem = exception switch
        {
            ValidationFailedException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusOf(v),
                Title = "输入有误 / validation failed",
            },
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode, // 400, or 413 / 415 as Kestrel and binding decided
                Title = "请求格式错误 / bad request",
                Detail = b.InnerException is System.Text.Json.JsonException j ? j.Message : b.Message,
            },
            Attachments.AttachmentRefusedException { Reason: Attachments.RefusalReason.TooLarge } a =>
                new ProblemDetails { Status = StatusOf(a), Title = "文件过大 / file too large", Detail = a.Message },
            Attachments.AttachmentRefusedException { Reason: Attachments.RefusalReason.ForbiddenType } a =>
                new ProblemDetails { Status = StatusOf(a), Title = "不支持的文件类型 / file type not allowed", Detail = a.Message },
            Attachments.AttachmentRefusedException a => new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["files"] = [a.Message] })
            {
                Status = StatusOf(a),
                Title = "输入有误 / validation failed",
            },
            ForbiddenException f => new ProblemDetails { Status = StatusOf(f), Title = "无权执行此操作 / forbidden", Detail = f.Message },
            NotFoundException n => new ProblemDetails { Status = StatusOf(n), Title = "未找到 / not found", Detail = n.Message },
            InvalidTransitionException t => new ProblemDetails
            {
                Status = StatusOf(t),
                Title = "当前状态不允许此操作 / invalid transition",
                Detail = t.Message,
                Extensions =
                {
                    ["matterStatus"] = WireEnum.Name(t.Status),
                    ["action"] = WireEnum.Name(t.Action),
                    ["allowed"] = t.Allowed.Select(WireEnum.Name).ToArray(),
                },
            },
            RuleConflictException r => new ProblemDetails
            {
                Status = StatusOf(r),
                Title = "当前不允许此操作 / conflict",
                Detail = r.Message,
            },
            ConcurrencyConflictException c => new ProblemDetails
            {
                Status = StatusOf(c),
                Title = "并发修改冲突 / concurrent edit",
                Detail = c.Message,
                Extensions = { ["expectedVersion"] = c.Expected, ["currentVersion"] = c.Actual },
            }.WithStatus(c.Status),
            _ when Data.DatabaseBusy.Is(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "系统繁忙，请稍后重试 / busy, retry shortly",
                Detail = "数据库正忙于其他写入，本次操作没有保存，请稍后重试。",
            },
            _ when IsMalformedForm(exception, httpContext) => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "请求格式错误 / bad request",
                Detail = "上传的内容不完整或格式错误（表单无法解析），请重新选择文件上传。",
            },
            _ => null,
        };
        if (problem is { Status: StatusCodes.Status503ServiceUnavailable })
        {
            // Nothing was saved: the client may retry after a short wait. Pages get a short Chinese page, the API its problem.
            httpContext.Response.Headers.RetryAfter = Data.DatabaseBusy.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!httpContext.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                httpContext.Response.ContentType = "text/html; charset=utf-8";
                await httpContext.Response.WriteAsync(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>系统繁忙 · 督办</title></head>"
                    + "<body><h1>系统繁忙</h1><p>系统正忙于其他工作，本次操作没有保存。请稍等片刻，返回上一页后重试。</p></body></html>",
                    cancellationToken);
                return true;
            }
        }

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Path}", httpContext.Request.Path);
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>A form or multipart body the client sent broken (cut short, a part header past 16 KB, no closing boundary):
    /// ASP.NET's form readers throw <see cref="InvalidDataException"/> or <see cref="IOException"/> while parsing it,
    /// wherever the form is read (an upload endpoint, an import, a page's model binding).</summary>
    private static bool IsMalformedForm(Exception exception, HttpContext context) =>
        exception is InvalidDataException or IOException
        && context.Request.HasFormContentType
        && !context.RequestAborted.IsCancellationRequested
        && exception.StackTrace is { } trace
        && (trace.Contains("Microsoft.AspNetCore.WebUtilities.", StringComparison.Ordinal) || trace.Contains("Microsoft.AspNetCore.Http.Features.FormFeature", StringComparison.Ordinal));

    /// <summary>Chinese titles for the problems ASP.NET writes by itself (a body of the wrong media type, a route that
    /// answers no such method, a body past the size limit), which would otherwise carry only English.</summary>
    public static void ChineseTitles(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (problem.Title is { } title && title.Any(c => c >= '\u4e00' && c <= '\u9fff'))
        {
            return;
        }

        problem.Title = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "请求格式错误 / bad request",
            StatusCodes.Status401Unauthorized => "未登录或令牌无效 / unauthorized",
            StatusCodes.Status403Forbidden => "无权执行此操作 / forbidden",
            StatusCodes.Status404NotFound => "未找到 / not found",
            StatusCodes.Status405MethodNotAllowed => "不支持此请求方法 / method not allowed",
            StatusCodes.Status413PayloadTooLarge => "请求内容过大 / payload too large",
            StatusCodes.Status415UnsupportedMediaType => "不支持的内容类型：请以 JSON（application/json）发送 / unsupported media type",
            StatusCodes.Status429TooManyRequests => "请求过于频繁，请稍后再试 / too many requests",
            _ => problem.Title,
        };
    }

    /// <summary>The status of a refused command, for the API's problems and the pages' status (<see cref="Pages.PageErrors"/>).</summary>
    public static int StatusOf(DomainException error) => error switch
    {
        ValidationFailedException => StatusCodes.Status400BadRequest,
        Attachments.AttachmentRefusedException { Reason: Attachments.RefusalReason.TooLarge } => StatusCodes.Status413PayloadTooLarge,
        Attachments.AttachmentRefusedException { Reason: Attachments.RefusalReason.ForbiddenType } => StatusCodes.Status415UnsupportedMediaType,
        Attachments.AttachmentRefusedException => StatusCodes.Status400BadRequest,
        ForbiddenException => StatusCodes.Status403Forbidden,
        NotFoundException => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>Writes a ProblemDetails response outside the exception path (authentication challenges).</summary>
    public static Task Write(HttpContext context, int status, string title, string? detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title, Detail = detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}

/// <summary>The current status of a matter in a 409 (a concurrent edit), so the client sees where the matter stands.</summary>
internal static class ConflictProblems
{
    public static ProblemDetails WithStatus(this ProblemDetails problem, MatterStatus? status)
    {
        if (status is { } known)
        {
            problem.Extensions["matterStatus"] = WireEnum.Name(known);
        }

        return problem;
    }
}
