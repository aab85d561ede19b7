using System.Diagnostics;
using System.Text;
using Duban.Text;

namespace Duban.Bench;

/// <summary>
/// Text cleaning and directive extraction on one thread, on the sample documents (a newspaper page in PDF column
/// order and a speech with an advertising header) repeated to size: cleaning 1 MiB of UTF-8 text (about 350,000
/// characters) and 1,048,576 characters, and extracting from a 20,000-character page.
/// </summary>
internal static class TextBench
{
    private const int Runs = 40;

    public static void Run(Report report)
    {
        var page = Sample("003_5e687cdc2cbc55ee.txt");
        var mixed = page + "\n\n" + Sample("001_ccca6c0d88b9b88c.txt") + "\n\n";
        var oneMiB = Repeat(mixed, s => Encoding.UTF8.GetByteCount(s) >= 1024 * 1024, s => CutToBytes(s, 1024 * 1024));
        var oneMillionChars = Repeat(mixed, s => s.Length >= 1024 * 1024, s => s[..(1024 * 1024)]);
        var twentyK = Repeat(page + "\n\n", s => s.Length >= 20_000, s => s[..20_000]);

        Measure(report, "clean_1mib_utf8", oneMiB, text => TextCleaner.Clean(text).Length);
        Measure(report, "clean_1m_chars", oneMillionChars, text => TextCleaner.Clean(text).Length);
        Measure(report, "extract_20k_chars", twentyK, text => DirectiveExtractor.Extract(text).Count);
    }

    private static void Measure(Report report, string name, string input, Func<string, int> operation)
    {
        var sink = 0;
        for (var i = 0; i < 5; i++)
        {
            sink += operation(input); // warm-up: tiered JIT settles
        }

        var samples = new List<double>(Runs);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < Runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += operation(input);
            samples.Add(Percentiles.Milliseconds(start, Stopwatch.GetTimestamp()));
        }

        // CPU time of the whole process (GC included) per run: on a shared, loaded machine the wall clock mostly
        // measures waiting for a core.
        var cpuPerRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Runs;

        GC.KeepAlive(sink);
        report.Add(new Measurement("text", "none", null, name,
        [
            ("p50_ms", Percentiles.Of(samples, 50)),
            ("p95_ms", Percentiles.Of(samples, 95)),
            ("max_ms", samples.Max()),
            ("cpu_ms_per_run", cpuPerRun),
        ])
        {
            Sizes = [("chars", input.Length), ("utf8_bytes", Encoding.UTF8.GetByteCount(input))],
        });
    }

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    private static string Repeat(string unit, Func<string, bool> enough, Func<string, string> cut)
    {
        var sb = new StringBuilder();
        while (!enough(sb.ToString()))
        {
            sb.Append(unit);
        }

        return cut(sb.ToString());
    }

    private static string CutToBytes(string text, int bytes)
    {
        var length = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > bytes)
        {
            length -= Math.Max(1, (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) - bytes) / 3);
        }

        return char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
    }
}
