using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Duban.Similarity;
using Duban.Tabular;

namespace Duban.Cli;

public static partial class CliApp
{
    // ---- similar cases (相似案件) ------------------------------------------------------------------------------

    private static Command SimilarCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var input = new Option<FileInfo>("--input") { Description = "CSV 文件（UTF-8，有表头）/ a UTF-8 CSV file with a header", Required = true };
        var idColumn = new Option<string>("--id") { Description = "编号列 / the id column", Required = true };
        var textColumn = new Option<string>("--text") { Description = "正文列 / the text column", Required = true };
        var json = new Option<bool>("--json") { Description = "输出 JSON（默认每组一行，编号以制表符分隔）/ print JSON (default: one group per line, tab-separated)" };
        var threshold = new Option<double?>("--threshold") { Description = "相似度阈值（Jaccard）/ link threshold (Jaccard)" };
        var groups = new Command("groups", "把相似（重复）诉求分组，输出两条以上的组 / group near-duplicates; prints groups of two or more")
        {
            input, idColumn, textColumn, json, threshold,
        };
        groups.SetAction(async (result, ct) =>
        {
            var rows = ReadColumns(result.GetValue(input)!, [result.GetValue(idColumn)!, result.GetValue(textColumn)!]);
            var items = ShingleRows(rows);
            var found = NearDuplicates.Group(items.Select(i => i.Item).ToList(), Options(result.GetValue(threshold)));
            var names = items.ToDictionary(i => i.Item.Id, i => i.Name);
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(found.Select(g => g.Members.Select(m => names[m]))));
            }
            else
            {
                foreach (var group in found)
                {
                    await output.WriteLineAsync(string.Join('\t', group.Members.Select(m => names[m])));
                }
            }

            return 0;
        });

        var keyColumn = new Option<string>("--key") { Description = "已知重复的键列（如标题）/ the column whose equal values mark known repeats (e.g. the title)", Required = true };
        var samples = new Option<int>("--samples") { Description = "列出几对其他合并 / how many other merges to print", DefaultValueFactory = _ => 20 };
        var evaluate = new Command("evaluate", "用已知重复（相同键）评估分组：召回率、组大小分布、其他合并样例 / measure grouping against known repeats")
        {
            input, idColumn, textColumn, keyColumn, threshold, samples,
        };
        evaluate.SetAction(async (result, ct) =>
        {
            var rows = ReadColumns(result.GetValue(input)!, [result.GetValue(idColumn)!, result.GetValue(textColumn)!, result.GetValue(keyColumn)!]);
            var items = ShingleRows(rows);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var found = NearDuplicates.Group(items.Select(i => i.Item).ToList(), Options(result.GetValue(threshold)));
            var elapsed = started.Elapsed;
            var keys = items.ToDictionary(i => i.Item.Id, i => rows[(int)i.Item.Id][2]);
            var report = GroupingReport.Of(found, keys);
            await output.WriteLineAsync(FormattableString.Invariant(
                $"rows={items.Count} known_pairs={report.KnownPairs} recovered={report.RecoveredPairs} recovery={report.Recovery:P1} groups={found.Count} grouped_rows={found.Sum(g => g.Members.Count)} largest={(found.Count > 0 ? found[0].Members.Count : 0)} ms={elapsed.TotalMilliseconds:F0}"));
            await output.WriteLineAsync("sizes " + string.Join(' ', report.SizeCounts.Select(s => FormattableString.Invariant($"{s.Key}:{s.Value}"))));
            var random = new Random(20200126);
            var shown = report.OtherPairs.OrderBy(_ => random.Next()).Take(result.GetValue(samples));
            var shingles = items.ToDictionary(i => i.Item.Id, i => i.Item.Shingles);
            foreach (var (a, b) in shown)
            {
                var jaccard = ShingleSet.Jaccard(shingles[a], shingles[b]);
                await output.WriteLineAsync(FormattableString.Invariant($"--- J={jaccard:F3} {rows[(int)a][0]} / {rows[(int)b][0]}"));
                await output.WriteLineAsync($"  {rows[(int)a][2]} | {Excerpt(rows[(int)a][1])}");
                await output.WriteLineAsync($"  {rows[(int)b][2]} | {Excerpt(rows[(int)b][1])}");
            }

            return 0;
        });
        return new Command("similar", "相似案件 / similar cases") { groups, evaluate, SimilarBackfillCommand(output, error, clock) };
    }

    private static GroupingOptions Options(double? threshold) =>
        threshold is { } t
            ? (t is > 0 and <= 1 ? new GroupingOptions { Threshold = t } : throw new FormatException("--threshold 必须在 0 与 1 之间 / must be in (0, 1]"))
            : new GroupingOptions();

    /// <summary>The named columns of every record after the header; a short record is an error naming its line.</summary>
    private static List<string[]> ReadColumns(FileInfo file, string[] columns)
    {
        using var reader = new StreamReader(file.FullName, detectEncodingFromByteOrderMarks: true);
        using var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new FormatException("CSV 文件为空 / the CSV file is empty");
        }

        var positions = columns.Select(c => Csv.Column(records.Current.Fields, c)).ToArray();
        var rows = new List<string[]>();
        while (records.MoveNext())
        {
            var record = records.Current;
            rows.Add(positions.Select(p => p < record.Fields.Count
                ? record.Fields[p]
                : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"第 {record.Line} 行缺少列 / line {record.Line} is short"))).ToArray());
        }

        return rows;
    }

    /// <summary>Row number as the item id (ids in the file need not be numbers), with the id as written.</summary>
    private static List<(ShingledItem Item, string Name)> ShingleRows(List<string[]> rows) =>
        rows.Select((r, i) => (new ShingledItem(i, ShingleSet.FromText(r[1])), r[0])).ToList();

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 90 ? flat : flat[..90] + "…";
    }
}
