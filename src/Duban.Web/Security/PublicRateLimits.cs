using System.Threading.RateLimiting;
using Duban.Data;

namespace Duban.Web.Security;

/// <summary>
/// Per-address limits on the public surface, with a Chinese 429: the portal's form and tracking look-ups, and the
/// public appeal API (look-up by tracking code, the citizen's rating). Keyed on the client address only — the
/// connection's, or the one a trusted proxy forwarded (<see cref="TrustedProxies"/>); no request header, an
/// <c>Authorization</c> header included, skips or changes the limit. Staff endpoints that need a valid token are
/// not public and are not limited here.
/// </summary>
public static class PublicRateLimits
{
    public const string Message = "操作过于频繁，请一分钟后再试。";

    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = (context, cancellationToken) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            return context.HttpContext.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                ? new ValueTask(Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "请求过于频繁 / too many requests", Message))
                : new ValueTask(context.HttpContext.Response.WriteAsync(Message, cancellationToken));
        };
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var kind = PublicKind(http.Request);
            if (kind is null)
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var portal = http.RequestServices.GetRequiredService<PortalOptions>();
            var limit = kind == "Submit" ? portal.SubmitPerMinute : portal.LookupPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter($"{kind}:{ClientAddress.Of(http)}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        });
    });

    /// <summary>"Submit" for a citizen's post (the portal's form, a rating), "Lookup" for reading by tracking code,
    /// null for everything else. Decided by method and path alone.</summary>
    public static string? PublicKind(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path;
        var post = HttpMethods.IsPost(request.Method);
        if (path.StartsWithSegments("/portal", StringComparison.OrdinalIgnoreCase))
        {
            return post ? "Submit" : path.StartsWithSegments("/portal/track", StringComparison.OrdinalIgnoreCase) ? "Lookup" : null;
        }

        if (!path.StartsWithSegments("/api/appeals", StringComparison.OrdinalIgnoreCase, out var rest) || !rest.HasValue)
        {
            return null;
        }

        // /api/appeals/{code} (GET: the public status) and /api/appeals/{code}/rate (POST: the rating).
        var segments = rest.Value!.Trim('/').Split('/');
        return segments switch
        {
            [_] when HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) => "Lookup",
            [_, var action] when post && action.Equals("rate", StringComparison.OrdinalIgnoreCase) => "Submit",
            _ => null,
        };
    }
}
