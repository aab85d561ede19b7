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
