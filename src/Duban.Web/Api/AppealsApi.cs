using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Api;

/// <summary>An appeal as an integration posts it: the form's fields and the channel.</summary>
public sealed record AppealBody : AppealInput
{
    /// <summary>web (an app or website, the default), hotline, offline, visit or import.</summary>
    public string? Channel { get; init; }
}

/// <summary>What a registration answers: where to follow the appeal.</summary>
public sealed record AppealCreated(string TrackingCode, string TrackingUrl, long MatterId, string MatterCode, string LeadUnit, string? RepeatOf);

/// <summary>Why a case goes to the level above (上报理由).</summary>
public sealed record AppealEscalationBody(string? Reason);

/// <summary>A citizen's rating of a completed appeal.</summary>
public sealed record AppealRatingBody(string? Satisfaction, string? Note);

/// <summary>
/// 诉求 over HTTP: integrations post appeals with an API token and an <c>Idempotency-Key</c>; anyone with a tracking code
/// reads the public status; staff read details and (audited) contact data; admins manage the routing rules.
/// </summary>
public static class AppealsApi
{
    /// <summary>A JSON appeal is at most this large; the 1 MB title of the bad-input list still gets its per-field 400.</summary>
    public const long MaxBodyBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapAppealsApi(this IEndpointRouteBuilder app)
    {
        var appeals = app.MapGroup("/api/appeals").WithTags("Appeals");
        appeals.MapPost("/", RegisterAsync).RequireAuthorization(ApiAuth.Policy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("登记诉求（幂等：Idempotency-Key）/ register an appeal");
        appeals.MapGet("/{trackingCode}", PublicAsync).AllowAnonymous().WithSummary("按查询码查询（公开，不含个人信息）/ public status");
        appeals.MapPost("/{trackingCode}/rate", RateAsync).AllowAnonymous().DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024))
            .WithSummary("诉求人评价（办结后一次）/ the citizen's rating once completed");
        appeals.MapPost("/{trackingCode}/escalate", async (string trackingCode, AppealEscalationBody body, HttpContext http, EscalateAppeal escalate,
                AppealQueries queries, CancellationToken ct) =>
            {
                await escalate.ExecuteAsync(trackingCode, body?.Reason, http.User.ToActor(), ct);
                return TypedResults.Ok(await queries.PublicAsync(trackingCode, ct)); // the escalating unit may no longer see the details
            }).RequireAuthorization(ApiAuth.Policy)
            .WithSummary("上报：承办单位将超出权限的诉求报上一级（须说明理由）/ escalate to the level above");
        appeals.MapGet("/{trackingCode}/details", DetailsAsync).RequireAuthorization(ApiAuth.Policy)
            .WithSummary("诉求详情（联系方式脱敏）/ details for staff, contact masked");
        appeals.MapGet("/{trackingCode}/contact", ContactAsync).RequireAuthorization(ApiAuth.Policy)
            .WithSummary("完整联系方式（承办单位、督查室；留痕）/ full contact data, audited");

        var rules = app.MapGroup("/api/routing-rules").WithTags("Routing rules").RequireAuthorization(ApiAuth.AdminPolicy);
        rules.MapGet("/", async (RoutingRules r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(ct))).WithSummary("分派规则列表");
        rules.MapGet("/{id:long}", async (long id, RoutingRules r, CancellationToken ct) => TypedResults.Ok(await r.GetAsync(id, ct)));
        rules.MapPost("/", async (RoutingRuleInput body, RoutingRules r, CancellationToken ct) =>
        {
            var rule = await r.CreateAsync(body ?? new RoutingRuleInput(), ct);
            return TypedResults.Created($"/api/routing-rules/{rule.Id}", rule);
        }).WithSummary("新建分派规则");
        rules.MapPut("/{id:long}", async (long id, RoutingRuleInput body, RoutingRules r, CancellationToken ct) =>
            TypedResults.Ok(await r.UpdateAsync(id, body ?? new RoutingRuleInput(), ct))).WithSummary("修改分派规则（只改给出的字段）");
        rules.MapDelete("/{id:long}", async (long id, RoutingRules r, CancellationToken ct) =>
        {
            await r.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("删除分派规则（已用于分派的改为停用）");
        rules.MapPost("/trial", async (AppealInput body, RoutingRules r, CancellationToken ct) => TypedResults.Ok(await r.TryAsync(body ?? new AppealInput(), ct)))
            .WithSummary("试分派：哪条规则会命中 / which rule would route this appeal");
        return app;
    }

    private static async Task<Results<Created<AppealCreated>, Ok<AppealCreated>>> RegisterAsync(AppealBody body, HttpContext http,
        AppealIntake intake, IConfiguration configuration, CancellationToken cancellationToken)
    {
        body ??= new AppealBody();
        // A name that is no source at all is left to AppealIntake.Validate, which refuses every non-channel with the other fields' problems.
        var channel = body.Channel is null ? MatterSource.Web : WireEnum.TryParse(body.Channel, out MatterSource named) ? named : AppealIntake.UnknownChannel;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var registered = await intake.RegisterAsync(body, new Intake(http.User.ToActor(), channel)
        {
            IdempotencyKey = key.Length == 0 ? null : key,
        }, cancellationToken);
        var code = TrackingCode.Format(registered.TrackingCode);
        var publicUrl = configuration["Duban:PublicUrl"]?.TrimEnd('/') ?? $"{http.Request.Scheme}://{http.Request.Host}";
        var created = new AppealCreated(code, $"{publicUrl}/portal/track?code={code}", registered.MatterId, registered.MatterCode, registered.LeadUnit,
            registered.RepeatOfCode is { } repeat ? TrackingCode.Format(repeat) : null);
        return registered.Created
            ? TypedResults.Created($"/api/appeals/{created.TrackingCode}", created)
            : TypedResults.Ok(created);
    }

    private static async Task<Ok<PublicAppealView>> PublicAsync(string trackingCode, AppealQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.PublicAsync(trackingCode, cancellationToken));

    private static async Task<Ok<PublicAppealView>> RateAsync(string trackingCode, AppealRatingBody body, RateAppeal rate, AppealQueries queries,
        CancellationToken cancellationToken)
    {
        if (!WireEnum.TryParse<Satisfaction>(body?.Satisfaction, out var satisfaction))
        {
            throw ValidationFailedException.For("satisfaction", "请选择满意度：satisfied（满意）、basically（基本满意）或 dissatisfied（不满意）。");
        }

        await rate.ExecuteAsync(trackingCode, satisfaction, body!.Note, cancellationToken);
        return TypedResults.Ok(await queries.PublicAsync(trackingCode, cancellationToken));
    }

    private static async Task<Ok<AppealDetails>> DetailsAsync(string trackingCode, HttpContext http, AppealQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetAsync(trackingCode, http.User.ToActor(), cancellationToken));

    private static async Task<Ok<AppealContact>> ContactAsync(string trackingCode, HttpContext http, RevealContact reveal, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reveal.ExecuteAsync(trackingCode, http.User.ToActor(), "api", cancellationToken));
}
