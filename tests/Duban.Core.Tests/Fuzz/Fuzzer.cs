using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Duban.Tests.Fuzz;

/// <summary>
/// A time-boxed fuzzer over FsCheck generators and mutated seeds. Each target gets a share of the run's budget:
/// <c>DUBAN_FUZZ_SECONDS</c> (the whole run, all targets; 60 when unset, so CI spends about a minute) times its share.
/// Inputs are arbitrary values from FsCheck (strings of every kind, Chinese-heavy text, byte arrays) and real seeds
/// (a CSV, an xlsx, a .doc, a speech) mutated the way broken files are: bit flips, truncation, insertion, deletion,
/// duplicated and spliced blocks, interesting bytes. The random seed is printed and <c>DUBAN_FUZZ_SEED</c> replays a
/// run; a failing input is written to <c>TestResults/fuzz-crashes/</c> and its first bytes shown in the failure.
/// Executions are counted and printed (<c>fuzz executions: …</c>).
/// </summary>
public static class Fuzzer
{
    /// <summary>The whole run's seconds across all targets.</summary>
    public static double TotalSeconds { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("DUBAN_FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 60;

    public static int Seed { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("DUBAN_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : Environment.TickCount;

    /// <summary>Runs <paramref name="check"/> on inputs from <paramref name="next"/> for the target's share of the budget;
    /// returns the number of executions. The check throws (an assertion or the code under test) to report a failure.</summary>
    public static long Run<T>(string target, double share, Func<Random, T> next, Action<T> check, Func<T, byte[]> bytes, Action<string> log)
    {
        var random = new Random(Seed ^ target.GetHashCode(StringComparison.Ordinal));
        var budget = TimeSpan.FromSeconds(TotalSeconds * share);
        var clock = Stopwatch.StartNew();
        long executions = 0;
        while (clock.Elapsed < budget)
        {
            var input = next(random);
            executions++;
            try
            {
                check(input);
            }
            catch (Exception ex)
            {
                var content = bytes(input);
                var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "fuzz-crashes");
                Directory.CreateDirectory(folder);
                var file = Path.Combine(folder, $"{target}-{Convert.ToHexString(SHA256.HashData(content))[..12]}.bin");
                File.WriteAllBytes(file, content);
                throw new InvalidOperationException(
                    $"{target}: execution {executions} (DUBAN_FUZZ_SEED={Seed}) failed with {ex.GetType().Name}: {ex.Message}\n" +
                    $"input saved to {file}; first bytes: {Convert.ToBase64String(content.AsSpan(0, Math.Min(content.Length, 300)))}", ex);
            }
        }

        log(FormattableString.Invariant($"fuzz executions: {target} {executions} in {clock.Elapsed.TotalSeconds:0.0} s (seed {Seed})"));
        return executions;
    }

    /// <summary>Arbitrary strings: FsCheck's (every char), Chinese-heavy text with punctuation and numbering, and
    /// mutated seeds decoded as UTF-8.</summary>
    public static Func<Random, string> Strings(params string[] seeds)
    {
        var fsCheck = ArbMap.Default.GeneratorFor<string>();
        var chinese = Gen.Elements(Alphabet).ListOf().Select(cs => string.Concat(cs));
        return random => random.Next(4) switch
        {
            0 => fsCheck.Sample(size: random.Next(1, 200), seed: new Rnd((ulong)random.NextInt64()), numberOfSamples: 1).Single() ?? string.Empty,
            1 => chinese.Sample(size: random.Next(1, 300), seed: new Rnd((ulong)random.NextInt64()), numberOfSamples: 1).Single(),
            _ => Encoding.UTF8.GetString(Mutate(random, Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]))),
        };
    }

    /// <summary>Mutated seeds, with now and then a wholly random array.</summary>
    public static Func<Random, byte[]> Bytes(params byte[][] seeds) => random =>
        random.Next(10) == 0 ? RandomBytes(random, random.Next(0, 4096)) : Mutate(random, seeds[random.Next(seeds.Length)]);

    private static readonly string[] Alphabet =
    [
        "一", "二", "三", "是", "要", "第", "，", "。", "、", "；", "：", "（", "）", "(", ")", "1", "2", ".", "．", "\n", "\r\n", " ", "　", "\t",
        "市", "长", "强调", "指出", "要求", "一要", "二是", "第三，", "（四）", "5.", "六、", "\u0000", "\uFEFF", "\u202E", "\uD800", "𠀀", "ａ", "—", "…",
        "\"", ",", "\"\"", "“", "”", "版", "本报记者", "摄", "（下转第二版）", "▶", "-", "第 2 页", "扫一扫", "年", "月", "日", "9999", "0001",
    ];

    private static readonly byte[] Interesting = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, (byte)'<', (byte)'>', (byte)'"', (byte)',', (byte)'\n', (byte)'&', 0xEF, 0xBB, 0xBF, 0xC3, 0xE4];

    /// <summary>One to eight mutations of a copy of the seed.</summary>
    public static byte[] Mutate(Random random, byte[] seed)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(seed);
        var data = new List<byte>(seed);
        var rounds = random.Next(1, 9);
        for (var i = 0; i < rounds; i++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8)); // a bit flip
                    break;
                case 1 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at); // truncation
                    break;
                case 2:
                    data.InsertRange(at, RandomBytes(random, random.Next(1, 64))); // insertion
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(random.Next(1, 256), data.Count - at)); // deletion
                    break;
                case 4 when data.Count > 0:
                    var length = Math.Min(random.Next(1, 512), data.Count - at);
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length)); // a block repeated elsewhere
                    break;
                case 5 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 6 when data.Count > 4:
                    // A little-endian number set to an edge: sizes and offsets in zip and compound files.
                    var edge = (uint[])[0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFA, 512, 4096];
                    var value = edge[random.Next(edge.Length)];
                    var place = random.Next(data.Count - 4);
                    for (var b = 0; b < 4; b++)
                    {
                        data[place + b] = (byte)(value >> (8 * b));
                    }

                    break;
                default:
                    if (data.Count > 0)
                    {
                        data[at] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. data];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
