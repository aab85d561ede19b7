using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>Learned routing (智能分流): a suggested lead unit for a text, and retraining on closed matters.</summary>
public static class RoutingApi
{
    /// <summary>The longest text accepted, as a matter's content.</summary>
    private const int MaxTextLength = 20_000;

    public sealed record SuggestBody(string? Text);

    /// <summary>The answer: a unit with its confidence, or <c>{"unknown": true}</c> (不确定).</summary>
    public sealed record SuggestionView(string? UnitCode, string? UnitName, double? Confidence, bool? Unknown);

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/routing").WithTags("Routing");

        api.MapPost("/suggest", async Task<Ok<SuggestionView>> (SuggestBody body, MatterTriage router, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Text))
            {
                throw ValidationFailedException.For("text", "请填写要分流的文本。");
            }

            if (body.Text.Length > MaxTextLength)
            {
                throw ValidationFailedException.For("text", $"文本不能超过 {MaxTextLength} 字。");
            }

            var suggestion = await router.SuggestAsync(body.Text, ct);
            return TypedResults.Ok(suggestion.Unknown
                ? new SuggestionView(null, null, null, true)
                : new SuggestionView(suggestion.UnitCode, suggestion.UnitName, Math.Round(suggestion.Confidence, 4), null));
        }).RequireAuthorization(ApiAuth.Policy).WithSummary("建议牵头单位（仅供参考，由人决定）/ suggest a lead unit for a text");

        // Joins a training already running (the admin page's, say) rather than running a second beside it.
        api.MapPost("/retrain", async (Jobs.TriageTraining training) => TypedResults.Ok(await training.StartOrJoin()))
            .RequireAuthorization(ApiAuth.AdminPolicy).WithSummary("用已办结事项重新训练，训练完成后返回（管理员）/ retrain on closed matters, answering when done (admin)");
        return app;
    }
}
