using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Synthetic;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Bench;

/// <summary>
/// Reviews at province scale: an organisation of about 3,000 units (20 counties, 100 departments, 200 townships, the
/// rest villages) and <c>--review-n</c> matters with whole histories over three years (acknowledged, fed back,
/// completed, sent back, transferred, returned, rated, closed, some still open), made by the product's lifecycle and
/// bulk-loaded; the counters are then rebuilt from the events by the product (<c>duban report rebuild</c>, timed), and
/// the monthly, weekly and yearly reviews and a drill-down are timed as the API runs them.
/// </summary>
internal sealed class ReviewBench(BenchOptions options, Report report, TextWriter output)
{
    private const int Seed = 1441, LoadBatch = 5_000;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

    public async Task RunAsync(string engine, CancellationToken cancellationToken)
    {
        var n = options.ReviewSize;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# review ({engine}, {n} matters)"));
        await using var database = await BenchDatabase.CreateAsync(engine, options.Postgres, cancellationToken);
        var clock = new BenchClock(Now);
        var services = await database.ServicesAsync(clock, cancellationToken);
        var watch = Stopwatch.StartNew();
        var units = await CreateUnitsAsync(services, cancellationToken);
        var unitSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var events = await LoadAsync(database, services, units, n, cancellationToken);
        var loadSeconds = watch.Elapsed.TotalSeconds;
        report.Add(new Measurement("review_load", engine, n, "bulk", [("units_s", unitSeconds), ("matters_s", loadSeconds)])
        {
            Sizes = [("units", units.All.Count), ("events", events)],
        });

        watch.Restart();
        long replayed;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            replayed = await FactStore.RebuildAsync(db, scope.ServiceProvider.GetRequiredService<Rules>(), ReviewRules.Default, null, cancellationToken);
        }

        var rebuildSeconds = watch.Elapsed.TotalSeconds;
        long dayRows;
        await using (var scope = services.CreateAsyncScope())
        {
            dayRows = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().UnitDayFacts.LongCountAsync(cancellationToken);
        }

        report.Add(new Measurement("review_rebuild", engine, n, "from_events",
            [("s", rebuildSeconds), ("matters_per_s", replayed / Math.Max(rebuildSeconds, 1e-9))]) { Sizes = [("unit_day_rows", dayRows)] });
        await database.AnalyzeAsync(cancellationToken);

