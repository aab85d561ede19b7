using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Bench;

/// <summary>
/// Which matters a sweep benchmark loads: <c>open</c> open matters, of which <c>due</c>, spread evenly through the
/// table (every open/due-th), were assigned on Tuesday 2026-06-09 between 08:30 and 17:30, so that at
/// <see cref="At"/> (Wednesday 22:00) their acknowledgment's 临期 warning (due 24:00 minus 4 hours) has fallen due
/// and nothing else of theirs has. The rest were assigned evenly over the 90 days starting a day after
/// <see cref="At"/>, so every rung of theirs lies in the future: the index on NextEscalationAt holds one entry per
/// open milestone, spread over three months, and exactly <c>due</c> of them are at or before <see cref="At"/>.
/// </summary>
internal sealed class SweepScenario(int open, int due)
{
    /// <summary>The instant the sweeps run at.</summary>
    public static readonly DateTimeOffset At = new(2026, 6, 10, 22, 0, 0, TimeSpan.FromHours(8));

    private static readonly DateTimeOffset DueFrom = new(2026, 6, 9, 8, 30, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan DueSpan = TimeSpan.FromHours(9);
    private static readonly TimeSpan RestSpan = TimeSpan.FromDays(90);

    public int Open { get; } = open;
    public int Due { get; } = due;

    private int Stride => Open / Due;

    public bool IsDue(int index) => index % Stride == 0 && index / Stride < Due;

    /// <summary>When matter <paramref name="index"/> was assigned, in UTC as AssignMatter reads the clock.</summary>
    public DateTimeOffset AssignedAt(int index) => (IsDue(index)
        ? DueFrom + (DueSpan * ((index / Stride + 0.5) / Due))
        : At + TimeSpan.FromDays(1) + (RestSpan * ((index + 0.5) / Open))).ToUniversalTime();

    /// <summary>Matter <paramref name="index"/> as AssignMatter would store it (see <see cref="BenchOrganisation.BuildMatter"/>);
    /// throws if its rungs are not where this scenario says.</summary>
    public Matter Build(BenchOrganisation organisation, Random random, Rules rules, Duban.Matters.MatterLifecycle lifecycle, int index,
        Dictionary<int, long> counters)
    {
        var matter = organisation.BuildMatter(random, rules, lifecycle, index, AssignedAt(index), counters);
        var dueNow = matter.Milestones.Where(m => m.NextEscalationAt <= At).ToList();
        var expected = IsDue(index) ? 1 : 0;
        if (dueNow.Count != expected || dueNow.Any(m => m.DueAt <= At || m.DueSoonAt > At))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"sweep scenario: matter {index} has {dueNow.Count} milestones due at {At:O}, expected {expected} with only its warning due"));
        }

        return matter;
    }
}

/// <summary>CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): on a shared machine, the work a
/// sweep did apart from the time it waited for a core, and apart from the runtime's JIT and GC threads.</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static double Milliseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var time) == 0 ? (time.Seconds * 1e3) + (time.Nanoseconds / 1e6) : double.NaN;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>
/// The deadline sweep (<see cref="SweepDeadlines"/>) over many open matters: (a) the sweep that records the rungs newly
/// due at an instant, (b) sweeps at the same instant with nothing left to do, at each size, to show what the cost
/// follows. Matters are bulk-loaded with SQL (<see cref="BulkLoader"/>); a self-check first compares such rows with
/// rows written by AssignMatter.
/// </summary>
internal sealed class SweepBench(BenchOptions options, Report report, TextWriter output)
{
    private const int Seed = 42;
    private const int LoadBatch = 5_000;
    private const int Warmups = 3, Calls = 30, RecordRuns = 5;

    /// <summary>Matters per second assumed for the first size's budget estimate, before any load was measured.</summary>
    private static readonly Dictionary<string, double> GuessedLoadRate = new()
    {
        [BenchDatabase.Sqlite] = 10_000,
        [BenchDatabase.Postgres] = 4_000,
    };

