using System.Diagnostics;
using System.Globalization;

namespace Duban.Bench;

/// <summary>Measures and prints figures; it asserts nothing (the tests do that). See docs/BENCHMARKS.md.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args, Console.Error);
        if (options is null)
        {
            return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
        }

#if DEBUG
        Console.Error.WriteLine("warning: a Debug build; run with -c Release for figures worth reading.");
#endif
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Stop at the next await so the temp databases are still removed.
            e.Cancel = true;
            cancel.Cancel();
        };

        var started = DateTimeOffset.Now;
        var watch = Stopwatch.StartNew();
        var output = Console.Out;
        var report = new Report(output);
        var part = Stopwatch.StartNew();
        void Took(string name)
        {
            // Each part's own time, so --quick (which CI runs) can be kept short.
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {name} took {part.Elapsed.TotalSeconds:0.0} s"));
            part.Restart();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# duban bench {started:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, load average {report.LoadAtStart ?? "unknown"}"));
        try
        {
            if (options.Runs("calendar"))
            {
                output.WriteLine("# calendar");
                CalendarBench.Run(options, report);
                Took("calendar");
            }

            if (options.Runs("text"))
            {
                output.WriteLine("# text");
                TextBench.Run(report);
                Took("text");
            }

            if (options.Runs("similar"))
            {
                SimilarBench.Run(options, report, output);
                Took("similar");
            }

            if (options.Runs("route"))
            {
                output.WriteLine("# route");
                RouteBench.Run(options, report);
                Took("route");
            }

            var storage = new StorageBench(options, report, output);
            var sweep = new SweepBench(options, report, output);
            var import = new ImportBench(options, report, output);
            var review = new ReviewBench(options, report, output);
            var engines = new List<string>();
            if (!options.NoSqlite)
            {
                engines.Add(BenchDatabase.Sqlite);
            }

            if (options.Postgres is not null)
            {
                engines.Add(BenchDatabase.Postgres);
            }

            foreach (var engine in engines)
            {
                // One --budget per engine, shared by its storage and sweep measurements.
                var budget = Stopwatch.StartNew();
                part.Restart();
                await storage.RunAsync(engine, budget, cancel.Token);
                Took(engine + " assign and list");
                if (options.Runs("sweep"))
                {
                    await sweep.RunAsync(engine, budget, cancel.Token);
                    Took(engine + " sweep");
                }

                if (options.Runs("import"))
                {
                    await import.RunAsync(engine, cancel.Token);
                    Took(engine + " import");
                }

                if (options.Runs("review"))
                {
                    await review.RunAsync(engine, cancel.Token);
                    Took(engine + " review");
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            report.Note("interrupted; the figures so far are written");
        }

        GC.KeepAlive(CalendarBench.Sink);
        await report.WriteJsonAsync(options.Out, args, started, watch.Elapsed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# done in {watch.Elapsed.TotalSeconds:0} s, load average {Report.LoadAverage() ?? "unknown"}; {report.Measurements.Count} measurements written to {options.Out}"));
        return cancel.IsCancellationRequested ? 130 : 0;
    }
}
