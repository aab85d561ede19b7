using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Duban.Tests.Hostile;

/// <summary>
/// The hostile corpus (<c>Hostile/corpus.tsv</c>) over a real server on each engine: every case is a clear 4xx
/// (ProblemDetails with a Chinese message on the API, a Chinese page otherwise) or a row-level rejection, never a 5xx,
/// and a refused request leaves the row count of every table as it was. Every API endpoint must be reached by at least
/// one case: a new endpoint without one fails the run by name.
/// </summary>
public abstract partial class HostileCorpusTests(HostileApp app, ITestOutputHelper output)
{
    /// <summary>Tables a refused request may still write, and why.</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase)
    {
        // The review counters (FactLedger): a request that reads the reviews first folds the pending deltas into the
        // tallies, whatever it then decides. Derived from the events, never input.
        "matter_tallies", "matter_tally_deltas", "unit_day_facts", "unit_day_matters", "unit_fact_deltas", "unit_month_facts",
        // Every view of a citizen's contact details is recorded, including a read that then answers nothing; and the
        // audit trail records such views and failed sign-ins on purpose (a refusal can be evidence too).
        "personal_data_views", "audit_records",
    };

    [Fact]
    public async Task EveryCase_IsA4xxOrARowLevelRefusal_NeverA5xx_AndNothingHalfStored()
    {
        var cases = HostileCase.Load();
        var context = await SetUpAsync();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var slowest = new List<(TimeSpan Elapsed, string What)>();
        var before = await CountRowsAsync(); // one query per request: each request's "after" is the next one's "before"
        foreach (var c in cases)
        {
            foreach (var (method, url, who) in c.Expand(app.ApiEndpoints(), context))
            {
                sent++;
                var (status, mediaType, body, elapsed) = await SendAsync(c, method, url, who, context);
                slowest.Add((elapsed, $"{c.Line}: {method} {url[..Math.Min(url.Length, 60)]} {c.Body[..Math.Min(c.Body.Length, 30)]} → {status}"));
                // A read is not counted after: its rows, if it wrote any, show at the next count and fail that case.
                var after = method == "GET" ? before : await CountRowsAsync();
                var label = $"{c.Line}: {method} {url} ({who}, {c.Body[..Math.Min(c.Body.Length, 40)]})";
                if (Verdict(c, url, status, mediaType, body) is { } wrong)
                {
                    failures.Add($"{label} → {status} {wrong}: {body[..Math.Min(body.Length, 300)]}");
                }

                if (status >= 400 && Changed(before, after) is { Length: > 0 } changed)
                {
                    failures.Add($"{label} → {status} but rows changed: {changed}");
                }

                if (elapsed > TimeSpan.FromSeconds(10))
                {
                    failures.Add($"{label} took {elapsed.TotalSeconds:0.0} s");
                }

                before = after;
            }
        }

        var missing = app.ApiEndpoints().Where(e => !app.Reached.ContainsKey(e)).ToList();
        output.WriteLine(FormattableString.Invariant($"{cases.Count} corpus lines, {sent} requests, {clock.Elapsed.TotalSeconds:0.0} s"));
        foreach (var (elapsed, what) in slowest.OrderByDescending(s => s.Elapsed).Take(8))
        {
            output.WriteLine(FormattableString.Invariant($"  slowest: {elapsed.TotalMilliseconds:0} ms {what}"));
        }

        foreach (var kind in cases.GroupBy(c => c.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {kind.Key}: {kind.Count()} lines");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests failed:\n" + string.Join("\n", failures));
        Assert.True(missing.Count == 0, "API endpoints no corpus case reaches (add lines to Hostile/corpus.tsv):\n" + string.Join("\n", missing));
    }

    /// <summary>Why an answer is wrong for its case, or null.</summary>
    private static string? Verdict(HostileCase c, string url, int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            return "a server error";
        }

        // Refused before the app: Kestrel answers a NUL in the path with a bare 400, and closes the connection on a
        // body past its 30 MB limit (the client sees the connection go: 499 here). Neither can carry a ProblemDetails.
        var bareRefusal = status == 400 && mediaType is null && url.Contains("%00", StringComparison.Ordinal) || status == 499;
        var refused = status >= 400;
        var ok = c.Expect switch
        {
            "4xx" => refused,
            "ok" => true,
            "400raw" => status == 400 && bareRefusal,
            _ => status == int.Parse(c.Expect, CultureInfo.InvariantCulture),
        };
        if (!ok)
        {
            return $"expected {c.Expect}";
        }

        // 422 is an import's row-by-row report (every row with its verdict, nothing saved): a row-level rejection.
        if (refused && !bareRefusal && status != 422 && url.StartsWith("/api/", StringComparison.Ordinal))
        {
            if (mediaType != "application/problem+json")
            {
                return $"not ProblemDetails ({mediaType})";
            }

            if (status is not (401 or 404 or 405) && !Chinese().IsMatch(body))
            {
                return "no Chinese message";
            }
        }

        return null;
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    private async Task<(int Status, string? MediaType, string Body, TimeSpan Elapsed)> SendAsync(HostileCase c, string method, string url, string who, CorpusContext context)
    {
        // page:sup is a signed-in session whose forms carry its antiforgery token; page:sup! the same session without it.
        var page = who.StartsWith("page:", StringComparison.Ordinal);
        var session = page ? context.Pages[who[5..].TrimEnd('!')] : null;
        var client = session?.Client ?? app.Client(who == "anon" ? null : context.Tokens[who]);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative))
        {
            Content = c.Content(session is not null && !who.EndsWith('!') ? session.Token : null),
        };
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, watch.Elapsed);
        }
        catch (HttpRequestException ex)
        {
            // The server closed the connection on a body it would not read (an oversize upload): a refusal, not an error.
            return (499, null, ex.Message, watch.Elapsed);
        }
        finally
        {
            if (!page)
            {
                client.Dispose();
            }
        }
    }

    private async Task<CorpusContext> SetUpAsync()
    {
        var supervisor = app.Client(app.SupervisorToken);
        using var created = await supervisor.PostAsync("/api/matters", new StringContent(
            """{"title":"敌意输入","content":"敌意输入的事项","goal":"g","standard":"s","leadUnit":"K-T"}""", Encoding.UTF8, "application/json"));
        var matter = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        (await app.Client(app.TownshipToken).PostAsync($"/api/matters/{matter}/acknowledge", null)).Dispose();
        using var appeal = await supervisor.PostAsync("/api/appeals", new StringContent(
            """{"title":"夜间噪音","content":"工地夜间施工噪音扰民","category":"城乡建设","contactName":"张三","contactPhone":"13900001234"}""", Encoding.UTF8, "application/json"));
        var code = JsonNode.Parse(await appeal.Content.ReadAsStringAsync())?["trackingCode"]?.GetValue<string>() ?? "NOCODE";
        var pages = new Dictionary<string, PageSession>
        {
            ["sup"] = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor),
            ["adm"] = await PageSession.SignInAsync(app, "C", Role.Admin),
            ["town"] = await PageSession.SignInAsync(app, "K-T", Role.Handler),
        };
        var tokens = new Dictionary<string, string>
        {
            ["sup"] = app.SupervisorToken, ["adm"] = app.AdminToken, ["town"] = app.TownshipToken, ["dept"] = app.DepartmentToken,
        };
        return new CorpusContext(matter, code, tokens, pages);
    }

    private System.Data.Common.DbCommand? _count;

    /// <summary>Every table's row count, in one query, prepared once on a connection kept for the run (PostgreSQL plans
    /// the 80-table union once instead of for every request).</summary>
    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        if (_count is null)
        {
            var scope = app.Services.CreateAsyncScope(); // lives as long as the app: the connection stays open
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            _count = connection.CreateCommand();
            _count.CommandText = string.Join(" UNION ALL ", db.Model.GetEntityTypes()
                .Where(t => t.GetTableName() is not null && t.GetViewName() is null)
                .Select(t => t.GetTableName()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(t => $"SELECT '{t}', COUNT(*) FROM \"{t}\""));
            await _count.PrepareAsync();
        }

        await using var reader = await _count.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static string Changed(Dictionary<string, long> before, Dictionary<string, long> after) =>
        string.Join(", ", after.Where(a => !Volatile.Contains(a.Key) && before.GetValueOrDefault(a.Key) != a.Value)
            .Select(a => $"{a.Key} {before.GetValueOrDefault(a.Key)}→{a.Value}"));
}

