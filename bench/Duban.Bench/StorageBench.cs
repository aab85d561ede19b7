using System.Diagnostics;
using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Bench;

/// <summary>
/// Storage on one engine: assigning through <see cref="AssignMatter"/> one at a time, bulk-loading open matters,
/// and the cost of a list page as a supervisor as the number of matters grows. Each size gets a fresh database.
/// </summary>
internal sealed class StorageBench(BenchOptions options, Report report, TextWriter output)
{
    /// <summary>A Wednesday morning, a working day; the bench's "now".</summary>
    private static readonly DateTimeOffset Now = new(2026, 6, 10, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Bulk-loaded matters are assigned evenly over this window before <see cref="Now"/>, oldest first.</summary>
    private static readonly TimeSpan LoadWindow = TimeSpan.FromDays(14);

    private const int LoadBatch = 1_000;
    private const int Seed = 42;

    /// <summary>The assign and list measurements that <c>--only</c> lets through; <paramref name="budget"/> runs from the
    /// start of this engine's storage work.</summary>
    public async Task RunAsync(string engine, Stopwatch budget, CancellationToken cancellationToken)
    {
        if (options.Runs("assign"))
        {
            output.WriteLine($"# {engine}: assigning through AssignMatter");
            await AssignAsync(engine, cancellationToken);
        }

        if (!options.Runs("list"))
        {
            return;
        }

        double? loadRate = null;
        TimeSpan? lastListTime = null;
        int? lastN = null;
        var p50s = new Dictionary<(int N, string Case), double>();
        foreach (var n in options.Sizes.Order())
        {
            if (loadRate is { } rate && lastN is { } previous)
            {
                // Load time from the rate seen so far; list time grows at most in proportion to n.
                var listing = lastListTime!.Value * ((double)n / previous);
                var listingCap = (options.ListCaseTime * 1.2) * ListCases.Length;
                var estimate = TimeSpan.FromSeconds(n / rate * 1.2) + (listing < listingCap ? listing : listingCap);
                if (budget.Elapsed + estimate > options.Budget)
                {
                    report.Note(string.Create(CultureInfo.InvariantCulture,
                        $"{engine}: n={n} skipped: loading and listing would take about {estimate.TotalMinutes:0.0} min more, past the --budget of {options.Budget.TotalMinutes:0} min ({budget.Elapsed.TotalMinutes:0.0} min spent)"));
                    continue;
                }
            }

            output.WriteLine($"# {engine}: n={n.ToString(CultureInfo.InvariantCulture)}: loading");
            await using var database = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
            var clock = new BenchClock(Now);
            var services = await database.ServicesAsync(clock, cancellationToken);
            var organisation = await BenchOrganisation.CreateAsync(services, cancellationToken);
            var loaded = await LoadAsync(engine, n, services, organisation, budget, cancellationToken);
            if (loaded is not { } seconds)
            {
                continue;
            }

            loadRate = n / seconds;
            if (engine == BenchDatabase.Postgres || options.SqliteAnalyze)
            {
                // What autovacuum does shortly after a bulk load; SQLite gets no ANALYZE unless asked, as the product runs none.
                await database.AnalyzeAsync(cancellationToken);
            }

            var listWatch = Stopwatch.StartNew();
            foreach (var (name, filter) in ListCases)
            {
                if (await ListAsync(engine, n, name, filter, services, database, organisation.Supervisor, cancellationToken) is { } p50)
                {
                    p50s[(n, name)] = p50;
                }
            }

            lastListTime = listWatch.Elapsed;
            lastN = n;
        }

        Growth(engine, p50s);
    }

    private static readonly (string Name, MatterFilter Filter)[] ListCases =
    [
        ("page1", new MatterFilter { Page = 1 }),
        ("page50", new MatterFilter { Page = 50 }),
        ("overdue", new MatterFilter { Overdue = true, Page = 1 }),
    ];

    /// <summary>(a) AssignMatter one call at a time, a new scope (DbContext) per call as a web request has.</summary>
    private async Task AssignAsync(string engine, CancellationToken cancellationToken)
    {
        await using var database = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
        var clock = new BenchClock(Now);
        var services = await database.ServicesAsync(clock, cancellationToken);
        var organisation = await BenchOrganisation.CreateAsync(services, cancellationToken);
        var random = new Random(Seed);
        const int warmups = 20;
        var latencies = new List<double>();
        var assignCpu = new CallCpu();
        var assigned = new List<(long Id, long Lead)>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < warmups + options.AssignCount && watch.Elapsed < options.AssignTime + TimeSpan.FromSeconds(5); i++)
        {
            if (i == warmups)
            {
                watch.Restart();
            }

            var lead = organisation.Pick(random, organisation.CityLeads);
            var input = new NewMatter
            {
                Title = $"基准交办事项 {i.ToString(CultureInfo.InvariantCulture)}",
                Content = BenchOrganisation.Content,
                Kind = "assignment",
                Goal = "按期完成整改并报送结果。",
                Standard = "问题清零，群众满意。",
                LeadUnit = lead.Code,
                CoUnits = random.NextDouble() < 0.3 ? [organisation.PickOther(random, organisation.CityLeads, lead).Code] : [],
                Complex = random.NextDouble() < 0.1,
            };
            clock.Now = clock.Now.AddSeconds(1);
            var cpu = CallCpu.Start();
            var start = Stopwatch.GetTimestamp();
            await using (var scope = services.CreateAsyncScope())
            {
                assigned.Add((await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(input, organisation.Supervisor, cancellationToken), lead.Id));
            }

            if (i >= warmups)
            {
                assignCpu.Add(cpu);
                latencies.Add(Percentiles.Milliseconds(start, Stopwatch.GetTimestamp()));
                if (watch.Elapsed >= options.AssignTime)
                {
                    break;
                }
            }
        }

        var elapsed = watch.Elapsed;
        report.Add(new Measurement("assign", engine, null, "assign_matter",
        [
            ("matters_per_s", latencies.Count / elapsed.TotalSeconds),
            ("p50_ms", Percentiles.Of(latencies, 50)),
            ("p95_ms", Percentiles.Of(latencies, 95)),
            ("p99_ms", Percentiles.Of(latencies, 99)),
            ("calls", latencies.Count),
            ("thread_cpu_us", assignCpu.MedianMicroseconds),
        ]));

        // Then the lead units acknowledge and complete them, one action at a time through ActOnMatter.
        var actions = new List<double>();
        var actCpu = new CallCpu();
        watch.Restart();
        foreach (var (id, lead) in assigned)
        {
            var handler = new Actor("bench:承办", "承办人", lead, new HashSet<Role> { Role.Handler });
            foreach (var command in new[] { new MatterCommand(MatterAction.Acknowledge), new MatterCommand(MatterAction.Complete) { Note = "已办结" } })
            {
                clock.Now = clock.Now.AddSeconds(1);
                var cpu = CallCpu.Start();
                var start = Stopwatch.GetTimestamp();
                await using (var scope = services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, handler, cancellationToken);
                }

                actions.Add(Percentiles.Milliseconds(start, Stopwatch.GetTimestamp()));
                actCpu.Add(cpu);
            }

            if (watch.Elapsed >= options.AssignTime)
            {
                break;
            }
        }