    public async Task RunAsync(string engine, Stopwatch budget, CancellationToken cancellationToken)
    {
        output.WriteLine($"# {engine}: deadline sweep, self-check of the bulk load");
        if (!await CheckAsync(engine, cancellationToken))
        {
            report.Note($"{engine}: sweep measurements skipped: bulk-loaded rows differ from AssignMatter's");
            return;
        }

        await WarmUpAsync(engine, cancellationToken);
        var rate = GuessedLoadRate[engine];
        var nothingDue = new Dictionary<int, double>();
        foreach (var n in options.SweepSizes.Order())
        {
            var due = options.SweepDue;
            if (due > n)
            {
                report.Note(string.Create(CultureInfo.InvariantCulture, $"{engine}: sweep open={n} skipped: fewer than --sweep-due {due}"));
                continue;
            }

            // Load time at the rate seen so far, plus the sweeps and the teardown.
            var estimate = TimeSpan.FromSeconds((n / rate * 1.3) + 20);
            if (budget.Elapsed + estimate > options.Budget)
            {
                report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"{engine}: sweep open={n} skipped: loading and sweeping would take about {estimate.TotalMinutes:0.0} min more, past the --budget of {options.Budget.TotalMinutes:0} min ({budget.Elapsed.TotalMinutes:0.0} min spent)"));
                continue;
            }

            var scenario = new SweepScenario(n, due);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {engine}: sweep open={n} due={due}: loading with SQL"));
            await using var database = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
            var clock = new BenchClock(SweepScenario.At);
            var services = await database.ServicesAsync(clock, cancellationToken);
            var organisation = await BenchOrganisation.CreateAsync(services, cancellationToken);
            var seconds = await LoadAsync(database, services, organisation, scenario, cancellationToken);
            rate = n / seconds;
            var itemSeconds = await AddItemsAsync(services, clock, organisation, options.SweepItems, cancellationToken);
            report.Add(new Measurement("sweep_load", engine, null, "items_by_product",
                [("items", options.SweepItems), ("seconds", itemSeconds), ("items_per_s", options.SweepItems / itemSeconds)])
            {
                Sizes = [("open", n)],
            });
            var size = database.SqliteFile is { } file ? new FileInfo(file).Length / 1e6 : double.NaN;
            report.Add(new Measurement("sweep_load", engine, null, "bulk_sql",
                engine == BenchDatabase.Sqlite ? [("matters_per_s", rate), ("seconds", seconds), ("file_mb", size)] : [("matters_per_s", rate), ("seconds", seconds)])
            {
                Sizes = [("open", n), ("due", due)],
            });
            if (engine == BenchDatabase.Postgres)
            {
                // What autovacuum does shortly after a bulk load; SQLite gets none, as the product runs none.
                await database.AnalyzeAsync(cancellationToken);
            }

