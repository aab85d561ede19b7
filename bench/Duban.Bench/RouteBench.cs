using System.Diagnostics;
using Duban.Triage;
using Duban.Tabular;

namespace Duban.Bench;

/// <summary>
/// Training the router on 100,000 rows and predicting with it. The rows are made from the real appeals
/// (../shared/data/appeals-taidi2020: hot_issue_messages and replies, 7,142 texts): each row keeps a text's title and
/// a random half of its sentences, labelled by a router trained on labelled_sample.csv, so the vocabulary and the
/// labels have the real data's shape. Fixed seed; generation is not timed.
/// </summary>
internal static class RouteBench
{
    private const int Rows = 100_000, QuickRows = 10_000;
    private const int Predictions = 20_000, QuickPredictions = 2_000;

    public static void Run(BenchOptions options, Report report)
    {
        var labelled = ReadTexts(options.LabelledFile, "一级分类");
        var seedModel = TriageTrainer.Train(labelled.Select(t => new TriageExample(t.Text, t.Label!)).ToArray());
        var bases = ReadTexts(options.AppealsFile, null).Concat(ReadTexts(options.RepliesFile, null))
            .Select(t => (t.Title, Sentences: t.Body.Split('。', StringSplitOptions.RemoveEmptyEntries), Label: seedModel.Predict(t.Text, 0).BestLabel))
            .ToArray();
        var random = new Random(20200101);
        var rows = new TriageExample[options.Quick ? QuickRows : Rows];
        for (var i = 0; i < rows.Length; i++)
        {
            var (title, sentences, label) = bases[random.Next(bases.Length)];
            var kept = sentences.Where(_ => random.Next(2) == 0).DefaultIfEmpty(sentences.FirstOrDefault() ?? "");
            rows[i] = new TriageExample(title + "\n" + string.Join("。", kept), label);
        }

        Measure(report, options, rows, "none", null);
        // With the organisers' taxonomy as lexicon (duban route … --lexicon taxonomy.csv): the category labels are its.
        var taxonomy = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.LabelledFile))!, "taxonomy.csv");
        if (File.Exists(taxonomy))
        {
            using var reader = new StreamReader(taxonomy);
            Measure(report, options, rows, "lexicon", TriageLexicon.FromRows(Csv.Read(reader).Skip(1).Select(r => r.Fields).ToList()));
        }
    }

    private static void Measure(Report report, BenchOptions options, TriageExample[] rows, string variant, TriageLexicon? lexicon)
    {
        GC.Collect();
        // CPU seconds beside wall time: on a shared machine the wall time says more about the neighbours.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var model = TriageTrainer.Train(rows, new TriageTrainerOptions { Lexicon = lexicon });
        var trainSeconds = watch.Elapsed.TotalSeconds;
        var trainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        using var file = new MemoryStream();
        model.Write(file);

        var texts = rows.Take(options.Quick ? QuickPredictions : Predictions).Select(r => r.Text).ToArray();
        var threadCpu = ThreadCpu.Milliseconds();
        watch.Restart();
        foreach (var text in texts)
        {
            model.Predict(text, 0.5);
        }

        var predictSeconds = watch.Elapsed.TotalSeconds;
        var predictCpu = (ThreadCpu.Milliseconds() - threadCpu) / 1e3;

        // A batch (route predict on a file, or concurrent web requests) uses every core.
        watch.Restart();
        Parallel.ForEach(texts, text => model.Predict(text));
        var parallelSeconds = watch.Elapsed.TotalSeconds;
        report.Add(new Measurement("route", variant, rows.Length, "train",
        [
            ("seconds", trainSeconds),
            ("rows_per_s", rows.Length / trainSeconds),
            ("cpu_s", trainCpu),
            ("labels", model.Labels.Count),
            ("features", model.Space.Count),
            ("model_mb", file.Length / 1048576.0),
            ("peak_working_set_mb", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0),
        ]));
        report.Add(new Measurement("route", variant, texts.Length, "predict",
        [
            ("texts_per_s", texts.Length / predictSeconds),
            ("us_per_text", predictSeconds * 1e6 / texts.Length),
            ("texts_per_cpu_s", texts.Length / predictCpu),
            ("texts_per_s_all_cores", texts.Length / parallelSeconds),
            ("threshold", model.Threshold),
            ("mean_chars", texts.Average(t => t.Length)),
        ]));
    }

    private sealed record Row(string Title, string Body, string? Label)
    {
        public string Text => Title + "\n" + Body;
    }

    private static List<Row> ReadTexts(string path, string? labelColumn)
    {
        using var reader = new StreamReader(path);
        var records = Csv.Read(reader).ToList();
        var header = records[0].Fields;
        int title = Csv.Column(header, "留言主题"), body = Csv.Column(header, "留言详情");
        var label = labelColumn is null ? -1 : Csv.Column(header, labelColumn);
        return records.Skip(1).Select(r => new Row(r.Fields[title], r.Fields[body], label < 0 ? null : r.Fields[label])).ToList();
    }
}
