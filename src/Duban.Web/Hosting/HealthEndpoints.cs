using System.Data.Common;
using Duban.Data;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web;

/// <summary>
/// For a load balancer or an orchestrator, without sign-in and without data: <c>/healthz</c> says the process answers
/// (liveness); <c>/readyz</c> says it can serve, because the database answers and has every migration (readiness),
/// and is 503 with the reason otherwise.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => TypedResults.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> ReadyAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? TypedResults.Text("ready")
                : TypedResults.Text($"数据库还有 {pending} 个迁移未执行。", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (DbException)
        {
            return TypedResults.Text("数据库无法连接。", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
