using System.Diagnostics;
using Duban.Similarity;
using Duban.Tabular;

namespace Duban.Bench;

/// <summary>
/// Similar cases on synthetic appeals: every text is a variant of one of the real appeals (泰迪杯 2020 附件3), made
/// from its id alone (clauses dropped, swapped or borrowed from another appeal, characters replaced, greetings and
/// closings added), so 1,000,000 texts never sit in memory. Measures top-10 among <c>--similar-n</c> items (latency
/// with exact re-ranking, recall@10 against exact Jaccard over all items, RSS) and grouping <c>--group-n</c> items.
/// </summary>
internal static class SimilarBench
{
    private const int Queries = 50;
    private static readonly string[] Greetings = ["尊敬的领导：", "您好！", "领导您好，", "市长您好：", ""];
    private static readonly string[] Closings = ["望尽快解决！", "谢谢！", "请有关部门尽快处理。", "恳请领导重视。", ""];

    public static void Run(BenchOptions options, Report report, TextWriter output)
    {
        var bases = LoadAppeals(options.AppealsFile);
        output.WriteLine($"# similar: {bases.Length} real appeals as bases");
        TopK(options.SimilarSize, bases, report);
        Grouping(options.GroupSize, bases, report);
    }

    private static void TopK(int n, string[][] bases, Report report)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var build = Stopwatch.StartNew();
        var index = new SimilarityIndex(n);
        const int Chunk = 65_536;
        var signatures = new MinHashSignature?[Chunk];
        for (var start = 0; start < n; start += Chunk)
        {
            var count = Math.Min(Chunk, n - start);
            Parallel.For(0, count, i => signatures[i] = MinHash.Of(ShingleSet.FromText(Text(start + i, bases))));
            for (var i = 0; i < count; i++)
            {
                if (signatures[i] is { } s)
                {
                    index.Add(start + i, s);
                }
            }
        }

        build.Stop();
        var buildCpu = Environment.CpuUsage.TotalTime - cpu;
        GC.Collect();
        var rss = Environment.WorkingSet / (1024.0 * 1024.0);
        var random = new Random(4326);
        var queries = Enumerable.Range(0, Queries).Select(_ => random.Next(n)).ToArray();
        var queryShingles = queries.Select(q => ShingleSet.FromText(Text(q, bases))).ToArray();

        var latencies = new List<double>();
        var found = new IReadOnlyList<SimilarItem>[Queries];
        for (var round = -1; round < Queries; round++)
        {
            var q = Math.Max(0, round);
            var started = Stopwatch.GetTimestamp();
            var top = index.TopSimilar(MinHash.Of(queryShingles[q])!, 10, exclude: queries[q], queryShingles[q],
                id => ShingleSet.FromText(Text((int)id, bases)));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (round >= 0)
            {
                latencies.Add(elapsed);
                found[q] = top;
            }
        }

        // The scan alone (estimates, no re-ranking): what the index costs, apart from fetching candidates' texts.
        var scan = new List<double>();
        var scanCpu = Environment.CpuUsage.TotalTime;
        foreach (var q in queryShingles)
        {
            var started = Stopwatch.GetTimestamp();
            index.TopSimilar(MinHash.Of(q)!, 100);
            scan.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var scanCpuMs = (Environment.CpuUsage.TotalTime - scanCpu).TotalMilliseconds / Queries;
        report.Add(new Measurement("similar", "memory", n, "scan100", [
            ("p50_ms", Percentiles.Of(scan, 50)), ("p95_ms", Percentiles.Of(scan, 95)), ("cpu_ms_per_query", scanCpuMs)]));

        // The truth: exact Jaccard of every query with every item, in one pass over the items.
        var exactWatch = Stopwatch.StartNew();
        var truth = new List<(double J, int Id)>[Queries];
        for (var q = 0; q < Queries; q++)
        {
            truth[q] = [];
        }

        Parallel.For(0, n, () => Enumerable.Range(0, Queries).Select(_ => new List<(double, int)>()).ToArray(), (id, _, local) =>
        {
            var shingles = ShingleSet.FromText(Text(id, bases));
            for (var q = 0; q < Queries; q++)
            {
                if (id != queries[q] && ShingleSet.Jaccard(queryShingles[q], shingles) is var j and > 0)
                {
                    local[q].Add((j, id));
                    if (local[q].Count > 64)
                    {
                        local[q] = local[q].OrderByDescending(p => p.Item1).Take(10).ToList();
                    }
                }
            }

            return local;
        }, local =>
        {
            lock (truth)
            {
                for (var q = 0; q < Queries; q++)
                {
                    truth[q].AddRange(local[q]);
                }
            }
        });

        // Ties count: an answer is right if its exact score reaches the exact tenth best.
        var recall = Enumerable.Range(0, Queries).Average(q =>
        {
            var best = truth[q].OrderByDescending(p => p.J).Take(10).ToList();
            if (best.Count == 0)
            {
                return 1.0;
            }

            var tenth = best[^1].J;
            return Math.Min(1.0, (double)found[q].Count(f => f.Exact >= tenth - 1e-12) / best.Count);
        });
        report.Add(new Measurement("similar", "memory", n, "top10", [
            ("p50_ms", Percentiles.Of(latencies, 50)), ("p95_ms", Percentiles.Of(latencies, 95)), ("recall_at_10", recall),
            ("build_s", build.Elapsed.TotalSeconds), ("build_cpu_s", buildCpu.TotalSeconds), ("rss_mb", rss), ("exact_pass_s", exactWatch.Elapsed.TotalSeconds)]));
    }

