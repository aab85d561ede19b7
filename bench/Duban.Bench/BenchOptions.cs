using System.Globalization;

namespace Duban.Bench;

/// <summary>What to measure and how long it may take; read from the command line.</summary>
internal sealed record BenchOptions
{
    public static readonly int[] DefaultSizes = [1_000, 10_000, 100_000];
    public static readonly int[] QuickSizes = [1_000, 2_000];
    public static readonly int[] DefaultSweepSizes = [100_000, 1_000_000];
    public static readonly int[] QuickSweepSizes = [2_000];

    /// <summary>The parts of a run <c>--only</c> may name.</summary>
    public static readonly string[] Parts = ["calendar", "assign", "list", "sweep", "text", "similar", "route", "import", "review"];

    /// <summary>A server connection string; the bench creates and drops a database of its own on it.</summary>
    public string? Postgres { get; init; }

    /// <summary>Matter counts for the list-page measurement.</summary>
    public IReadOnlyList<int> Sizes { get; init; } = DefaultSizes;

    public bool Quick { get; init; }

    /// <summary>Skip the SQLite storage measurements (e.g. to measure PostgreSQL alone).</summary>
    public bool NoSqlite { get; init; }

    public string Out { get; init; } = Path.Combine("bench", "results", "latest.json");

    /// <summary>Wall-clock budget for each engine's storage measurements; a size that would not fit is skipped and said so.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time spent per calendar case (after a warm-up).</summary>
    public TimeSpan CalendarTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Most matters assigned one at a time through AssignMatter, and the most time spent on it.</summary>
    public int AssignCount { get; init; } = 2_000;

    public TimeSpan AssignTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>List calls per case after the warm-ups, and the most time a case may take.</summary>
    public int ListCalls { get; init; } = 30;

    public int ListWarmups { get; init; } = 3;
    public TimeSpan ListCaseTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Print the SQL and the engine's plan of each list query.</summary>
    public bool Explain { get; init; }

    /// <summary>Run ANALYZE on SQLite after each load; the product never does, so this is off by default.</summary>
    public bool SqliteAnalyze { get; init; }

    /// <summary>The parts to run (see <see cref="Parts"/>); every part when not given.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(Parts, StringComparer.Ordinal);

    /// <summary>Open-matter counts for the deadline-sweep measurement, and how many milestones fall due at its instant.</summary>
    public IReadOnlyList<int> SweepSizes { get; init; } = DefaultSweepSizes;

    public int SweepDue { get; init; } = 10_000;

    /// <summary>Work items (node plans, monthly reports) created through the product beside the sweep's open matters.</summary>
    public int SweepItems { get; init; } = 2_000;

    /// <summary>Similar cases: items in the top-10 index, items grouped, and the real appeals the texts vary.</summary>
    public int SimilarSize { get; init; } = 1_000_000;

    public int GroupSize { get; init; } = 100_000;
    public string AppealsFile { get; init; } = SharedData("hot_issue_messages.csv");

    /// <summary>Rows in each generated import file (xlsx and GB18030 CSV) and the real appeals they are made from.</summary>
    public int ImportSize { get; init; } = 100_000;

    /// <summary>The import's formats, in the order they run (the first pays for the runtime's compiling the import).</summary>
    public IReadOnlyList<string> ImportFormats { get; init; } = ["xlsx", "csv"];

    /// <summary>Matters (with whole histories over three years, in 3,000 units) behind the review measurements.</summary>
    public int ReviewSize { get; init; } = 1_000_000;

    public string RepliesFile { get; init; } = SharedData("replies.csv");

