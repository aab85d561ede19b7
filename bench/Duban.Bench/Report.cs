using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Duban.Bench;

/// <summary>One measured figure set: what was measured (bench, engine, n or other sizes, case) and its numbers.</summary>
internal sealed record Measurement(string Bench, string Engine, int? N, string Case, IReadOnlyList<(string Name, double Value)> Figures)
{
    /// <summary>Sizes other than n that say what was measured, printed before the case (e.g. <c>open=… due=…</c>).</summary>
    public IReadOnlyList<(string Name, long Value)> Sizes { get; init; } = [];

    /// <summary>The summary line, e.g. <c>bench=list engine=sqlite n=100000 case=page1 p50_ms=1.2 p95_ms=1.5</c>.</summary>
    public string Line()
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"bench={Bench} engine={Engine}");
        if (N is { } n)
        {
            line.Append(CultureInfo.InvariantCulture, $" n={n}");
        }

        foreach (var (name, value) in Sizes)
        {
            line.Append(CultureInfo.InvariantCulture, $" {name}={value}");
        }

        line.Append(CultureInfo.InvariantCulture, $" case={Case}");
        foreach (var (name, value) in Figures)
        {
            line.Append(CultureInfo.InvariantCulture, $" {name}={Report.Format(value)}");
        }

        return line.ToString();
    }
}

/// <summary>Prints each measurement as it is made and writes them all as JSON at the end.</summary>
internal sealed class Report(TextWriter output)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly List<Measurement> _measurements = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Measurement> Measurements => _measurements;

    /// <summary>The 1-minute load average when the run began: other work on the machine skews every figure.</summary>
    public string? LoadAtStart { get; } = LoadAverage();

    /// <summary>The 1, 5 and 15-minute load averages (Linux), or null elsewhere.</summary>
    public static string? LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', fields.Take(3));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Add(Measurement measurement)
    {
        _measurements.Add(measurement);
        output.WriteLine(measurement.Line());
    }

    /// <summary>Something the reader must know about the figures (a skipped size, an empty page…).</summary>
    public void Note(string text)
    {
        _notes.Add(text);
        output.WriteLine($"note: {text}");
    }

    /// <summary>Three significant figures or so, invariant culture.</summary>
    public static string Format(double value) => value switch
    {
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 1000 => Math.Round(value).ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };

    public async Task WriteJsonAsync(string path, IReadOnlyList<string> args, DateTimeOffset started, TimeSpan elapsed)
    {
        var document = new Dictionary<string, object?>
        {
            ["started"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["elapsed_s"] = Math.Round(elapsed.TotalSeconds, 1),
            ["args"] = args,
            ["machine"] = new Dictionary<string, object?>
            {
                ["cores"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["load_average_at_start"] = LoadAtStart,
                ["load_average_at_end"] = LoadAverage(),
            },
            ["measurements"] = _measurements.Select(m =>
            {
                var entry = new Dictionary<string, object?> { ["bench"] = m.Bench, ["engine"] = m.Engine };
                if (m.N is { } n)
                {
                    entry["n"] = n;
                }

                foreach (var (name, value) in m.Sizes)
                {
                    entry[name] = value;
                }

                entry["case"] = m.Case;
                foreach (var (name, value) in m.Figures)
                {
                    entry[name] = value;
                }

                entry["line"] = m.Line();
                return entry;
            }).ToList(),
            ["notes"] = _notes,
        };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json) + "\n");
    }
}

/// <summary>Latency samples in milliseconds.</summary>
internal static class Percentiles
{
    /// <summary>The nearest-rank percentile (p in 0..100) of the samples.</summary>
    public static double Of(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Milliseconds(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