            if (await MeasureAsync(engine, database, services, scenario, cancellationToken) is { } p50)
            {
                nothingDue[n] = p50;
                await MeasureColoursAsync(engine, services, scenario, options.SweepItems, cancellationToken);
            }
        }

        if (nothingDue.Count >= 2)
        {
            var (small, large) = (nothingDue.Keys.Min(), nothingDue.Keys.Max());
            report.Add(new Measurement("sweep_growth", engine, null, "nothing_due",
                [("from_open", small), ("p50_ratio", nothingDue[large] / nothingDue[small]), ("open_ratio", (double)large / small)])
            {
                Sizes = [("open", large)],
            });
        }
    }

    /// <summary>
    /// Brings the sweep's code to the state of a host that has been up a while, on a database of its own: a sweep
    /// that records 2,500 rungs, then sweeps at instants 18 hours apart (the scenario's other matters' rungs fall due
    /// over the following months, so each records a few), in rounds of ten with a pause between, until a round
    /// compiles no method. The runtime compiles a method first unoptimised, counts calls only once no new method was
    /// compiled for 100 ms, and recompiles it optimised after 30 calls, then again with its profile; the methods the
    /// sweep calls once per page (claim, write) need many sweeps and pauses to get there. Without this the recording
    /// sweep ran partly unoptimised (seen in a profile), which measures start-up rather than the sweeper.
    /// </summary>
    private async Task WarmUpAsync(string engine, CancellationToken cancellationToken)
    {
        const int Round = 10;
        var maxRounds = options.Quick ? 2 : 30; // --quick checks that it runs, not how fast
        var scenario = new SweepScenario(5_000, 2_500);
        await using var database = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
        var services = await database.ServicesAsync(new BenchClock(SweepScenario.At), cancellationToken);
        var organisation = await BenchOrganisation.CreateAsync(services, cancellationToken);
        await LoadAsync(database, services, organisation, scenario, cancellationToken);
        var at = SweepScenario.At.ToUniversalTime();
        var (ms, summary) = await SweepAsync(services, at, cancellationToken);
        var (rounds, recorded, compiled) = (0, 0, System.Runtime.JitInfo.GetCompiledMethodCount());
        for (var quiet = 0; quiet < 2 && rounds < maxRounds; rounds++)
        {
            for (var i = 0; i < Round; i++)
            {
                at = at.AddHours(18);
                var (_, s) = await SweepAsync(services, at, cancellationToken);
                recorded += s.Warned + s.Urged + s.Escalated + s.Accountability;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {engine}: warm-up on a database of its own (open={scenario.Open}): the first sweep took {Report.Format(ms)} ms for {summary}; then {rounds * Round} sweeps recorded {recorded} rungs until the JIT was quiet ({compiled} methods compiled)"));
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
    }

    /// <summary>The sweeps on one loaded database; the nothing-due p50, or null when the load was not as planned.</summary>
    private async Task<double?> MeasureAsync(string engine, BenchDatabase database, IServiceProvider services, SweepScenario scenario,
        CancellationToken cancellationToken)
    {
        var at = SweepScenario.At.ToUniversalTime();
        var dueCount = await CountAsync(services, db => db.Milestones.CountAsync(m => m.NextEscalationAt <= at, cancellationToken));
        if (dueCount != scenario.Due)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{engine}: sweep open={scenario.Open}: {dueCount} milestones due after loading, expected {scenario.Due}; not measured"));
            return null;
        }

        // Warm-ups two days earlier, when nothing is due: the queries compiled and a connection open, as in a running host.
        for (var i = 0; i < Warmups; i++)
        {
            await SweepAsync(services, at.AddDays(-2), cancellationToken);
        }

        if (engine == BenchDatabase.Sqlite)
        {
            // The measured sweeps run on the product's own connections, with SQLite's default synchronous=FULL.
            var synchronous = await CountAsync(services, async db =>
                (await db.Database.SqlQueryRaw<int>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").ToListAsync(cancellationToken))[0]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {engine}: the product's connections run with synchronous={synchronous} (2 = FULL)"));
        }

        // The recording sweep, several times from the same state: one figure on a shared two-core machine carries
        // about ±15 % noise. Between runs the rows the sweep wrote are deleted and its milestones restored.
        var rearm = await Rearm.CaptureAsync(services, at, cancellationToken);
        var runs = new List<(double Ms, double CpuMs, double ThreadCpuMs, long Statements, double StatementMs, SweepSummary Summary)>();
        List<CapturedCommand> captured = [];
        for (var run = 0; run < RecordRuns; run++)
        {
            if (run > 0)
            {
                await rearm.RestoreAsync(services, database, cancellationToken);
            }

            database.Capture.Enabled = run == 0;
            database.Timer.Reset();
            database.Timer.Enabled = true;
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var (threadBefore, threadCpuBefore) = (Environment.CurrentManagedThreadId, ThreadCpu.Milliseconds());
            var (recordMs, summary) = await SweepAsync(services, at, cancellationToken);
            var cpuMs = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
            // SQLite's calls complete synchronously, so the sweep stays on one thread; its CPU time is then the sweep's own.
            var threadCpuMs = Environment.CurrentManagedThreadId == threadBefore ? ThreadCpu.Milliseconds() - threadCpuBefore : double.NaN;
            database.Timer.Enabled = false;
            if (run == 0)
            {
                database.Capture.Enabled = false;
                captured = [.. database.Capture.Take()];
            }

            var recorded = database.Timer.Snapshot();
            runs.Add((recordMs, cpuMs, threadCpuMs, recorded.Count, recorded.Milliseconds, summary));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {engine} open={scenario.Open}: recording sweep {run + 1}/{RecordRuns}: {Report.Format(recordMs)} ms, {recorded.Count} statements, {summary}"));
        }

        var median = runs.OrderBy(r => r.Ms).ElementAt(runs.Count / 2);
        var summaries = runs.Select(r => r.Summary).Distinct().ToList();
        if (summaries.Count != 1)
        {
            report.Note($"{engine}: sweep open={scenario.Open}: the recording sweeps recorded different things: {string.Join(" / ", summaries)}");
        }

        List<(string Name, double Value)> figures =
        [
            ("ms", median.Ms),
            ("ms_min", runs.Min(r => r.Ms)),
            ("ms_max", runs.Max(r => r.Ms)),
            ("runs", runs.Count),
            ("cpu_ms", median.CpuMs),
        ];
        if (double.IsFinite(median.ThreadCpuMs))
        {
            figures.Add(("thread_cpu_ms", median.ThreadCpuMs)); // not when the sweep hopped threads (PostgreSQL's async I/O)
        }

        var (_, _, _, statements, statementMs, summary0) = median;
        report.Add(new Measurement("sweep", engine, null, "record",
        [
            .. figures,
            ("warned", summary0.Warned),
            ("urged", summary0.Urged),
            ("escalated", summary0.Escalated),
            ("accountability", summary0.Accountability),
            ("statements", statements),
            ("statement_ms", statementMs),
        ])
        {
            Sizes = [("open", scenario.Open), ("due", scenario.Due)],
        });

        var escalations = await CountAsync(services, db => db.Escalations.CountAsync(cancellationToken));
        var notices = await CountAsync(services, db => db.Notices.CountAsync(cancellationToken));
        var left = await CountAsync(services, db => db.Milestones.CountAsync(m => m.NextEscalationAt <= at, cancellationToken));
        if (escalations != scenario.Due || notices != scenario.Due || left != 0)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{engine}: sweep open={scenario.Open}: after the sweep {escalations} escalations, {notices} notices, {left} milestones still due; expected {scenario.Due}, {scenario.Due}, 0"));
        }

        for (var i = 0; i < Warmups; i++)
        {
            await SweepAsync(services, at, cancellationToken);
        }

        var latencies = new List<double>();
        SweepSummary? last = null;
        for (var i = 0; i < Calls; i++)
        {
            var (ms, s) = await SweepAsync(services, at, cancellationToken);
            latencies.Add(ms);
            last = s;
        }

        var p50 = Percentiles.Of(latencies, 50);
        report.Add(new Measurement("sweep", engine, null, "nothing_due",
        [
            ("p50_ms", p50),
            ("p95_ms", Percentiles.Of(latencies, 95)),
            ("calls", latencies.Count),
            ("recorded", last!.Warned + last.Urged + last.Escalated + last.Accountability),
        ])
        {
            Sizes = [("open", scenario.Open), ("due", 0)],
        });

        // The claim's plan: it should be a range search on the NextEscalationAt index, whatever the table size.
        if (captured.FirstOrDefault(c => c.Sql.Contains("NextEscalationAt", StringComparison.Ordinal)) is { } claim)
        {
            var (plan, medianMs) = await database.ExplainAsync(claim, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {engine} open={scenario.Open}: the claim statement (now nothing due) alone {Report.Format(medianMs)} ms, plan:"));
            foreach (var line in plan)
            {
                output.WriteLine("#   " + line);
            }

            if (options.Explain)
            {
                output.WriteLine(claim.Sql);
            }
        }

        // The colour refresh's probe: an index search on ColourDueAt too, whatever the table size.
        if (captured.FirstOrDefault(c => c.Sql.Contains("ColourDueAt", StringComparison.Ordinal)) is { } colours)
        {
            var (plan, medianMs) = await database.ExplainAsync(colours, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {engine} open={scenario.Open}: the colour refresh's probe alone {Report.Format(medianMs)} ms, plan:"));
            foreach (var line in plan)
            {
                output.WriteLine("#   " + line);
            }
        }

        return p50;
    }

    /// <summary>
    /// Work items in the mix, made by the product (<see cref="WorkItems.CreateAsync"/>) a day after the sweep's instant,
    /// like the scenario's other matters, so nothing of theirs is due at it: four nodes two months apart and a monthly
    /// report on the 25th, the first due 2026-06-25. Returns the seconds taken.
    /// </summary>
    private static async Task<double> AddItemsAsync(IServiceProvider services, BenchClock clock, BenchOrganisation organisation, int count,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(Seed);
        var day = DateOnly.FromDateTime(SweepScenario.At.AddDays(1).DateTime);
        string Date(int days) => day.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] registers = ["key-work", "project", "reform", "meeting"];
        for (var i = 0; i < count; i++)
        {
            clock.Now = SweepScenario.At.AddDays(1).AddHours(-12).AddSeconds(i % 3_600);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WorkItems>().CreateAsync(new NewItem
            {
                Title = string.Create(CultureInfo.InvariantCulture, $"基准重点工作 {i}"),
                Content = BenchOrganisation.Content,
                Register = registers[i % registers.Length],
                LeadUnit = organisation.Pick(random, organisation.CityLeads).Code,
                Plan = [new("立项", Date(60)), new("开工", Date(120)), new("主体完工", Date(180)), new("竣工", Date(240))],
                Cycle = new CycleInput("monthly", 25, null),
            }, organisation.Supervisor, cancellationToken);
        }

        clock.Now = SweepScenario.At;
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The sweep's colour refresh when the items' first report has fallen due: every item turns yellow at once (the
    /// worst case: a monthly report day shared by all), read through the index on <c>ColourDueAt</c>, recoloured and
    /// saved with its colour event. Measured once, as it changes the database.
    /// </summary>
    private async Task MeasureColoursAsync(string engine, IServiceProvider services, SweepScenario scenario, int items, CancellationToken cancellationToken)
    {
        var at = new DateTimeOffset(2026, 6, 26, 1, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        var start = Stopwatch.GetTimestamp();
        int changed;
        await using (var scope = services.CreateAsyncScope())
        {
            changed = await ItemColours.RefreshAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(),
                scope.ServiceProvider.GetRequiredService<Rules>(), at, cancellationToken);
        }

        var ms = Percentiles.Milliseconds(start, Stopwatch.GetTimestamp());
        var latencies = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            var again = Stopwatch.GetTimestamp();
            await using var scope = services.CreateAsyncScope();
            await ItemColours.RefreshAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(),
                scope.ServiceProvider.GetRequiredService<Rules>(), at, cancellationToken);
            latencies.Add(Percentiles.Milliseconds(again, Stopwatch.GetTimestamp()));
        }

        report.Add(new Measurement("sweep", engine, null, "colour_refresh",
            [("ms", ms), ("changed", changed), ("then_nothing_due_p50_ms", Percentiles.Of(latencies, 50))])
        {
            Sizes = [("open", scenario.Open), ("items", items)],
        });
        if (changed != items)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{engine}: sweep open={scenario.Open}: the colour refresh changed {changed} items, expected {items}"));
        }
    }

    /// <summary>One sweep in a new scope, as the hosted sweeper and <c>duban sweep</c> run it.</summary>
    private static async Task<(double Ms, SweepSummary Summary)> SweepAsync(IServiceProvider services, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await using var scope = services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<SweepDeadlines>().RunAsync(at, cancellationToken);
        return (Percentiles.Milliseconds(start, Stopwatch.GetTimestamp()), summary);
    }

    private static async Task<int> CountAsync(IServiceProvider services, Func<DubanDbContext, Task<int>> count)
    {
        await using var scope = services.CreateAsyncScope();
        return await count(scope.ServiceProvider.GetRequiredService<DubanDbContext>());
    }

    /// <summary>
    /// Loads the scenario's matters: built by the product on one thread (<see cref="SweepScenario.Build"/>), written by
    /// <see cref="BulkLoader"/> on another, <see cref="LoadBatch"/> per transaction. Returns the seconds taken.
    /// </summary>
    private static async Task<double> LoadAsync(BenchDatabase database, IServiceProvider services, BenchOrganisation organisation,
        SweepScenario scenario, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var rules = services.GetRequiredService<Rules>();
        Microsoft.EntityFrameworkCore.Metadata.IModel model;
        await using (var scope = services.CreateAsyncScope())
        {
            model = scope.ServiceProvider.GetRequiredService<DubanDbContext>().Model;
        }

        await using var connection = await database.OpenAsync(forLoad: true, cancellationToken);
        await using var loader = await BulkLoader.CreateAsync(connection, database.Engine == BenchDatabase.Postgres, model, cancellationToken);
        var counters = new Dictionary<int, long>();
        var batches = Channel.CreateBounded<List<Matter>>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                var random = new Random(Seed);
                var lifecycle = rules.Lifecycle();
                for (var first = 0; first < scenario.Open; first += LoadBatch)
                {
                    var batch = new List<Matter>(LoadBatch);
                    for (var i = first; i < Math.Min(scenario.Open, first + LoadBatch); i++)
                    {
                        batch.Add(scenario.Build(organisation, random, rules, lifecycle, i, counters));
                    }

                    await batches.Writer.WriteAsync(batch, cancellationToken);
                }

                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, cancellationToken);
        await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
        {
            await loader.WriteAsync(batch, cancellationToken);
        }

        await producer;
        await loader.FinishAsync(counters, cancellationToken);
        if (database.Engine == BenchDatabase.Sqlite)
        {
            // Start the measurements with the write-ahead log folded into the database file.
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
            FlushToDisk(database.SqliteFile!);
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Writes the file's dirty pages out (fsync): the load ran with synchronous=OFF, and the kernel writing
    /// back a gigabyte and more in the background would slow the measured sweeps' own fsyncs.</summary>
    public static void FlushToDisk(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Loads a few matters of a small scenario twice: through AssignMatter, one call each with the clock at the
    /// matter's instant, and with <see cref="LoadAsync"/>; compares every column of every row they wrote; then sweeps
    /// both at <see cref="SweepScenario.At"/> and compares what the sweeps recorded.
    /// </summary>
    private async Task<bool> CheckAsync(string engine, CancellationToken cancellationToken)
    {
        var scenario = new SweepScenario(60, 6);
        var clock = new BenchClock(SweepScenario.At);
        await using var byProduct = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
        await using var byBulk = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
        var productServices = await byProduct.ServicesAsync(clock, cancellationToken);
        var bulkServices = await byBulk.ServicesAsync(new BenchClock(SweepScenario.At), cancellationToken);
        var productOrganisation = await BenchOrganisation.CreateAsync(productServices, cancellationToken);
        var bulkOrganisation = await BenchOrganisation.CreateAsync(bulkServices, cancellationToken);

        // The same matters, in the same order, as NewMatter inputs for AssignMatter.
        var rules = productServices.GetRequiredService<Rules>();
        var lifecycle = rules.Lifecycle();
        var random = new Random(Seed);
        var counters = new Dictionary<int, long>();
        var actors = new[] { productOrganisation.Supervisor, productOrganisation.Leader, productOrganisation.OtherSupervisor }
            .ToDictionary(a => a.Id);
        var codes = productOrganisation.CityLeads.Concat(productOrganisation.OtherLeads).ToDictionary(u => u.Id, u => u.Code);
        for (var i = 0; i < scenario.Open; i++)
        {
            var matter = scenario.Build(productOrganisation, random, rules, lifecycle, i, counters);
            var assigned = matter.Events.Single();
            clock.Now = assigned.At;
            await using var scope = productServices.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(new NewMatter
            {
                Title = matter.Title,
                Content = matter.Content,
                Kind = WireEnum.Name(matter.Kind),
                Source = WireEnum.Name(matter.Source),
                Goal = matter.Goal,
                Standard = matter.Standard,
                LeadUnit = codes[matter.LeadUnitId],
                CoUnits = matter.CoUnits.OrderBy(c => c.Position).Select(c => codes[c.UnitId]).ToList(),
                Complex = matter.Complex,
            }, actors[assigned.ActorId], cancellationToken);
        }

        await LoadAsync(byBulk, bulkServices, bulkOrganisation, scenario, cancellationToken);

        var loaded = await CompareAsync(engine, "bulk_vs_assign", byProduct, byBulk,
            engine == BenchDatabase.Sqlite
                ? ["units", "matters", "milestones", "matter_co_units", "matter_events", "code_counters", "sqlite_sequence"]
                : ["units", "matters", "milestones", "matter_co_units", "matter_events", "code_counters", "pg_sequences"],
            scenario.Open, cancellationToken);

        clock.Now = SweepScenario.At;
        var (_, productSummary) = await SweepAsync(productServices, SweepScenario.At.ToUniversalTime(), cancellationToken);
        var (_, bulkSummary) = await SweepAsync(bulkServices, SweepScenario.At.ToUniversalTime(), cancellationToken);
        output.WriteLine($"# self-check sweep at {SweepScenario.At:O}: after AssignMatter {productSummary}; after the SQL load {bulkSummary}");
        var swept = await CompareAsync(engine, "sweep_after_both", byProduct, byBulk,
            ["milestones", "escalations", "notices", "accountability_entries"], scenario.Open, cancellationToken);
        var same = productSummary == bulkSummary && productSummary.Warned == scenario.Due;
        if (!same)
        {
            report.Note($"{engine}: self-check sweeps differ or are not as planned: {productSummary} / {bulkSummary}");
        }

        return loaded && swept && same;
    }

    /// <summary>Every row of each table in both databases, compared cell by cell; reports one line and up to five differences.</summary>
    private async Task<bool> CompareAsync(string engine, string name, BenchDatabase expected, BenchDatabase actual, string[] tables,
        int matters, CancellationToken cancellationToken)
    {
        long rows = 0, cells = 0, mismatches = 0;
        var differences = new List<string>();
        await using var left = await expected.OpenAsync(forLoad: false, cancellationToken);
        await using var right = await actual.OpenAsync(forLoad: false, cancellationToken);
        foreach (var table in tables)
        {
            // The sequences of the compared tables only: AssignMatter also writes the review counters, which the load leaves
            // to `duban report rebuild`.
            var compared = string.Join(", ", tables.Select(t => $"'{t}'"));
            var sql = table switch
            {
                "pg_sequences" => $"SELECT sequencename, last_value FROM pg_sequences WHERE sequencename LIKE ANY (ARRAY[{string.Join(", ", tables.Select(t => $"'{t}\\_%'"))}]) ORDER BY 1",
                "sqlite_sequence" => $"SELECT * FROM sqlite_sequence WHERE name IN ({compared}) ORDER BY 1, 2",
                _ => $"SELECT * FROM \"{table}\" ORDER BY 1, 2",
            };
            var (columns, a) = await RowsAsync(left, sql, cancellationToken);
            var (_, b) = await RowsAsync(right, sql, cancellationToken);
            if (a.Count != b.Count)
            {
                mismatches++;
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{table}: {a.Count} rows after AssignMatter, {b.Count} after the SQL load"));
            }

            for (var r = 0; r < Math.Min(a.Count, b.Count); r++)
            {
                rows++;
                for (var c = 0; c < columns.Count; c++)
                {
                    cells++;
                    if (!Equals(a[r][c], b[r][c]))
                    {
                        mismatches++;
                        differences.Add(string.Create(CultureInfo.InvariantCulture, $"{table} row {r} {columns[c]}: {a[r][c]} vs {b[r][c]}"));
                    }
                }
            }
        }

        report.Add(new Measurement("sweep_check", engine, null, name,
            [("matters", matters), ("tables", tables.Length), ("rows", rows), ("cells", cells), ("mismatches", mismatches)]));
        foreach (var difference in differences.Take(5))
        {
            report.Note($"{engine}: {name}: {difference}");
        }

        return mismatches == 0;
    }

    private static async Task<(List<string> Columns, List<object[]> Rows)> RowsAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table names of the bench's own.
        command.CommandText = sql;
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return (columns, rows);
    }
}

