using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Duban.Data;
using Duban.Similarity;
using Duban.Tabular;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban similar groups|evaluate|backfill</c>: similar cases (相似案件) in a CSV, and the database's missing signatures.</summary>
internal sealed class SimilarCommand(CliContext cli)
{
    private readonly Option<FileInfo> _input = new("--input") { Description = "CSV 文件（UTF-8，有表头）", Required = true };
    private readonly Option<string> _idColumn = new("--id") { Description = "编号列", Required = true };
    private readonly Option<string> _textColumn = new("--text") { Description = "正文列", Required = true };
    private readonly Option<bool> _json = new("--json") { Description = "输出 JSON（默认每组一行，编号以制表符分隔）" };
    private readonly Option<double?> _threshold = new("--threshold") { Description = "相似度阈值（Jaccard）" };
    private readonly Option<double?> _member = new("--member") { Description = "组员与典型件的最低相似度（Jaccard）" };
    private readonly Option<string> _keyColumn = new("--key") { Description = "已知重复的键列（如标题）", Required = true };
    private readonly Option<int> _samples = new("--samples") { Description = "列出几对其他合并", DefaultValueFactory = _ => 20 };
    private readonly Option<int> _pageSize = new("--page-size")
    {
        Description = "每页事项数（每页提交一次）",
        DefaultValueFactory = _ => SignatureBackfill.DefaultPageSize,
    };

    public Command Create()
    {
        var groups = new Command("groups", "把相似（重复）诉求分组，输出两条以上的组")
        {
            _input, _idColumn, _textColumn, _json, _threshold, _member,
        };
        groups.SetAction(GroupsAsync);
        var evaluate = new Command("evaluate", "用已知重复（相同键）评估分组：召回率、组大小分布、其他合并样例")
        {
            _input, _idColumn, _textColumn, _keyColumn, _threshold, _member, _samples,
        };
        evaluate.SetAction(EvaluateAsync);
        _pageSize.Validators.Add(r =>
        {
            if (r.GetValue(_pageSize) is < 1 or > SignatureBackfill.MaxPageSize)
            {
                r.AddError(FormattableString.Invariant($"--page-size 应在 1 到 {SignatureBackfill.MaxPageSize} 之间。"));
            }
        });
        var backfill = new Command("backfill", "为缺少相似签名的事项补算（可中断、可重复运行）")
        {
            _pageSize,
        };
        backfill.SetAction(BackfillAsync);
        return new Command("similar", "相似案件") { groups, evaluate, backfill };
    }

    private async Task<int> GroupsAsync(ParseResult result, CancellationToken ct)
    {
        var rows = ReadColumns(result.GetValue(_input)!, [result.GetValue(_idColumn)!, result.GetValue(_textColumn)!]);
        var items = ShingleRows(rows);
        var found = NearDuplicates.Group(items.Select(i => i.Item).ToList(), Options(result.GetValue(_threshold), result.GetValue(_member)));
        var names = items.ToDictionary(i => i.Item.Id, i => i.Name);
        if (result.GetValue(_json))
        {
            await cli.Output.WriteLineAsync(JsonSerializer.Serialize(found.Select(g => g.Members.Select(m => names[m]))));
        }
        else
        {
            foreach (var group in found)
            {
                await cli.Output.WriteLineAsync(string.Join('\t', group.Members.Select(m => names[m])));
            }
        }

        return 0;
    }

    private async Task<int> EvaluateAsync(ParseResult result, CancellationToken ct)
    {
        var output = cli.Output;
        var rows = ReadColumns(result.GetValue(_input)!, [result.GetValue(_idColumn)!, result.GetValue(_textColumn)!, result.GetValue(_keyColumn)!]);
        var items = ShingleRows(rows);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var found = NearDuplicates.Group(items.Select(i => i.Item).ToList(), Options(result.GetValue(_threshold), result.GetValue(_member)));
        var elapsed = started.Elapsed;
        var keys = items.ToDictionary(i => i.Item.Id, i => rows[(int)i.Item.Id][2]);
        var report = GroupingReport.Of(found, keys);
        await output.WriteLineAsync(FormattableString.Invariant(
            $"rows={items.Count} known_pairs={report.KnownPairs} recovered={report.RecoveredPairs} recovery={report.Recovery:P1} groups={found.Count} grouped_rows={found.Sum(g => g.Members.Count)} largest={(found.Count > 0 ? found[0].Members.Count : 0)} ms={elapsed.TotalMilliseconds:F0}"));
        await output.WriteLineAsync("sizes " + string.Join(' ', report.SizeCounts.Select(s => FormattableString.Invariant($"{s.Key}:{s.Value}"))));
        var random = new Random(20200126);
        var shown = report.OtherPairs.OrderBy(_ => random.Next()).Take(result.GetValue(_samples));
        var shingles = items.ToDictionary(i => i.Item.Id, i => i.Item.Shingles);
        foreach (var (a, b) in shown)
        {
            var jaccard = ShingleSet.Jaccard(shingles[a], shingles[b]);
            await output.WriteLineAsync(FormattableString.Invariant($"--- J={jaccard:F3} {rows[(int)a][0]} / {rows[(int)b][0]}"));
            await output.WriteLineAsync($"  {rows[(int)a][2]} | {Excerpt(rows[(int)a][1])}");
            await output.WriteLineAsync($"  {rows[(int)b][2]} | {Excerpt(rows[(int)b][1])}");
        }

        return 0;
    }

    /// <summary>Writes the <c>matter_signatures</c> rows that are missing, a page per commit, progress on stderr.</summary>
    private async Task<int> BackfillAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var written = await scope.ServiceProvider.GetRequiredService<SignatureBackfill>().RunAsync(result.GetValue(_pageSize), null,
            new BackfillPrinter(cli.Error), ct);
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"补算签名 {written} 条"));
        return 0;
    }

    private static GroupingOptions Options(double? threshold, double? member)
    {
        var options = new GroupingOptions();
        if (threshold is { } t)
        {
            options = t is > 0 and <= 1 ? options with { Threshold = t } : throw new FormatException("--threshold 必须在 0 与 1 之间");
        }

        if (member is { } m)
        {
            options = m is >= 0 and <= 1 ? options with { MemberThreshold = m } : throw new FormatException("--member 必须在 0 与 1 之间");
        }

        return options;
    }

    /// <summary>The named columns of every record after the header; a short record is an error naming its line.</summary>
    private static List<string[]> ReadColumns(FileInfo file, string[] columns)
    {
        using var reader = new StreamReader(file.FullName, detectEncodingFromByteOrderMarks: true);
        using var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new FormatException("CSV 文件为空");
        }

        var positions = columns.Select(c => Csv.Column(records.Current.Fields, c)).ToArray();
        var rows = new List<string[]>();
        while (records.MoveNext())
        {
            var record = records.Current;
            rows.Add(positions.Select(p => p < record.Fields.Count
                ? record.Fields[p]
                : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"第 {record.Line} 行缺少列"))).ToArray());
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

    private sealed class BackfillPrinter(TextWriter error) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) =>
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已补算 {value.Written} 条，至事项 {value.LastMatterId}"));
    }
}
