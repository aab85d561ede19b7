using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Duban.Tests.Access;

/// <summary>The web host for the matrix: the public per-address limits raised, since every cell comes from 127.0.0.1.</summary>
public abstract class AccessMatrixApp : DubanApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:SubmitPerMinute", "100000");
        builder.UseSetting("Portal:LookupPerMinute", "100000");
    }
}

public sealed class AccessMatrixSqliteApp : AccessMatrixApp
{
    protected override string Engine => TestDatabase.Sqlite;
}

public sealed class AccessMatrixPostgresApp : AccessMatrixApp
{
    protected override string Engine => TestDatabase.Postgres;
}

/// <summary>Runs <c>access-matrix.txt</c> against the app. <c>DUBAN_MATRIX_WRITE=1</c> also writes what was observed to
/// <c>access-matrix.observed.txt</c> in the test output folder (same format) for a reviewer to compare; the table itself is only ever edited by hand.</summary>
public abstract class AccessMatrixTestsBase(DubanApp app, ITestOutputHelper output)
{
    protected async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var runner = new AccessMatrixRunner(app);
        await runner.PrepareAsync();
        var routes = await AccessMatrix.EnumerateAsync(app.Services);
        var path = AccessMatrix.TablePath();
        var rows = AccessMatrix.Read(path);
        var problems = new List<string>();
        var byKey = new Dictionary<string, AccessMatrix.Row>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!byKey.TryAdd(row.Key, row))
            {
                problems.Add($"line {row.Line}: a second row for {row.Key}");
            }
        }

        var present = routes.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(routes.Where(r => !byKey.ContainsKey(r.ToString())).Select(r => $"no expectation for {r}"));
        problems.AddRange(rows.Where(r => !present.Contains(r.Key)).Select(r => $"line {r.Line}: {r.Key} is not a route of the app"));

        var writing = Environment.GetEnvironmentVariable("DUBAN_MATRIX_WRITE") == "1";
        if (writing)
        {
            foreach (var route in routes.Where(r => !byKey.ContainsKey(r.ToString())))
            {
                byKey[route.ToString()] = new AccessMatrix.Row(route.Method, route.Route, AccessMatrix.GuessResource(route.Route),
                    AccessMatrix.Roles.ToDictionary(r => r, _ => new[] { "?" }), [], null, 0);
            }
        }

        var observed = new StringBuilder();
        var cells = 0;
        var timings = new List<(double Ms, string Key)>();
        var ordered = routes.Where(r => byKey.ContainsKey(r.ToString()))
            .OrderBy(r => r.Route.StartsWith("/logout", StringComparison.Ordinal))
            .ThenBy(r => r.Method is "GET" ? 0 : 1)
            .ThenBy(r => r.ToString(), StringComparer.Ordinal);
        foreach (var route in ordered)
        {
            var row = byKey[route.ToString()];
            var rowClock = Stopwatch.StartNew();
            var line = new List<string> { row.Method, row.Route, row.Resource };
            foreach (var role in AccessMatrix.Roles)
            {
                var codes = new List<string>();
                for (var scope = 0; scope < (row.Scoped ? AccessMatrix.Scopes.Length : 1); scope++)
                {
                    var target = row.Scoped
                        ? await runner.TargetAsync(row.Resource, AccessMatrix.TargetUnit(role, AccessMatrix.Scopes[scope]), fresh: row.Method != "GET" && !AccessMatrix.IsDenial(row.Expected(role, scope)))
                        : null;
                    string code;
                    try
                    {
                        code = await runner.SendAsync(row, route, role, target, name => AccessMatrixFixtures.MakeAsync(app, runner, name));
                    }
                    catch (InvalidOperationException e)
                    {
                        code = "error";
                        problems.Add(e.Message);
                    }

                    cells++;
                    codes.Add(code);
                    var expected = row.Expected(role, scope);
                    if (code != expected)
                    {
                        problems.Add($"{row.Key} as {role}{(row.Scoped ? " on " + AccessMatrix.Scopes[scope] : "")}: expected {expected}, got {code}");
                    }
                }

                line.Add(codes.Distinct().Count() == 1 ? codes[0] : string.Join('/', codes));
            }

            timings.Add((rowClock.Elapsed.TotalMilliseconds, row.Key));
            observed.Append(string.Join(' ', line));
            foreach (var (name, value) in row.Extras)
            {
                observed.Append(' ').Append(name).Append('=').Append(value);
            }

            if (row.Body is not null)
            {
                observed.Append(" body=").Append(row.Body);
            }

            observed.AppendLine();
        }

        var scoped = rows.Count(r => r.Scoped);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"access matrix: {routes.Count} routes ({routes.Count(r => !r.Page)} API endpoints, {routes.Count(r => r.Page)} page handlers) × {AccessMatrix.Roles.Length} roles × (3 scopes for {scoped} rows, 1 for {rows.Count - scoped}) = {cells} cells in {clock.Elapsed.TotalSeconds:0.0} s"));
        output.WriteLine("slowest rows: " + string.Join(", ", timings.OrderByDescending(t => t.Ms).Take(12)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Ms:0} ms"))));
        if (writing)
        {
            var written = Path.Combine(AppContext.BaseDirectory, "access-matrix.observed.txt");
            await File.WriteAllTextAsync(written, observed.ToString());
            output.WriteLine("observed table: " + written);
        }

        Assert.True(problems.Count == 0, $"{problems.Count} cells or rows disagree with access-matrix.txt:\n" + string.Join('\n', problems));
    }
}

public sealed class AccessMatrixSqliteTests(AccessMatrixSqliteApp app, ITestOutputHelper output)
    : AccessMatrixTestsBase(app, output), IClassFixture<AccessMatrixSqliteApp>
{
    [Fact]
    public Task EveryRoute_EveryRole_EveryScope_AnswersAsTheTableSays() => RunAsync();
}

/// <summary>The same matrix on PostgreSQL: about a minute more, so only with <c>DUBAN_MATRIX_POSTGRES=1</c>.</summary>
public sealed class AccessMatrixPostgresTests(AccessMatrixPostgresApp app, ITestOutputHelper output)
    : AccessMatrixTestsBase(app, output), IClassFixture<AccessMatrixPostgresApp>
{
    [PostgresMatrixFact]
    public Task EveryRoute_EveryRole_EveryScope_AnswersAsTheTableSays() => RunAsync();
}

/// <summary>Skipped unless <c>DUBAN_MATRIX_POSTGRES=1</c>.</summary>
public sealed class PostgresMatrixFactAttribute : FactAttribute
{
    public PostgresMatrixFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DUBAN_MATRIX_POSTGRES") != "1")
        {
            Skip = "the PostgreSQL access matrix runs with DUBAN_MATRIX_POSTGRES=1";
        }
    }
}

/// <summary>The named fixtures (<c>@name</c> in the table): things that belong to no unit scope.</summary>
public static class AccessMatrixFixtures
{
    public static Task<string> MakeAsync(DubanApp app, AccessMatrixRunner runner, string name)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(runner);
        return runner.NamedAsync(name, n => n switch
        {
            "missing" => Task.FromResult("999999"),
            _ => throw new InvalidOperationException($"no fixture @{n}"),
        });
    }
}