    /// <summary>The labelled appeals the routing bench's seed model learns from: beside <see cref="AppealsFile"/>, else in the shared data.</summary>
    public string LabelledFile => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(AppealsFile))!, "labelled_sample.csv") is var beside && File.Exists(beside)
        ? beside
        : SharedData("labelled_sample.csv");

    /// <summary>A file of the real appeals (shared/data/appeals-taidi2020) found in a folder above the bench's assembly or
    /// the working directory, so every part runs from any directory; else the path beside the checkout, which the part
    /// reading it will report missing.</summary>
    public static string SharedData(string name)
    {
        var relative = Path.Combine("appeals-taidi2020", name);
        return Duban.Data.SyntheticData.FindSharedData(relative)
            ?? Path.Combine("..", "shared", "data", relative);
    }

    public bool Runs(string part) => Only.Contains(part);

    public const string Usage = """
        Duban benchmarks: prints one line per figure and writes them as JSON.

          dotnet run -c Release --project bench/Duban.Bench -- [options]

          --postgres <conn>     also measure PostgreSQL, e.g. "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres"
                                (a database of the bench's own is created on that server and dropped afterwards)
          --no-sqlite           skip the SQLite storage measurements
          --sizes <n,n,...>     matter counts for the list pages (default 1000,10000,100000)
          --quick               every part small (CI runs it): sizes 1000,2000, shorter calendar and assign runs
          --out <file>          JSON results (default bench/results/latest.json)
          --budget <minutes>    wall-clock budget per engine (default 10); sizes that would not fit are skipped
          --calendar-seconds <s> time per calendar case (default 3)
          --assign-count <n>    most matters assigned one at a time (default 2000)
          --assign-seconds <s>  most time spent assigning them (default 30)
          --explain             print each list query's SQL and plan
          --sqlite-analyze      run ANALYZE on SQLite after loading (the product never does; for comparison)
          --only <part,...>     run only these parts: calendar, assign, list, sweep, text, similar, route, import, review (default all)
          --sweep-sizes <n,...> open matters for the deadline sweep (default 100000,1000000; --quick 2000),
                                bulk-loaded with SQL; a size that would not fit in --budget is skipped
          --sweep-due <n>       milestones newly due at the sweep's instant (default 10000; --quick 1000)
          --sweep-items <n>     work items on node plans among the open matters (default 2000; --quick 200)
          --similar-n <n>       items in the similar-cases index (default 1000000; --quick 20000)
          --group-n <n>         items grouped into near-duplicates (default 100000; --quick 10000)
          --appeals <file>      the real appeals the synthetic texts vary (default shared/data/appeals-taidi2020/hot_issue_messages.csv
                                in a folder above the bench or the working directory; labelled_sample.csv is read beside it)
          --import-n <n>        rows in each generated import file, xlsx and GB18030 CSV (default 100000; --quick 1000)
          --import-formats <l>  the import's formats in the order run, of xlsx,csv (default xlsx,csv)
          --replies <file>      the real appeals the import rows are made from (default shared/data/appeals-taidi2020/replies.csv, found likewise)
          --review-n <n>        matters with whole histories behind the review timings (default 1000000; --quick 5000)
          --help
        """;

    /// <summary>Reads the arguments; null with a message when they are wrong.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var options = new BenchOptions();
        int? assignCount = null;
        double? calendarSeconds = null, assignSeconds = null;
        IReadOnlyList<int>? sizes = null, sweepSizes = null;
        int? sweepDue = null, sweepItems = null, similarSize = null, groupSize = null, importSize = null, reviewSize = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{arg} needs a value");
                }

                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "--postgres":
                        options = options with { Postgres = Value() };
                        break;
                    case "--no-sqlite":
                        options = options with { NoSqlite = true };
                        break;
                    case "--sizes":
                        sizes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => PositiveInt(s, arg)).ToList();
                        break;
                    case "--quick":
                        options = options with { Quick = true };
                        break;
                    case "--out":
                        options = options with { Out = Value() };
                        break;
                    case "--budget":
                        options = options with { Budget = TimeSpan.FromMinutes(PositiveDouble(Value(), arg)) };
                        break;
                    case "--calendar-seconds":
                        calendarSeconds = PositiveDouble(Value(), arg);
                        break;
                    case "--assign-count":
                        assignCount = PositiveInt(Value(), arg);
                        break;
                    case "--assign-seconds":
                        assignSeconds = PositiveDouble(Value(), arg);
                        break;
                    case "--explain":
                        options = options with { Explain = true };
                        break;
                    case "--sqlite-analyze":
                        options = options with { SqliteAnalyze = true };
                        break;
                    case "--only":
                        var parts = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        if (parts.Length == 0 || parts.Any(p => !Parts.Contains(p)))
                        {
                            throw new FormatException($"{arg}: parts are {string.Join(", ", Parts)}");
                        }

                        options = options with { Only = new HashSet<string>(parts, StringComparer.Ordinal) };
                        break;
                    case "--sweep-sizes":
                        sweepSizes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => PositiveInt(s, arg)).ToList();
                        break;
                    case "--sweep-due":
                        sweepDue = PositiveInt(Value(), arg);
                        break;
                    case "--sweep-items":
                        sweepItems = PositiveInt(Value(), arg);
                        break;
                    case "--import-n":
                        importSize = PositiveInt(Value(), arg);
                        break;
                    case "--import-formats":
                        var formats = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        if (formats.Length == 0 || formats.Any(f => f is not ("xlsx" or "csv")) || formats.Distinct().Count() != formats.Length)
                        {
                            throw new FormatException($"{arg}: a list of xlsx and csv, each once");
                        }

                        options = options with { ImportFormats = formats };
                        break;
                    case "--review-n":
                        reviewSize = PositiveInt(Value(), arg);
                        break;
                    case "--replies":
                        options = options with { RepliesFile = Value() };
                        break;
                    case "--similar-n":
                        similarSize = PositiveInt(Value(), arg);
                        break;
                    case "--group-n":
                        groupSize = PositiveInt(Value(), arg);
                        break;
                    case "--appeals":
                        options = options with { AppealsFile = Value() };
                        break;
                    case "--help" or "-h":
                        error.WriteLine(Usage);
                        return null;
                    default:
                        throw new FormatException($"unknown option {arg}");
                }
            }
            catch (FormatException e)
            {
                error.WriteLine(e.Message);
                error.WriteLine(Usage);
                return null;
            }
        }

        if (options.Quick)
        {
            options = options with
            {
                Sizes = QuickSizes,
                SweepSizes = QuickSweepSizes,
                SweepDue = 1_000,
                SweepItems = 200,
                CalendarTime = TimeSpan.FromSeconds(1),
                ListCalls = 10,
                ListWarmups = 1,
                AssignCount = 200,
                AssignTime = TimeSpan.FromSeconds(5),
                SimilarSize = 20_000,
                GroupSize = 10_000,
                ImportSize = 1_000,
                ReviewSize = 5_000,
            };
        }

        return options with
        {
            Sizes = sizes ?? options.Sizes,
            SweepSizes = sweepSizes ?? options.SweepSizes,
            SweepDue = sweepDue ?? options.SweepDue,
            SweepItems = sweepItems ?? options.SweepItems,
            SimilarSize = similarSize ?? options.SimilarSize,
            GroupSize = groupSize ?? options.GroupSize,
            ImportSize = importSize ?? options.ImportSize,
            ReviewSize = reviewSize ?? options.ReviewSize,
            CalendarTime = calendarSeconds is { } c ? TimeSpan.FromSeconds(c) : options.CalendarTime,
            AssignCount = assignCount ?? options.AssignCount,
            AssignTime = assignSeconds is { } a ? TimeSpan.FromSeconds(a) : options.AssignTime,
        };
    }

    private static int PositiveInt(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{option}: \"{text}\" is not a positive whole number");

    private static double PositiveDouble(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{option}: \"{text}\" is not a positive number");
}