        var supervisor = units.Supervisor;
        var today = ChinaTime.DateOf(Now);
        await TimeAsync(engine, n, "sum_month_only", services, async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            return await FactStore.SumAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), today, cancellationToken);
        });
        await TimeAsync(engine, n, "month_past", services, r => r.GetAsync(ReviewPeriod.ParseMonth("2026-10", today), null, supervisor, cancellationToken));
        await TimeAsync(engine, n, "month_current", services, r => r.GetAsync(ReviewPeriod.ParseMonth("2026-12", today), null, supervisor, cancellationToken));
        await TimeAsync(engine, n, "week", services, r => r.GetAsync(ReviewPeriod.ParseWeek("2026-W44", today), null, supervisor, cancellationToken));
        await TimeAsync(engine, n, "year", services, r => r.GetAsync(ReviewPeriod.ParseYear("2025", today), null, supervisor, cancellationToken));
        await TimeAsync(engine, n, "dashboard", services, async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<DashboardQueries>().GetAsync(supervisor, cancellationToken);
        });
        await ExplainDashboardAsync(engine, database, services, supervisor, cancellationToken);
        await TimeAsync(engine, n, "bulletin_docx", services, async r =>
        {
            var period = ReviewPeriod.ParseMonth("2026-10", today);
            var review = await r.GetAsync(period, null, supervisor, cancellationToken);
            var previous = await r.GetAsync(period.Previous(), null, supervisor, cancellationToken);
            await using var file = new MemoryStream();
            await ReviewBulletin.WriteAsync(file, review, previous, new BulletinOptions { Number = 10, Issuer = "基准市委督查室", Date = today, Cases = [] }, cancellationToken);
            return file.Length;
        });
        // Assessment (考评): one yearly scheme per peer group (3,000 units in all), computed from the counters; the
        // villages' group alone is 2,678 units.
        var schemes = new List<(string Group, long Id)>();
        await using (var scope = services.CreateAsyncScope())
        {
            var made = scope.ServiceProvider.GetRequiredService<AssessmentSchemes>();
            foreach (var group in made.Groups)
            {
                schemes.Add((group, await made.CreateAsync(new SchemeInput
                {
                    Name = $"{group}年度考评", Group = group, Period = "year", From = new DateOnly(2025, 1, 1), Base = 60,
                    Components = [new("onTimeCompleteRate", 0.3), new("resolutionRate", 0.35), new("satisfactionRate", 0.35)],
                    PointRules = [new("overdueMilestone", -0.5, 20), new("accountability", -2), new("dissatisfied", -1, 10)],
                }, supervisor, cancellationToken)));
            }
        }

        await TimeAsync(engine, n, "assessment_year_villages", services, async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AssessmentResults>()
                .GetAsync(schemes.Single(s => s.Group == "村（社区）").Id, "2025", supervisor, cancellationToken);
        });
        await TimeAsync(engine, n, "assessment_year_all_groups", services, async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            var rows = 0;
            foreach (var (_, id) in schemes)
            {
                rows += (await scope.ServiceProvider.GetRequiredService<AssessmentResults>().GetAsync(id, "2025", supervisor, cancellationToken)).Rows.Count;
            }

            return rows;
        });

        var township = units.Townships[0];
        await TimeAsync(engine, n, "drilldown_township_month", services,
            r => r.DrillDownAsync(township, ReviewPeriod.ParseMonth("2026-10", today), Metric.OnTimeCompleteRate, FactRole.Lead, supervisor, cancellationToken));

        // The ledger of every matter, streamed to a file; the peak is the process's, so it includes the bench itself.
        var ledgerFile = Path.Combine(Path.GetTempPath(), $"duban-ledger-{Guid.NewGuid():N}.xlsx");
        try
        {
            GC.Collect();
            var before = Environment.WorkingSet;
            using var peak = new PeakMemory();
            watch.Restart();
            long rows;
            await using (var scope = services.CreateAsyncScope())
            await using (var file = File.Create(ledgerFile))
            {
                rows = await scope.ServiceProvider.GetRequiredService<MatterLedger>().WriteAsync(file, null, supervisor, cancellationToken);
            }

            report.Add(new Measurement("review", engine, n, "ledger_xlsx_all_matters",
                [("s", watch.Elapsed.TotalSeconds), ("rows", rows), ("rss_before_mb", before / 1048576.0), ("rss_peak_mb", peak.Stop() / 1048576.0),
                    ("file_mb", new FileInfo(ledgerFile).Length / 1048576.0)]));
        }
        finally
        {
            File.Delete(ledgerFile);
        }
    }

    /// <summary>Samples the process's working set every 50 ms until stopped; returns the highest seen.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _sampler;

        public PeakMemory() => _sampler = Task.Run(async () =>
        {
            long peak = 0;
            while (!_stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Environment.WorkingSet);
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return Math.Max(peak, Environment.WorkingSet);
        });

        public long Stop()
        {
            _stop.Cancel();
            return _sampler.GetAwaiter().GetResult();
        }

        public void Dispose() => _stop.Dispose();
    }

    /// <summary>Where the dashboard's time goes: each statement it sends, run alone (median of five), the slowest first,
    /// with the engine's plan of the slowest three.</summary>
    private async Task ExplainDashboardAsync(string engine, BenchDatabase database, IServiceProvider services, Actor supervisor,
        CancellationToken cancellationToken)
    {
        database.Capture.Enabled = true;
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DashboardQueries>().GetAsync(supervisor, cancellationToken);
        }

        database.Capture.Enabled = false;
        var timed = new List<(CapturedCommand Command, IReadOnlyList<string> Plan, double Ms)>();
        foreach (var command in database.Capture.Take())
        {
            var (plan, ms) = await database.ExplainAsync(command, cancellationToken);
            timed.Add((command, plan, ms));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {engine}: the dashboard's {timed.Count} statements run alone, {Report.Format(timed.Sum(t => t.Ms))} ms in all; the slowest:"));
        foreach (var (command, plan, ms) in timed.OrderByDescending(t => t.Ms).Take(3))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {Report.Format(ms)} ms: {command.Sql.ReplaceLineEndings(" ")}"));
            foreach (var line in plan)
            {
                output.WriteLine("#   " + line);
            }
        }
    }

    private async Task TimeAsync<T>(string engine, int n, string name, IServiceProvider services, Func<ReviewQueries, Task<T>> call)
    {
        var samples = new List<double>();
        var budget = Stopwatch.StartNew();
        var (warmups, calls) = options.Quick ? (1, 3) : (3, 20); // --quick checks that it runs, not how fast
        for (var i = 0; i < warmups + calls && budget.Elapsed < TimeSpan.FromSeconds(60); i++)
        {
            await using var scope = services.CreateAsyncScope();
            var reviews = scope.ServiceProvider.GetRequiredService<ReviewQueries>();
            var start = Stopwatch.GetTimestamp();
            await call(reviews);
            if (i >= warmups)
            {
                samples.Add(Percentiles.Milliseconds(start, Stopwatch.GetTimestamp()));
            }
        }

        report.Add(new Measurement("review", engine, n, name,
            [("p50_ms", Percentiles.Of(samples, 50)), ("p95_ms", Percentiles.Of(samples, 95)), ("calls", samples.Count)]));
    }

    internal sealed record Units(Actor Supervisor, IReadOnlyList<long> All, IReadOnlyList<long> Counties, IReadOnlyList<long> Departments,
        IReadOnlyList<long> Townships, IReadOnlyList<long> Villages)
    {
        public SyntheticUnits Synthetic { get; } = new(Supervisor, Counties, Departments, Townships, Villages);
    }

    /// <summary>A city with its 督查室, 100 departments, 20 counties of 10 townships each, and 2,678 villages: 3,000 units.</summary>
    private static async Task<Units> CreateUnitsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        async Task<List<Unit>> LevelAsync(IEnumerable<Unit> units)
        {
            var list = units.ToList();
            db.Units.AddRange(list);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var unit in list)
            {
                unit.Path = $"{unit.Parent?.Path ?? "/"}{unit.Id}/";
            }

            await db.SaveChangesAsync(cancellationToken);
            return list;
        }

        var city = (await LevelAsync([new Unit { Code = "C", Name = "基准市", Level = UnitLevel.City }]))[0];
        var office = (await LevelAsync([new Unit { Code = "C-DC", Name = "基准市委督查室", Level = UnitLevel.Department, Parent = city }]))[0];
        var departments = await LevelAsync(Enumerable.Range(1, 99).Select(i => new Unit { Code = $"C-B{i:D3}", Name = $"基准市第{i}局", Level = UnitLevel.Department, Parent = city }));
        var counties = await LevelAsync(Enumerable.Range(1, 20).Select(i => new Unit { Code = $"K{i:D2}", Name = $"第{i}县", Level = UnitLevel.County, Parent = city }));
        var townships = await LevelAsync(counties.SelectMany(c => Enumerable.Range(1, 10).Select(i => new Unit
        {
            Code = $"{c.Code}-T{i:D2}", Name = $"{c.Name}{i}镇", Level = UnitLevel.Township, Parent = c,
        })));
        var villages = await LevelAsync(Enumerable.Range(0, 3000 - 2 - 99 - 20 - 200).Select(i => new Unit
        {
            Code = $"{townships[i % townships.Count].Code}-V{i / townships.Count + 1:D2}",
            Name = $"{townships[i % townships.Count].Name}{i / townships.Count + 1}村",
            Level = UnitLevel.Village,
            Parent = townships[i % townships.Count],
        }));
        await transaction.CommitAsync(cancellationToken);
        var supervisor = new Actor("bench:督查员", "督查员", office.Id, new HashSet<Role> { Role.Supervisor });
        var all = new[] { city, office }.Concat(departments).Concat(counties).Concat(townships).Concat(villages).Select(u => u.Id).ToList();
        return new Units(supervisor, all, counties.Select(u => u.Id).ToList(), departments.Select(u => u.Id).ToList(),
            townships.Select(u => u.Id).ToList(), villages.Select(u => u.Id).ToList());
    }

    private static async Task<long> LoadAsync(BenchDatabase database, IServiceProvider services, Units units, int n, CancellationToken cancellationToken)
    {
        var rules = services.GetRequiredService<Rules>();
        Microsoft.EntityFrameworkCore.Metadata.IModel model;
        await using (var scope = services.CreateAsyncScope())
        {
            model = scope.ServiceProvider.GetRequiredService<DubanDbContext>().Model;
        }

        await using var connection = await database.OpenAsync(forLoad: true, cancellationToken);
        await using var loader = await BulkLoader.CreateAsync(connection, database.Engine == BenchDatabase.Postgres, model, cancellationToken);
        var counters = new Dictionary<int, long>();
        long events = 0;
        var batches = Channel.CreateBounded<List<Matter>>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                var random = new Random(Seed);
                var lifecycle = rules.Lifecycle();
                for (var first = 0; first < n; first += LoadBatch)
                {
                    var batch = new List<Matter>(LoadBatch);
                    for (var i = first; i < Math.Min(n, first + LoadBatch); i++)
                    {
                        batch.Add(Build(units, random, rules, lifecycle, i, counters));
                    }

                    Interlocked.Add(ref events, batch.Sum(m => m.Events.Count));
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
        return events;
    }

    /// <summary>One matter with a plausible history up to <see cref="Now"/> (the product's synthetic histories, none
    /// stalled: three years of finished work and the last days still open).</summary>
    private static Matter Build(Units units, Random random, Rules rules, MatterLifecycle lifecycle, int index, Dictionary<int, long> counters)
    {
        var built = SyntheticHistory.Build(random, lifecycle, units.Synthetic, Now.AddDays(-2 - random.NextDouble() * 3 * 365), Now, fullHistory: true);
        var year = ChinaTime.DateOf(built.State.AssignedAt).Year;
        var number = counters[year] = counters.GetValueOrDefault(year) + 1;
        var matter = new Matter
        {
            Code = FormattableString.Invariant($"DB-{year}-{number:D6}"),
            Source = built.Source,
            Title = FormattableString.Invariant($"讲评基准事项 {index}"),
            Content = BenchOrganisation.Content,
            Profile = built.State.Profile,
        };
        matter.Store(built.State, rules);
        matter.Events.AddRange(built.Events.Select(MatterEventRow.From));
        return matter;
    }
}
