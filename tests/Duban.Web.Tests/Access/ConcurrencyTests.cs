using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Duban.Tests.Access;

/// <summary>
/// Twenty clients act on ONE matter at once over real HTTP: the lead unit's handlers (acknowledge, feedback, apply for
/// completion, ask for an extension) and the 督查室 (verify, close, reopen, urge, supervise), half of them sending the
/// version they read as <c>If-Match</c>. Every answer is 200/201 or a 409 that says where the matter stands, never a
/// 500; of twenty simultaneous acknowledgements exactly one wins; afterwards every event is one the lifecycle allowed
/// in the state before it, the replayed status and version equal the stored ones, and each success left exactly one
/// event (none lost, none doubled).
/// </summary>
public abstract class ConcurrencyTestsBase(DubanApp app, ITestOutputHelper output)
{
    private const int Clients = 20, Steps = 5;

    private static readonly string[] HandlerActions = ["acknowledge", "feedback", "complete", "extensions"];
    private static readonly string[] OfficeActions = ["verify", "close", "reopen", "urge", "supervise"];
    private static readonly string[] EventActions = ["acknowledge", "feedback", "complete", "verify", "close", "reopen"];

    private sealed record Answer(string Action, int Status, string Body, int? IfMatch);

    [Theory]
    [InlineData(17)]
    [InlineData(4242)]
    [InlineData(90210)]
    public async Task TwentyClients_OneMatter_OneWinnerPerConflict_AndTheHistoryReplays(int seed)
    {
        var clock = Stopwatch.StartNew();
        long id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment("K-T") with { Title = "并发测试 " + seed.ToString(CultureInfo.InvariantCulture) }, app.Org.Supervisor);
        }

        var clients = Enumerable.Range(0, Clients).Select(i => app.Client(i % 2 == 0 ? app.TownshipToken : app.SupervisorToken)).ToList();
        try
        {
            // Wave 1: every client (as the lead unit) acknowledges version 1 at the same instant, half with If-Match.
            var handlers = Enumerable.Range(0, Clients).Select(_ => app.Client(app.TownshipToken)).ToList();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var wave = handlers.Select((c, i) => Task.Run(async () =>
            {
                await start.Task;
                return await ActAsync(c, id, "acknowledge", i % 2 == 0 ? 1 : null, new Random(seed + i));
            })).ToList();
            start.SetResult();
            var first = await Task.WhenAll(wave);
            handlers.ForEach(h => h.Dispose());
            AssertAnswers(first);
            Assert.Equal(1, first.Count(a => a.Status == 200));
            Assert.Equal(Clients - 1, first.Count(a => a.Status == 409));

            // Wave 2: twenty clients, five steps each, a random mix of both sides' actions.
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runs = clients.Select((c, i) => Task.Run(async () =>
            {
                await go.Task;
                var random = new Random(seed * 31 + i);
                var answers = new List<Answer>();
                for (var step = 0; step < Steps; step++)
                {
                    var (version, _) = await ReadAsync(c, id);
                    var actions = i % 2 == 0 ? HandlerActions : OfficeActions;
                    answers.Add(await ActAsync(c, id, actions[random.Next(actions.Length)], random.Next(2) == 0 ? version : null, random));
                }

                return answers;
            })).ToList();
            go.SetResult();
            var second = (await Task.WhenAll(runs)).SelectMany(a => a).ToList();
            AssertAnswers(second);

            // Afterwards: the stored history is a legal lifecycle whose replay is the stored state.
            var all = first.Concat(second).ToList();
            var (events, stored, storedVersion) = await HistoryAsync(id);
            var actors = await ActorsAsync();
            var state = MatterState.Replay(events.Take(1));
            var lifecycle = app.Services.GetRequiredService<Rules>().Lifecycle();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var tree = (await VisibleMatters.LoadAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), id, app.Org.Admin, default)).Tree;
                foreach (var e in events.Skip(1))
                {
                    var actor = actors.TryGetValue(e.Actor.Id, out var known) ? known
                        : throw new InvalidOperationException($"event {e.Sequence} by an unknown actor {e.Actor.Id}");
                    var allowed = lifecycle.AllowedActions(state, actor, e.At, tree);
                    Assert.True(allowed.Contains(e.Action),
                        $"event {e.Sequence} {e.Action} by {e.Actor.Id} in status {state.Status}: the lifecycle allows only {string.Join(", ", allowed)}");
                    state = state.Apply(e);
                }
            }

            Assert.Equal(stored, state.Status);
            Assert.Equal(storedVersion, state.Version);
            var (apiVersion, apiStatus) = await ReadAsync(clients[0], id);
            Assert.Equal(storedVersion, apiVersion);
            Assert.Equal(WireEnum.Name(stored), apiStatus);
            foreach (var action in EventActions)
            {
                var won = all.Count(a => a.Action == action && a.Status == 200);
                var recorded = events.Count(e => WireEnum.Name(e.Action) == action);
                Assert.True(won == recorded, $"{action}: {won} answered 200 but {recorded} events recorded");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {seed}: {all.Count} requests from {Clients} clients — {all.Count(a => a.Status is 200 or 201)} done, {all.Count(a => a.Status == 409)} × 409 " +
                $"({all.Count(a => a.Status == 409 && a.Body.Contains("currentVersion", StringComparison.Ordinal))} stale version); " +
                $"{events.Count} events, final status {WireEnum.Name(stored)} v{storedVersion}; {clock.Elapsed.TotalSeconds:0.0} s"));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Every answer is a success or a 409 naming the matter's status (or, for a rule such as "an extension is
    /// already pending", saying why in Chinese); never a 500.</summary>
    private static void AssertAnswers(IEnumerable<Answer> answers)
    {
        foreach (var answer in answers)
        {
            Assert.True(answer.Status is 200 or 201 or 409, $"{answer.Action} answered {answer.Status}: {answer.Body}");
            if (answer.Status != 409)
            {
                continue;
            }

            var problem = JsonDocument.Parse(answer.Body).RootElement;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            Assert.False(string.IsNullOrWhiteSpace(detail), answer.Body);
            if (answer.Action is not ("urge" or "supervise" or "extensions"))
            {
                Assert.True(problem.TryGetProperty("matterStatus", out _), $"{answer.Action}: a 409 without the matter's status: {answer.Body}");
            }
        }
    }

    private static async Task<(int Version, string Status)> ReadAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"/api/matters/{id}"), UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var root = JsonDocument.Parse(text).RootElement;
        return (root.GetProperty("version").GetInt32(), root.GetProperty("status").GetString()!);
    }

    private static async Task<Answer> ActAsync(HttpClient client, long id, string action, int? version, Random random)
    {
        var (path, body) = action switch
        {
            "extensions" => ("extensions", new Dictionary<string, object?> { ["stage"] = "complete", ["dueAt"] = "2024-12-31", ["reason"] = "需等供电所检修窗口" }),
            "urge" => ("urge", new() { ["message"] = "请加快办理" }),
            "supervise" => ("supervise", new() { ["message"] = "列入督办", ["level"] = "general" }),
            "feedback" => ("feedback", new() { ["note"] = "已排查 12 处，修复 5 处" }),
            "complete" => ("complete", new() { ["result"] = "全部修复，夜间复查无暗点" }),
            "verify" => ("verify", new() { ["accepted"] = random.Next(2) == 0, ["note"] = "现场核查" }),
            "reopen" => ("reopen", new() { ["reason"] = "群众反映仍有暗点" }),
            _ => (action, new Dictionary<string, object?>()),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(string.Create(CultureInfo.InvariantCulture, $"/api/matters/{id}/{path}"), UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (version is { } v)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v.ToString(CultureInfo.InvariantCulture)}\""));
        }

        using var response = await client.SendAsync(request);
        return new Answer(action, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), version);
    }

    private async Task<(List<MatterEvent> Events, MatterStatus Status, int Version)> HistoryAsync(long id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var rows = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == id).OrderBy(e => e.Sequence).ToListAsync();
        var matter = await db.Matters.AsNoTracking().SingleAsync(m => m.Id == id);
        return (rows.Select(r => r.ToEvent()).ToList(), matter.Status, matter.Version);
    }

    /// <summary>The actors behind the test's tokens and the assigning person, with their roles, to re-check each event.</summary>
    private async Task<Dictionary<string, Actor>> ActorsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokens>();
        var actors = new Dictionary<string, Actor> { [app.Org.Supervisor.Id] = app.Org.Supervisor };
        foreach (var token in new[] { app.TownshipToken, app.SupervisorToken })
        {
            var actor = (await tokens.AuthenticateAsync(token))!;
            actors[actor.Id] = actor;
        }

        return actors;
    }
}

public sealed class ConcurrencySqliteTests(SqliteApp app, ITestOutputHelper output) : ConcurrencyTestsBase(app, output), IClassFixture<SqliteApp>;

public sealed class ConcurrencyPostgresTests(PostgresApp app, ITestOutputHelper output) : ConcurrencyTestsBase(app, output), IClassFixture<PostgresApp>;