        report.Add(new Measurement("assign", engine, null, "act_on_matter",
        [
            ("actions_per_s", actions.Count / watch.Elapsed.TotalSeconds),
            ("p50_ms", Percentiles.Of(actions, 50)),
            ("p95_ms", Percentiles.Of(actions, 95)),
            ("p99_ms", Percentiles.Of(actions, 99)),
            ("calls", actions.Count),
            ("thread_cpu_us", actCpu.MedianMicroseconds),
        ]));
    }

    /// <summary>(b) n open matters built as AssignMatter builds them, inserted in batches, one transaction each.
    /// Returns the seconds taken, or null when the budget ran out first.</summary>
    private async Task<double?> LoadAsync(string engine, int n, IServiceProvider services, BenchOrganisation organisation,
        Stopwatch budget, CancellationToken cancellationToken)
    {
        var rules = services.GetRequiredService<Rules>();
        var lifecycle = rules.Lifecycle();
        var random = new Random(Seed);
        var counters = new Dictionary<int, long>();
        var from = Now - LoadWindow;
        var watch = Stopwatch.StartNew();
        for (var first = 0; first < n; first += LoadBatch)
        {
            if (budget.Elapsed > options.Budget)
            {
                report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"{engine}: n={n} abandoned after loading {first} matters in {watch.Elapsed.TotalSeconds:0} s: --budget of {options.Budget.TotalMinutes:0} min reached"));
                return null;
            }

            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            for (var i = first; i < Math.Min(n, first + LoadBatch); i++)
            {
                var at = from + (LoadWindow * ((i + 0.5) / n));
                db.Matters.Add(organisation.BuildMatter(random, rules, lifecycle, i, at, counters));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            // The code counters as AssignMatter would have left them, so the data stays consistent.
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            db.CodeCounters.AddRange(counters.Select(c => new CodeCounter { Year = c.Key, Last = c.Value }));
            await db.SaveChangesAsync(cancellationToken);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        report.Add(new Measurement("load", engine, n, "bulk", [("matters_per_s", n / seconds), ("seconds", seconds)]));
        return seconds;
    }

    /// <summary>(c) One list case: warm-ups, then timed calls, each in a new scope as a web request would be.</summary>
    private async Task<double?> ListAsync(string engine, int n, string name, MatterFilter filter, IServiceProvider services,
        BenchDatabase database, Actor actor, CancellationToken cancellationToken)
    {
        MatterPage? page = null;
        async Task<double> CallAsync()
        {
            var start = Stopwatch.GetTimestamp();
            await using var scope = services.CreateAsyncScope();
            page = await scope.ServiceProvider.GetRequiredService<MatterQueries>().ListAsync(filter, actor, cancellationToken);
            return Percentiles.Milliseconds(start, Stopwatch.GetTimestamp());
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.ListWarmups; i++)
        {
            await CallAsync();
        }

        var latencies = new List<double>();
        while (latencies.Count < options.ListCalls && (latencies.Count == 0 || watch.Elapsed < options.ListCaseTime))
        {
            latencies.Add(await CallAsync());
        }

        if (latencies.Count < options.ListCalls)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{engine}: n={n} {name}: only {latencies.Count} calls within {options.ListCaseTime.TotalSeconds:0} s"));
        }

        var p50 = Percentiles.Of(latencies, 50);
        report.Add(new Measurement("list", engine, n, name,
        [
            ("p50_ms", p50),
            ("p95_ms", Percentiles.Of(latencies, 95)),
            ("calls", latencies.Count),
            ("total", page!.Total),
            ("items", page.Items.Count),
        ]));

        if (options.Explain)
        {
            database.Capture.Enabled = true;
            await CallAsync();
            database.Capture.Enabled = false;
            foreach (var command in database.Capture.Take())
            {
                var (plan, medianMs) = await database.ExplainAsync(command, cancellationToken);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"--- {engine} n={n} {name}: statement alone {Report.Format(medianMs)} ms (median of 5):"));
                output.WriteLine(command.Sql);
                output.WriteLine("--- plan");
                foreach (var line in plan)
                {
                    output.WriteLine(line);
                }
            }
        }

        return p50;
    }

    /// <summary>Whether a list page costs the same at the largest size as at the smallest.</summary>
    private void Growth(string engine, Dictionary<(int N, string Case), double> p50s)
    {
        foreach (var (name, _) in ListCases)
        {
            var sizes = p50s.Keys.Where(k => k.Case == name).Select(k => k.N).Order().ToList();
            if (sizes.Count < 2)
            {
                continue;
            }

            var (small, large) = (sizes[0], sizes[^1]);
            var ratio = p50s[(large, name)] / p50s[(small, name)];
            report.Add(new Measurement("list_growth", engine, large, name,
            [
                ("from_n", small),
                ("p50_ratio", ratio),
                ("n_ratio", (double)large / small),
            ]));
        }
    }
}

