using Duban.Matters;
using Duban.Text;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>任务分解 over HTTP: a speech in, its directive groups out (the same shape as <c>duban text extract --json</c>).</summary>
public static class TextApi
{
    /// <summary>Longest text accepted, in characters (a newspaper page is about 6,000).</summary>
    public const int MaxTextLength = 500_000;

    public sealed record ExtractRequest(string? Text);

    public static RouteGroupBuilder MapTextApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/text").WithTags("Text").RequireAuthorization(ApiAuth.Policy);
        group.MapPost("/extract", Extract).WithSummary("从讲话稿中分解任务 / extract the directives of a speech");
        return group;
    }

    private static Ok<IReadOnlyList<DirectiveGroup>> Extract(ExtractRequest request, HttpContext context)
    {
        if (!AccessRules.MayAssign(context.User.ToActor()))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以分解交办任务。");
        }

        if (string.IsNullOrWhiteSpace(request?.Text))
        {
            throw ValidationFailedException.For("text", "文稿内容不能为空。");
        }

        if (request.Text.Length > MaxTextLength)
        {
            throw ValidationFailedException.For("text", $"文稿不能超过 {MaxTextLength} 字。");
        }

        return TypedResults.Ok(DirectiveExtractor.Extract(request.Text));
    }
}
