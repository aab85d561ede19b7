using System.Text.RegularExpressions;
using Duban.Data;
using Npgsql;

namespace Duban.Web;

/// <summary>
/// With <c>Database:ReadConnection</c> (a PostgreSQL streaming replica), the read-heavy pages — the work list, the
/// board, the lists, the reviews, the dashboard — are read from the replica on GET, while everything else reads and
/// writes the primary. Chosen here, once per request, before the request's database context is made
/// (<see cref="ReadTarget"/>), not page by page.
/// Read-your-writes: a signed-in person's successful POST leaves the primary's WAL position in a cookie; until the
/// replica has replayed past it, that person's pages read the primary, so what they just did shows at once. Everybody
/// else may see the replica's lag (usually milliseconds).
/// </summary>
public static partial class ReadReplica
{
    /// <summary>The WAL position (LSN) after this browser's last write.</summary>
    public const string Cookie = "duban-lsn";

    /// <summary>The pages that only read and may be a little behind for people who did not just act.</summary>
    private static readonly string[] Pages =
        ["/", "/supervision", "/Lists/Matters", "/Lists/Accountability", "/Lists/Handling", "/Reviews", "/Reviews/Matters", "/Dashboard"];

    /// <summary>After a write, the cookie lives this long; a replica further behind than this is broken, not lagging.</summary>
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromMinutes(10);

    public static IApplicationBuilder UseReadReplica(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<DatabaseOptions>();
        if (options.ReadConnectionString is not { } replica)
        {
            return app;
        }

        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReadReplica));
        return app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            {
                if (Pages.Any(p => string.Equals(request.Path.Value, p, StringComparison.OrdinalIgnoreCase))
                    && await ReplicaHasAsync(request.Cookies[Cookie], replica, http, logger))
                {
                    http.RequestServices.GetRequiredService<ReadTarget>().Replica = true;
                }
            }
            else if (!request.Headers.Authorization.Any()) // a browser's form; API clients keep no cookies
            {
                http.Response.OnStarting(async () =>
                {
                    if (http.Response.StatusCode < 400)
                    {
                        http.Response.Cookies.Append(Cookie, await ScalarAsync(options.ConnectionString, "SELECT pg_current_wal_lsn()::text", http.RequestAborted),
                            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = request.IsHttps, MaxAge = CookieLifetime, IsEssential = true });
                    }
                });
            }

            await next(http);
        });
    }

    /// <summary>Whether the replica may serve: always without a write of this browser's; with one, once the replica has
    /// replayed past it (then the cookie is dropped). A replica that cannot be asked serves nobody.</summary>
    private static async Task<bool> ReplicaHasAsync(string? lsn, string replica, HttpContext http, ILogger logger)
    {
        if (lsn is not null && !LsnPattern().IsMatch(lsn))
        {
            http.Response.Cookies.Delete(Cookie); // not one of ours: nothing to wait for
            lsn = null;
        }

        try
        {
            var caughtUp = await ScalarAsync(replica,
                "SELECT (pg_last_wal_replay_lsn() IS NOT NULL AND (@lsn IS NULL OR pg_last_wal_replay_lsn() >= @lsn::pg_lsn))::text", http.RequestAborted,
                new NpgsqlParameter<string?>("lsn", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = lsn });
            if (caughtUp != "true")
            {
                return false;
            }

            if (lsn is not null)
            {
                http.Response.Cookies.Delete(Cookie);
            }

            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(e, "The read replica could not be asked; this request reads the primary");
            return false;
        }
    }

    /// <summary>A WAL position as PostgreSQL prints it, e.g. 0/3A1F570.</summary>
    [GeneratedRegex("^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")]
    private static partial Regex LsnPattern();

    private static async Task<string> ScalarAsync(string connectionString, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);

        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