/// <summary>
/// The units the bench works in: city C (督查室 C-DC, two departments, two counties with townships and a village)
/// and a neighbouring city D whose matters the C supervisor must not see.
/// </summary>
internal sealed class BenchOrganisation
{
    public const string Content = "群众反映某小区雨污管网混接，雨天污水外溢，影响出行和环境卫生，请牵头单位会同有关单位排查整改，按期反馈办理情况。";

    private static readonly UnitInput[] Units =
    [
        new("C", "基准市", null, "city"),
        new("C-DC", "基准市委督查室", "C", "department"),
        new("C-ZJ", "基准市住建局", "C", "department"),
        new("C-JT", "基准市交通局", "C", "department"),
        new("K1", "甲县", "C", "county"),
        new("K1-T1", "甲县一镇", "K1", "township"),
        new("K1-T2", "甲县二镇", "K1", "township"),
        new("K1-T1-V1", "甲县一镇一村", "K1-T1", "village"),
        new("K2", "乙区", "C", "county"),
        new("K2-T1", "乙区一街道", "K2", "township"),
        new("D", "邻市", null, "city"),
        new("D-DC", "邻市委督查室", "D", "department"),
        new("D-ZJ", "邻市住建局", "D", "department"),
        new("D-K1", "邻市丙县", "D", "county"),
    ];

    public required Actor Supervisor { get; init; }
    public required Actor Leader { get; init; }
    public required Actor OtherSupervisor { get; init; }
    public required IReadOnlyList<(string Code, long Id)> CityLeads { get; init; }
    public required IReadOnlyList<(string Code, long Id)> OtherLeads { get; init; }

