using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Duban.Tests.Crash;

/// <summary>
/// Crash safety against the real server process: the first start (migrations, the demo organisation) is killed with
/// SIGKILL at a random instant and must be completed by the next start by itself; then, cycle after cycle, a few
/// concurrent clients register appeals (with <c>Idempotency-Key</c>) and move their matters through the lifecycle, the
/// server is killed at a random instant and started again, and every answer that was 2xx must be there, whole, with
/// every matter's events replaying as a legal lifecycle. The seed is printed; <c>DUBAN_CRASH_SEED</c> repeats a run,
/// <c>DUBAN_CRASH_CYCLES</c> sets the number of cycles (3 by default; 20 for the long variant).
/// One class per engine, so the two run side by side.
/// </summary>
public abstract class CrashTests(string engine, ITestOutputHelper log)
{
    /// <summary>How long any start may take before the test calls it hung (the first one makes the schema and the demo).</summary>
    private static readonly TimeSpan FirstStartBound = TimeSpan.FromSeconds(180), RestartBound = TimeSpan.FromSeconds(90);

    private const string Region = "410102001"; // 人民路街道: the lead unit of every appeal here

    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("DUBAN_CRASH_CYCLES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 3;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("DUBAN_CRASH_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
        ? s
        : Random.Shared.Next(1, 1_000_000);

    /// <summary>An appeal the server answered 2xx, with what was sent.</summary>
    private sealed record AppealAck(string Key, string Title, string Content, string Phone, string TrackingCode, long MatterId);

    /// <summary>A lifecycle action the server answered 2xx: the matter's version in the answer is the event's sequence.</summary>
    private sealed record ActionAck(long MatterId, MatterAction Action, int Version);

    /// <summary>An appeal sent whose answer never came (in flight at the kill): a retry with its key must not fail.</summary>
    private sealed record Unanswered(string Key, object Body);

    private sealed class Ledger
    {
        public ConcurrentBag<AppealAck> Appeals { get; } = [];
        public ConcurrentBag<ActionAck> Actions { get; } = [];
        public ConcurrentBag<Unanswered> InFlight { get; } = [];
        public int Refused;
        public int Retried;
    }

    [Fact]
    public async Task KilledAtRandomInstants_EveryAcknowledgedWriteSurvives_AndTheServerComesBack()
    {
        var seed = Seed;
        var random = new Random(seed);
        var cycles = Cycles;
        log.WriteLine($"{engine}: seed {seed} (DUBAN_CRASH_SEED={seed} repeats it), {cycles} cycles");
        var total = Stopwatch.StartNew();

        await using var database = await TestDatabase.CreateEmptyAsync(engine);
        var attachments = Directory.CreateTempSubdirectory("duban-crash-");
        try
        {
            var settings = ServerProcess.Settings(engine, database.ConnectionString, attachments.FullName);
            var port = ServerProcess.FreePort();
            await using var data = ServerProcess.DataServices(settings);

            log.WriteLine(await DurabilityAsync(data));
            await KillFirstStartAsync(settings, port, random, data);

            var ledger = new Ledger();
            var tokens = await TokensAsync(data);
            var restarts = new List<double>();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                using var server = ServerProcess.Start(settings, port);
                var ready = await server.WaitReadyAsync(RestartBound, Diagnose(settings));
                restarts.Add(ready.TotalSeconds);
                await CheckAsync(data, ledger, server, tokens.Supervisor);

                var before = (ledger.Appeals.Count, ledger.Actions.Count);
                using var stop = new CancellationTokenSource();
                var clients = Enumerable.Range(0, 4).Select(c => DriveAsync(server.BaseAddress, tokens, ledger, $"{cycle}-{c}", stop.Token)).ToList();
                // The kill's instant counts from the first answer of the cycle (a fresh process answers its first requests slowly).
                var warm = Stopwatch.StartNew();
                while (ledger.Appeals.Count == before.Item1 && warm.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(20);
                }

                var runFor = TimeSpan.FromMilliseconds(random.Next(0, 4000));
                await Task.Delay(runFor);
                server.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(clients);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"cycle {cycle}: ready in {ready.TotalSeconds:0.0} s, killed {runFor.TotalSeconds:0.00} s after the first answer with {ledger.Appeals.Count - before.Item1} appeals and {ledger.Actions.Count - before.Item2} actions acknowledged"));
            }

            using (var last = ServerProcess.Start(settings, port))
            {
                restarts.Add((await last.WaitReadyAsync(RestartBound)).TotalSeconds);
                await CheckAsync(data, ledger, last, tokens.Supervisor);
                last.Kill();
            }