public sealed class HostileCorpusTests_Sqlite(HostileSqliteApp app, ITestOutputHelper output)
    : HostileCorpusTests(app, output), IClassFixture<HostileSqliteApp>;

public sealed class HostileCorpusTests_Postgres(HostilePostgresApp app, ITestOutputHelper output)
    : HostileCorpusTests(app, output), IClassFixture<HostilePostgresApp>;

/// <summary>What the corpus's placeholders stand for on this server: a matter, an appeal's tracking code, tokens and page sessions.</summary>
public sealed record CorpusContext(long Matter, string TrackingCode, IReadOnlyDictionary<string, string> Tokens, IReadOnlyDictionary<string, PageSession> Pages);

/// <summary>The app with a recorder of the endpoints requests reached (even those that then threw and were answered by
/// the exception handler, which clears the endpoint).</summary>
public abstract class HostileApp : DubanApp
{
    public ConcurrentDictionary<string, bool> Reached { get; } = new(StringComparer.Ordinal);

    /// <summary>Every API endpoint as "METHOD /route".</summary>
    public IReadOnlyList<string> ApiEndpoints() => Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
        .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Recorder(Reached)));
    }

    private sealed class Recorder(ConcurrentDictionary<string, bool> reached) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextStep) =>
            {
                context.Features.Set<IEndpointFeature>(new RecordingEndpoint(context.Request.Method, reached));
                return nextStep(context);
            });
            next(app);
        };
    }

    private sealed class RecordingEndpoint(string method, ConcurrentDictionary<string, bool> reached) : IEndpointFeature
    {
        private Endpoint? _endpoint;

        public Endpoint? Endpoint
        {
            get => _endpoint;
            set
            {
                _endpoint = value;
                if (value is RouteEndpoint route)
                {
                    reached[$"{method} {route.RoutePattern.RawText?.TrimEnd('/')}"] = true;
                }
            }
        }
    }
}

public sealed class HostileSqliteApp : HostileApp
{
    protected override string Engine => TestDatabase.Sqlite;
}

public sealed class HostilePostgresApp : HostileApp
{
    protected override string Engine => TestDatabase.Postgres;
}