    public static async Task<BenchOrganisation> CreateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UnitDirectory>();
        var ids = new Dictionary<string, long>();
        foreach (var unit in Units)
        {
            var saved = await directory.SaveAsync(unit, cancellationToken);
            ids[saved.Code] = saved.Id;
        }

        Actor Make(string name, string unit, Role role) => new($"bench:{name}", name, ids[unit], new HashSet<Role> { role });
        return new BenchOrganisation
        {
            Supervisor = Make("督查员", "C-DC", Role.Supervisor),
            Leader = Make("市领导", "C", Role.Leader),
            OtherSupervisor = Make("邻市督查员", "D-DC", Role.Supervisor),
            CityLeads = new[] { "C-ZJ", "C-JT", "K1", "K1-T1", "K1-T2", "K1-T1-V1", "K2", "K2-T1" }.Select(c => (c, ids[c])).ToList(),
            OtherLeads = new[] { "D-ZJ", "D-K1" }.Select(c => (c, ids[c])).ToList(),
        };
    }

    public (string Code, long Id) Pick(Random random, IReadOnlyList<(string Code, long Id)> units) => units[random.Next(units.Count)];

    public (string Code, long Id) PickOther(Random random, IReadOnlyList<(string Code, long Id)> units, (string Code, long Id) not)
    {
        var others = units.Where(u => u.Id != not.Id).ToList();
        return others[random.Next(others.Count)];
    }

    /// <summary>
    /// One open matter as <see cref="AssignMatter"/> would store it: the lifecycle's assign event, the state it
    /// starts, the row with its three milestones (and co-units) and the event row. 80% in city C (three quarters of
    /// them assigned by its 督查室, the rest by its leader), 20% in city D; 30% with a co-unit; 10% complex.
    /// </summary>
    public Matter BuildMatter(Random random, Rules rules, MatterLifecycle lifecycle, int index, DateTimeOffset at, Dictionary<int, long> counters)
    {
        var city = random.NextDouble() < 0.8;
        var actor = city ? (random.NextDouble() < 0.75 ? Supervisor : Leader) : OtherSupervisor;
        var leads = city ? CityLeads : OtherLeads;
        var lead = Pick(random, leads);
        var coUnits = random.NextDouble() < 0.3 ? new List<long> { PickOther(random, leads, lead).Id } : [];
        var roll = random.NextDouble();
        var (kind, source) = roll switch
        {
            < 0.6 => (MatterKind.Assignment, random.NextDouble() < 0.5 ? MatterSource.Meeting : MatterSource.Instruction),
            < 0.9 => (MatterKind.Appeal, random.NextDouble() < 0.5 ? MatterSource.Web : MatterSource.Hotline),
            _ => (MatterKind.Petition, MatterSource.Offline),
        };
        var command = new AssignCommand(kind, actor.UnitId, lead.Id, coUnits, TimeLimitProfile.DefaultName, random.NextDouble() < 0.1, null);
        var assigned = lifecycle.Assign(command, actor, at);
        var state = MatterState.Start(assigned);

        var year = ChinaTime.DateOf(at).Year;
        var number = counters[year] = counters.GetValueOrDefault(year) + 1;
        var matter = new Matter
        {
            Code = FormattableString.Invariant($"DB-{year}-{number:D6}"),
            Source = source,
            Title = FormattableString.Invariant($"基准事项 {index}"),
            Content = Content,
            Goal = kind == MatterKind.Assignment ? "按期完成整改并报送结果。" : null,
            Standard = kind == MatterKind.Assignment ? "问题清零，群众满意。" : null,
            Profile = state.Profile,
        };
        matter.Store(state, rules);
        matter.Events.Add(MatterEventRow.From(assigned));
        return matter;
    }
}

/// <summary>
/// The calling thread's CPU time per call (<see cref="ThreadCpu"/>): on SQLite a call completes synchronously on one
/// thread, so this is the call's own work, apart from waiting for a core — a figure that holds when other processes
/// share the machine, where calls per second do not. A call that moved threads is left out.
/// </summary>
internal sealed class CallCpu
{
    private readonly List<double> _microseconds = [];

    public static (int Thread, double Ms) Start() => (Environment.CurrentManagedThreadId, ThreadCpu.Milliseconds());

    public void Add((int Thread, double Ms) start)
    {
        if (Environment.CurrentManagedThreadId == start.Thread && double.IsFinite(start.Ms))
        {
            _microseconds.Add((ThreadCpu.Milliseconds() - start.Ms) * 1000);
        }
    }

    /// <summary>The median, or NaN when every call moved threads.</summary>
    public double MedianMicroseconds => _microseconds.Count == 0 ? double.NaN : Percentiles.Of(_microseconds, 50);
}
