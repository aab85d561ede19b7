using System.Data.Common;
using Duban.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web;

/// <summary>
/// A page request holds its database connection from before sign-in is checked until its answer is written, instead
/// of taking one from the pool and giving it back around each of its fifteen-odd queries. On PostgreSQL every give-back
/// resets the session and every take-over costs the pool's bookkeeping: about 3 ms of CPU on a matter page (25 → 22 ms,
/// measured on this machine, BENCHMARKS.md); on SQLite about half a millisecond. Only pages: the API's writes hold
/// theirs in their transactions, and the health and metrics endpoints must answer without the database.
/// </summary>
public static class RequestConnection
{
    public static IApplicationBuilder UseRequestConnection(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is null)
            {
                await next(http);
                return;
            }

            // A page shown (not a form sent): its reads may keep their statements prepared (DatabaseOptions.PageReads).
            http.RequestServices.GetRequiredService<ReadTarget>().PageRead = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
            var database = http.RequestServices.GetRequiredService<DubanDbContext>().Database;
            try
            {
                await database.OpenConnectionAsync(http.RequestAborted);
            }
            catch (DbException)
            {
                // Not reachable now: the page asks again per query as without this, and says what failed there.
                await next(http);
                return;
            }

            try
            {
                await next(http);
            }
            finally
            {
                await database.CloseConnectionAsync();
            }
        });
    }
}