/// <summary>
/// Puts a loaded sweep database back to where it was before a recording sweep: the milestones that were due get
/// their columns back (written with the product's <see cref="RowWriter"/>), the rows the sweep added (ids above the
/// highest before it) are deleted, and on SQLite the write-ahead log is folded in, as after the load.
/// </summary>
internal sealed class Rearm
{
    private readonly List<MilestoneRow> _due;
    private readonly long _escalations, _entries, _changes, _notices, _deliveries;

    private Rearm(List<MilestoneRow> due, long escalations, long entries, long changes, long notices, long deliveries)
    {
        (_due, _escalations, _entries, _changes, _notices, _deliveries) = (due, escalations, entries, changes, notices, deliveries);
    }

    public static async Task<Rearm> CaptureAsync(IServiceProvider services, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        return new Rearm(
            await db.Milestones.AsNoTracking().Where(m => m.NextEscalationAt <= at).ToListAsync(cancellationToken),
            await db.Escalations.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0,
            await db.AccountabilityEntries.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0,
            await db.AccountabilityChanges.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0,
            await db.Notices.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0,
            await db.Deliveries.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0);
    }

    public async Task RestoreAsync(IServiceProvider services, BenchDatabase database, CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Deliveries.Where(d => d.Id > _deliveries).ExecuteDeleteAsync(cancellationToken);
            await db.Notices.Where(n => n.Id > _notices).ExecuteDeleteAsync(cancellationToken);
            await db.AccountabilityChanges.Where(c => c.Id > _changes).ExecuteDeleteAsync(cancellationToken);
            await db.AccountabilityEntries.Where(e => e.Id > _entries).ExecuteDeleteAsync(cancellationToken);
            await db.Escalations.Where(e => e.Id > _escalations).ExecuteDeleteAsync(cancellationToken);
            await new RowWriter(db).UpdateAsync(_due,
                [nameof(MilestoneRow.NextEscalationAt), nameof(MilestoneRow.EscalatedKinds), nameof(MilestoneRow.EscalatedForDueAt)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (database.Engine == BenchDatabase.Sqlite)
        {
            await using var connection = await database.OpenAsync(forLoad: false, cancellationToken);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
            SweepBench.FlushToDisk(database.SqliteFile!);
        }
    }
}