            Assert.NotEmpty(ledger.Appeals); // a run that acknowledged nothing tested nothing
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{engine}: {cycles} kills survived; {ledger.Appeals.Count} appeals and {ledger.Actions.Count} lifecycle actions acknowledged, all present; "
                + $"{ledger.Retried} in flight at a kill retried without error; {ledger.Refused} refusals (4xx); restart to ready max {restarts.Max():0.0} s, "
                + $"mean {restarts.Average():0.0} s; {total.Elapsed.TotalSeconds:0} s in all"));
        }
        finally
        {
            SqliteClear();
            attachments.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The engine's durability settings as Duban's own connections get them, checked: SQLite must commit with
    /// <c>synchronous=FULL</c> (2) — in WAL mode <c>NORMAL</c> would lose the last commits to a power cut (not to a
    /// kill) — and PostgreSQL with <c>synchronous_commit=on</c>. (The throwaway test server runs <c>fsync=off</c>, which a
    /// killed Duban process cannot tell from on: the committed data is in the server's memory either way.)
    /// </summary>
    private async Task<string> DurabilityAsync(ServiceProvider data)
    {
        await using var scope = data.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<DubanDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        async Task<string> AskAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
        }

        if (engine == TestDatabase.Sqlite)
        {
            Assert.Equal("2", await AskAsync("PRAGMA synchronous"));
            return "sqlite: synchronous=FULL (2) on Duban's connections; journal_mode=WAL once migrated";
        }

        var commit = await AskAsync("SHOW synchronous_commit");
        Assert.Equal("on", commit);
        return $"postgres: synchronous_commit={commit}, fsync={await AskAsync("SHOW fsync")} (the throwaway test server's)";
    }

    private Func<Task<string>>? Diagnose(IReadOnlyDictionary<string, string?> settings) =>
        engine == TestDatabase.Postgres ? () => ServerProcess.SessionsAsync(settings["ConnectionStrings:Duban"]!) : null;

    private static void SqliteClear() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    /// <summary>
    /// Kills the very first start at random instants (while it migrates or makes the demo), looks at what each kill left
    /// (nothing of the demo, or all of it), then starts once more and checks the demo is whole and was announced.
    /// </summary>
    private async Task KillFirstStartAsync(IReadOnlyDictionary<string, string?> settings, int port, Random random, ServiceProvider data)
    {
        var kills = Math.Max(1, Cycles / 4);
        var left = new List<(double After, Snapshot State)>();
        for (var i = 0; i < kills; i++)
        {
            using var first = ServerProcess.Start(settings, port);
            var opened = await first.WaitDatabaseOpenAsync(engine, settings["ConnectionStrings:Duban"]!, FirstStartBound);
            var after = TimeSpan.FromMilliseconds(random.Next(0, 10_000 * (i + 1))); // later kills reach further: the demo comes after the migrations
            await Task.Delay(after);
            first.Kill();
            var state = await SnapshotAsync(data);
            left.Add((after.TotalSeconds, state));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first start killed {after.TotalSeconds:0.00} s after it opened the database ({opened.TotalSeconds:0.0} s after its start): {state}"));
            if (state.Units > 0)
            {
                break; // the demo was made before the kill: later starts are no longer first starts
            }
        }

        var watch = Stopwatch.StartNew();
        using var server = ServerProcess.Start(settings, port);
        var ready = await server.WaitReadyAsync(FirstStartBound, Diagnose(settings));
        var whole = await SnapshotAsync(data);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the next start completed it: ready in {ready.TotalSeconds:0.0} s, {whole}"));
        Assert.True(whole.Units > 0 && whole.Users > 0 && whole.Matters > 0, $"the demo is missing after a complete start: {whole}");
        Assert.Equal(0, whole.PendingMigrations);
        foreach (var (after, state) in left)
        {
            // All or nothing: a kill leaves no demo at all, or the whole of it.
            Assert.True(state.Units == 0
                    ? state.Users == 0 && state.Matters == 0 && state.Appeals == 0
                    : (state.Units, state.Users, state.Matters, state.Appeals) == (whole.Units, whole.Users, whole.Matters, whole.Appeals),
                $"the kill after {after:0.00} s left half a demo: {state}, whole is {whole}");
        }

        if (left[^1].State.Units == 0)
        {
            Assert.Contains("已创建演示单位", server.Output, StringComparison.Ordinal); // the sign-ins are printed by the start that made it
        }

        server.Kill();
    }

    private sealed record Snapshot(int PendingMigrations, int Units, int Users, int Matters, int Events, int Appeals)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{PendingMigrations} migrations pending, {Units} units, {Users} users, {Matters} matters, {Events} events, {Appeals} appeals");
    }

    /// <summary>What a database holds, read from outside (tables that do not exist yet count as empty).</summary>
    private static async Task<Snapshot> SnapshotAsync(ServiceProvider data)
    {
        SqliteClear();
        await using var scope = data.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).Count();
        async Task<int> CountAsync<T>(IQueryable<T> rows)
        {
            try
            {
                return await rows.CountAsync();
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException)
            {
                return 0; // no such table yet
            }
        }

        return new Snapshot(pending, await CountAsync(db.Units), await CountAsync(db.Users), await CountAsync(db.Matters),
            await CountAsync(db.MatterEvents), await CountAsync(db.Appeals));
    }

    private sealed record Tokens(string Supervisor, string Handler);

    private static async Task<Tokens> TokensAsync(ServiceProvider data)
    {
        await using var scope = data.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokens>();
        return new Tokens(await tokens.CreateAsync("4101-DC", "supervisor", "崩溃测试·督查室"), await tokens.CreateAsync(Region, "handler", "崩溃测试·街道"));
    }

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static object AppealBody(string title, string content, string phone) => new
    {
        title,
        content,
        category = "城乡建设",
        region = Region,
        leadUnit = Region,
        contactName = "崩溃测试",
        contactPhone = phone,
        channel = "hotline",
    };

    /// <summary>One client: registers an appeal, then acknowledges, gives feedback, completes and verifies it, over and over,
    /// recording every 2xx, until the server dies or the cycle ends.</summary>
    private static async Task DriveAsync(Uri address, Tokens tokens, Ledger ledger, string client, CancellationToken stop)
    {
        using var supervisor = Client(address, tokens.Supervisor);
        using var handler = Client(address, tokens.Handler);
        var steps = new (MatterAction Action, HttpClient By, Func<int, object> Body)[]
        {
            (MatterAction.Acknowledge, handler, v => new { version = v }),
            (MatterAction.Feedback, handler, v => new { version = v, note = "已到现场查看，正在联系施工单位。" }),
            (MatterAction.Complete, handler, v => new { version = v, result = "路灯已更换，恢复照明。" }),
            (MatterAction.Verify, supervisor, v => new { version = v, accepted = true, note = "经核实已办结。" }),
        };
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"crash-{client}-{i}-{Guid.NewGuid():N}";
                var title = $"崩溃测试诉求 {client}-{i}";
                var content = $"幸福路 {i} 号门口的路灯坏了（{key}），晚上出行不便，请尽快修复。";
                var phone = string.Create(CultureInfo.InvariantCulture, $"139{Random.Shared.Next(0, 100_000_000):D8}");
                var body = AppealBody(title, content, phone);
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/appeals") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                JsonNode created;
                try
                {
                    using var response = await supervisor.SendAsync(request, stop);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref ledger.Refused);
                        CheckRefusal(response);
                        continue;
                    }

                    created = JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))!;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    ledger.InFlight.Add(new Unanswered(key, body));
                    return;
                }

                var matterId = created["matterId"]!.GetValue<long>();
                ledger.Appeals.Add(new AppealAck(key, title, content, phone, created["trackingCode"]!.GetValue<string>(), matterId));
                var version = 1;
                foreach (var (action, by, makeBody) in steps)
                {
                    using var response = await by.PostAsJsonAsync($"api/matters/{matterId}/{action.ToString().ToLowerInvariant()}", makeBody(version), stop);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref ledger.Refused);
                        CheckRefusal(response);
                        break;
                    }

                    var details = JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))!;
                    version = details["version"]!.GetValue<int>();
                    ledger.Actions.Add(new ActionAck(matterId, action, version));
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // the server was killed mid-request: that answer never came
        }
    }

    /// <summary>A refusal is a client error or a 503 to retry, never a 500.</summary>
    private static void CheckRefusal(HttpResponseMessage response) =>
        Assert.True((int)response.StatusCode < 500 || response.StatusCode == HttpStatusCode.ServiceUnavailable,
            $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode}");

    /// <summary>
    /// After a restart: every acknowledged appeal is stored whole under its tracking code and key, every acknowledged
    /// action is the event at the version it answered, every matter's events replay to its stored state as a legal
    /// lifecycle, and a retry of what was in flight at the kill gets the appeal (once) rather than an error.
    /// </summary>
    private static async Task CheckAsync(ServiceProvider data, Ledger ledger, ServerProcess server, string supervisorToken)
    {
        SqliteClear();
        await using (var scope = data.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var acked = ledger.Appeals.ToList();
            var stored = (await db.Appeals.AsNoTracking().Include(a => a.Matter).Where(a => a.IdempotencyKey != null && a.IdempotencyKey.StartsWith("crash-")).ToListAsync())
                .ToDictionary(a => a.IdempotencyKey!);
            foreach (var ack in acked)
            {
                Assert.True(stored.TryGetValue(ack.Key, out var appeal), $"appeal {ack.TrackingCode} ({ack.Key}) was acknowledged but is gone");
                Assert.Equal(ack.TrackingCode, TrackingCode.Format(appeal.TrackingCode));
                Assert.Equal(ack.MatterId, appeal.MatterId);
                Assert.Equal((ack.Title, ack.Content, ack.Phone), (appeal.Matter!.Title, appeal.Matter.Content, appeal.ContactPhone));
            }

            var ids = stored.Values.Select(a => a.MatterId).ToHashSet();
            var matters = await db.Matters.AsNoTracking().Include(m => m.CoUnits).Include(m => m.Milestones).ToListAsync();
            var events = (await db.MatterEvents.AsNoTracking().ToListAsync()).ToLookup(e => e.MatterId);
            foreach (var matter in matters)
            {
                var history = events[matter.Id].OrderBy(e => e.Sequence).ToList();
                Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.Sequence));
                Assert.Equal(MatterState.Replay(history.Select(e => e.ToEvent())), matter.ToState());
                if (ids.Contains(matter.Id))
                {
                    CheckLegal(matter.Id, history.Select(e => e.Action).ToList());
                }
            }

            var byId = matters.ToDictionary(m => m.Id);
            foreach (var ack in ledger.Actions)
            {
                var history = events[ack.MatterId].ToDictionary(e => e.Sequence);
                Assert.True(history.TryGetValue(ack.Version, out var e) && e.Action == ack.Action,
                    $"matter {ack.MatterId}: {ack.Action} was acknowledged at version {ack.Version} but the event is {(e is null ? "gone" : e.Action.ToString())}");
                Assert.True(byId[ack.MatterId].Version >= ack.Version);
            }
        }

        // Retries: what was in flight may or may not have been stored; its retry gets it (201 or 200), never an error,
        // and an acknowledged appeal retried answers 200 with the same tracking code. A few of each per check.
        using var client = Client(server.BaseAddress, supervisorToken);
        while (ledger.InFlight.TryTake(out var lost))
        {
            Interlocked.Increment(ref ledger.Retried);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/appeals") { Content = JsonContent.Create(lost.Body) };
            request.Headers.Add("Idempotency-Key", lost.Key);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"retry of {lost.Key}: {(int)response.StatusCode}");
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var matter = await (await client.GetAsync(new Uri($"api/matters/{answer["matterId"]!.GetValue<long>()}", UriKind.Relative))).Content.ReadAsStringAsync();
            Assert.Contains(lost.Key, matter, StringComparison.Ordinal);
        }

        foreach (var ack in ledger.Appeals.OrderBy(_ => Random.Shared.Next()).Take(5))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/appeals")
            {
                Content = JsonContent.Create(AppealBody(ack.Title, ack.Content, ack.Phone)),
            };
            request.Headers.Add("Idempotency-Key", ack.Key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ack.TrackingCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["trackingCode"]!.GetValue<string>());
        }
    }

    /// <summary>The only lifecycle these clients drive: assigned, acknowledged, feedback, completed, verified — a prefix of it.</summary>
    private static void CheckLegal(long matterId, List<MatterAction> actions)
    {
        MatterAction[] legal = [MatterAction.Assign, MatterAction.Acknowledge, MatterAction.Feedback, MatterAction.Complete, MatterAction.Verify];
        Assert.True(actions.Count <= legal.Length && actions.SequenceEqual(legal.Take(actions.Count)),
            $"matter {matterId}: {string.Join(" → ", actions)} is not a legal history");
    }
}

public sealed class CrashTests_Sqlite(ITestOutputHelper log) : CrashTests(TestDatabase.Sqlite, log);

public sealed class CrashTests_Postgres(ITestOutputHelper log) : CrashTests(TestDatabase.Postgres, log);