    private static void Grouping(int n, string[][] bases, Report report)
    {
        var texts = Enumerable.Range(0, n).Select(i => Text(i, bases)).ToArray();
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.StartNew();
        var items = new ShingledItem[n];
        Parallel.For(0, n, i => items[i] = new ShingledItem(i, ShingleSet.FromText(texts[i])));
        var groups = NearDuplicates.Group(items);
        var elapsed = started.Elapsed;
        var groupCpu = Environment.CpuUsage.TotalTime - cpu;

        // Variants of one base are the known repeats here.
        var keys = Enumerable.Range(0, n).ToDictionary(i => (long)i, i => (i % bases.Length).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var quality = GroupingReport.Of(groups, keys);
        report.Add(new Measurement("similar", "memory", n, "group", [
            ("seconds", elapsed.TotalSeconds), ("cpu_s", groupCpu.TotalSeconds), ("groups", groups.Count), ("largest", groups.Count > 0 ? groups[0].Members.Count : 0),
            ("base_pair_recovery", quality.Recovery), ("cores", Environment.ProcessorCount)]));
    }

    /// <summary>Item <paramref name="id"/>: a variant of base id mod bases, shaped by a generator seeded with the id.
    /// The first ids, one per base, are the real appeals untouched.</summary>
    internal static string Text(int id, string[][] bases)
    {
        var clauses = bases[id % bases.Length];
        if (id < bases.Length)
        {
            return string.Concat(clauses);
        }

        var random = new Random(id);
        var text = new System.Text.StringBuilder(Greetings[random.Next(Greetings.Length)]);
        var order = Enumerable.Range(0, clauses.Length).ToArray();
        for (var i = 0; i + 1 < order.Length; i++)
        {
            if (random.NextDouble() < 0.1)
            {
                (order[i], order[i + 1]) = (order[i + 1], order[i]);
            }
        }

        foreach (var c in order)
        {
            if (random.NextDouble() < 0.15 && clauses.Length > 1)
            {
                continue; // dropped
            }

            var clause = clauses[c];
            if (random.NextDouble() < 0.2)
            {
                // A few characters retyped (同音字, typos): taken from another appeal.
                var other = string.Concat(bases[random.Next(bases.Length)]);
                var chars = clause.ToCharArray();
                for (var k = 0; k < chars.Length; k++)
                {
                    if (random.NextDouble() < 0.05 && other.Length > 0)
                    {
                        chars[k] = other[random.Next(other.Length)];
                    }
                }

                clause = new string(chars);
            }

            text.Append(clause);
            if (random.NextDouble() < 0.05)
            {
                var borrowed = bases[random.Next(bases.Length)];
                text.Append(borrowed[random.Next(borrowed.Length)]);
            }
        }

        return text.Append(Closings[random.Next(Closings.Length)]).ToString();
    }

    /// <summary>The bodies of the real appeals, each cut into clauses after ，。！？；.</summary>
    private static string[][] LoadAppeals(string path)
    {
        using var reader = new StreamReader(path);
        return Csv.Read(reader).Skip(1).Select(r => r.Fields[4]).Where(t => t.Length > 0)
            .Select(t => System.Text.RegularExpressions.Regex.Split(t, "(?<=[，。！？；,!?;])").Where(c => c.Length > 0).ToArray())
            .ToArray();
    }
}
