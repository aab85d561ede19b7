using System.CommandLine;
using System.Globalization;
using System.Text;
using Duban.Data;
using Duban.Matters;
using Duban.Triage;
using Duban.Tabular;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban route train|predict|evaluate|retrain</c>: learned routing (智能分流) on CSV files and on the database.</summary>
internal sealed class RouteCommand(CliContext cli)
{
    /// <summary>What 不确定 (don't know) prints as.</summary>
    private const string Unsure = "不确定";

    private readonly Option<FileInfo> _trainInput = Input();
    private readonly Option<string[]> _trainText = Text();
    private readonly Option<string> _trainLabel = Label();
    private readonly Option<FileInfo> _trainModel = new("--model") { Description = "写出的模型文件", Required = true };
    private readonly Option<string> _trainFeatures = new("--features")
    {
        Description = "特征：words（字 n-gram + 分词，默认）或 chars（仅字 n-gram）",
        DefaultValueFactory = _ => "words",
    };

    private readonly Option<FileInfo?> _trainLexicon = Lexicon();

    private readonly Option<FileInfo> _predictModel = new("--model") { Description = "模型文件", Required = true };
    private readonly Option<FileInfo> _predictInput = Input();
    private readonly Option<string[]> _predictText = Text();
    private readonly Option<bool> _withConfidence = new("--with-confidence") { Description = "每行加制表符和概率" };
    private readonly Option<double> _predictThreshold = new("--threshold")
    {
        Description = "概率低于此值输出“不确定”（默认 0：总给出类别）/ below this, print 不确定 (default 0: always a label)",
    };

    private readonly Option<FileInfo> _evaluateInput = Input();
    private readonly Option<string[]> _evaluateText = Text();
    private readonly Option<string> _evaluateLabel = Label();
    private readonly Option<int> _folds = new("--folds") { Description = "折数", DefaultValueFactory = _ => 5 };
    private readonly Option<int[]> _seeds = new("--seeds")
    {
        Description = "划分折的随机种子，可重复（默认 1 2 3 4 5）",
        DefaultValueFactory = _ => [1, 2, 3, 4, 5],
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<string> _features = new("--features")
    {
        Description = "特征：chars（字 n-gram）、words（字 n-gram + 分词）或 both（两者对比，默认）",
        DefaultValueFactory = _ => "both",
    };

    private readonly Option<FileInfo?> _evaluateLexicon = Lexicon();

    public Command Create()
    {
        _trainFeatures.AcceptOnlyFromAmong("words", "chars");
        var train = new Command("train", "用带类别的 CSV 训练分流模型") { _trainInput, _trainText, _trainLabel, _trainModel, _trainFeatures, _trainLexicon };
        train.SetAction(TrainAsync);
        var predict = new Command("predict", "逐行预测类别，每行输出一个")
        {
            _predictModel, _predictInput, _predictText, _withConfidence, _predictThreshold,
        };
        predict.SetAction(PredictAsync);
        _features.AcceptOnlyFromAmong("chars", "words", "both");
        var evaluate = new Command("evaluate", "多个随机种子的分层 k 折交叉验证：两种特征的 macro-F1（均值与标准差）、各类精确率与召回率、混淆矩阵、拒答曲线，及朴素贝叶斯基线")
        {
            _evaluateInput, _evaluateText, _evaluateLabel, _folds, _seeds, _features, _evaluateLexicon,
        };
        evaluate.SetAction(EvaluateAsync);
        var retrain = new Command("retrain", "用数据库中已办结事项重新训练承办单位建议模型");
        retrain.SetAction(RetrainAsync);
        return new Command("route", "智能分流：按文本建议类别或承办单位") { train, predict, evaluate, retrain };
    }

    private static Option<FileInfo> Input() => new("--input") { Description = "UTF-8 CSV，含表头", Required = true };

    private static Option<string[]> Text() => new("--text")
    {
        Description = "文本列，可重复，按顺序拼接（如 --text 留言主题 --text 留言详情）",
        Required = true,
    };

    private static Option<FileInfo?> Lexicon() => new("--lexicon")
    {
        Description = "类别词表 CSV（含表头）：第一列为类别，其余列为属于它的词（如 taxonomy.csv 的 一级分类,二级分类,三级分类）；文本中出现的词作为其类别的特征，仅当类别列即词表的类别时使用",
    };

    private static Option<string> Label() => new("--label") { Description = "类别列", Required = true };

    private async Task<int> TrainAsync(ParseResult result, CancellationToken ct)
    {
        var rows = ReadRoutingRows(result.GetValue(_trainInput)!, result.GetValue(_trainText)!, result.GetValue(_trainLabel));
        var features = result.GetValue(_trainFeatures) == "chars" ? TriageFeatureSet.Characters : TriageFeatureSet.CharactersAndWords;
        var options = new TriageTrainerOptions { Features = features, Lexicon = ReadLexicon(result.GetValue(_trainLexicon)) };
        var model = TriageTrainer.Train(rows.Select(r => new TriageExample(r.Text, r.Label!)).ToArray(), options);
        await using (var file = File.Create(result.GetValue(_trainModel)!.FullName))
        {
            model.Write(file);
        }

        await cli.Output.WriteLineAsync(FormattableString.Invariant(
            $"已训练：{rows.Count} 行，{model.Labels.Count} 个类别，{model.Space.Count} 个特征，拒答阈值 {model.Threshold:0.000}，模型写入 {result.GetValue(_trainModel)!.FullName}"));
        return 0;
    }

    private async Task<int> PredictAsync(ParseResult result, CancellationToken ct)
    {
        var model = ReadModel(result.GetValue(_predictModel)!);
        var rows = ReadRoutingRows(result.GetValue(_predictInput)!, result.GetValue(_predictText)!, null);
        foreach (var row in rows)
        {
            var p = model.Predict(row.Text, result.GetValue(_predictThreshold));
            var label = p.Label ?? Unsure;
            await cli.Output.WriteLineAsync(result.GetValue(_withConfidence)
                ? $"{label}\t{p.Confidence.ToString("0.0000", CultureInfo.InvariantCulture)}"
                : label);
        }

        return 0;
    }

    private async Task<int> EvaluateAsync(ParseResult result, CancellationToken ct)
    {
        var rows = ReadRoutingRows(result.GetValue(_evaluateInput)!, result.GetValue(_evaluateText)!, result.GetValue(_evaluateLabel));
        var examples = rows.Select(r => new TriageExample(r.Text, r.Label!)).ToArray();
        var seeds = result.GetValue(_seeds)!;
        TriageFeatureSet[] features = result.GetValue(_features) switch
        {
            "chars" => [TriageFeatureSet.Characters],
            "words" => [TriageFeatureSet.CharactersAndWords],
            _ => [TriageFeatureSet.Characters, TriageFeatureSet.CharactersAndWords],
        };
        await cli.Output.WriteLineAsync(FormattableString.Invariant(
            $"分层 {result.GetValue(_folds)} 折交叉验证，随机种子 {string.Join("、", seeds)}，共 {examples.Length} 行；阈值为各折模型在其训练数据的留出部分上选定（建议准确率不低于 {new TriageTrainerOptions().TargetAccuracy:0.00}）"));
        await cli.Output.WriteLineAsync("特征	种子	macro-F1	准确率	阈值	给出建议	建议准确率	基线 macro-F1");
        var lexicon = ReadLexicon(result.GetValue(_evaluateLexicon));
        if (lexicon is not null)
        {
            await cli.Output.WriteLineAsync(FormattableString.Invariant($"类别词表：{lexicon.Terms.Count} 个词，文本中出现的词计入其类别"));
        }

        var reports = TriageEvaluation.Compare(examples, result.GetValue(_folds), seeds, features, new TriageTrainerOptions { Lexicon = lexicon },
            progress: new Printer(r => cli.Output.WriteLine(Row(FeatureName(r.Features), r.Seed.ToString(CultureInfo.InvariantCulture), r.Result.Router, r.Result.BaselineMacroF1))));
        foreach (var report in reports)
        {
            await WriteEvaluationAsync(report);
        }

        return 0;
    }

    private async Task<int> RetrainAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var summary = await scope.ServiceProvider.GetRequiredService<MatterTriage>().RetrainAsync(ct: ct);
        await cli.Output.WriteLineAsync(FormattableString.Invariant(
            $"已训练模型 {summary.ModelId}：已办结事项 {summary.Examples} 件，承办单位 {summary.Units} 个"));
        if (summary.SkippedUnits.Count > 0)
        {
            await cli.Error.WriteLineAsync($"只有一件已办结事项、未参与训练的单位：{string.Join(", ", summary.SkippedUnits)}");
        }

        return 0;
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string FeatureName(TriageFeatureSet features) =>
        features == TriageFeatureSet.Characters ? "字 n-gram" : "字 n-gram + 分词";

    private static string Row(string features, string seed, TriageScore r, double baseline) =>
        $"{features}\t{seed}\t{F(r.MacroF1)}\t{F(r.Accuracy)}\t{F(r.Threshold)}\t{F(r.Coverage)}\t{F(r.AccuracyCovered)}\t{F(baseline)}";

    private async Task WriteEvaluationAsync(TriageFeatureReport report)
    {
        var output = cli.Output;
        var r = report.Pooled;
        var (f1, f1Spread) = report.MacroF1;
        var (accuracy, accuracySpread) = report.Accuracy;
        var name = FeatureName(report.Features);
        await output.WriteLineAsync();
        await output.WriteLineAsync(FormattableString.Invariant(
            $"== {name}：{report.Runs.Count} 个种子 ==\n分流模型 macro-F1 {F(f1)} ± {F(f1Spread)}（最低 {F(report.Runs.Min(x => x.Result.Router.MacroF1))}，最高 {F(report.Runs.Max(x => x.Result.Router.MacroF1))}）  准确率 {F(accuracy)} ± {F(accuracySpread)}"));
        await output.WriteLineAsync(
            $"对照基线 macro-F1 {F(report.Runs.Average(x => x.Result.BaselineMacroF1))}  准确率 {F(report.Runs.Average(x => x.Result.BaselineAccuracy))}（朴素贝叶斯，相邻两字，各种子均值）");
        await output.WriteLineAsync("各类别（所有种子合计）：");
        foreach (var label in r.Labels)
        {
            await output.WriteLineAsync(FormattableString.Invariant(
                $"  {label.Label}\tF1 {F(label.F1)}\t精确率 {F(label.Precision)}\t召回率 {F(label.Recall)}\t样本 {label.Support / report.Runs.Count}"));
        }

        await output.WriteLineAsync("混淆矩阵（行为实际类别，列为预测，所有种子合计）：");
        await output.WriteLineAsync("  \t" + string.Join('\t', report.Labels.Select((_, j) => $"[{j + 1}]")));
        for (var i = 0; i < report.Labels.Count; i++)
        {
            var cells = Enumerable.Range(0, report.Labels.Count).Select(j => report.Confusion[i, j].ToString(CultureInfo.InvariantCulture));
            await output.WriteLineAsync($"  [{i + 1}] {report.Labels[i]}\t{string.Join('\t', cells)}");
        }

        await output.WriteLineAsync($"校准误差 ECE {F(r.ExpectedCalibrationError)}；可靠性（置信度区间：条数、平均置信度、准确率）：");
        for (var b = 0; b < r.Reliability.Count; b++)
        {
            var (count, confidence, binAccuracy) = r.Reliability[b];
            if (count > 0)
            {
                await output.WriteLineAsync(FormattableString.Invariant($"  {b / 10.0:0.0}–{(b + 1) / 10.0:0.0}: {count}, {F(confidence)}, {F(binAccuracy)}"));
            }
        }

        await output.WriteLineAsync(
            $"拒答：各折模型自选阈值（均值 {F(r.Threshold)}）下给出建议 {F(r.Coverage)}，其中准确率 {F(r.AccuracyCovered)}；建议人工分派 {F(1 - r.Coverage)}");
        await output.WriteLineAsync("拒答曲线（阈值：给出建议的比例、其中准确率）：");
        foreach (var point in report.Curve)
        {
            await output.WriteLineAsync($"  {F(point.Threshold)}: {F(point.Coverage)}, {F(point.Accuracy)}");
        }
    }

    /// <summary>Prints each run as it ends, on the reporting thread.</summary>
    private sealed class Printer(Action<(TriageFeatureSet Features, int Seed, TriageEvaluationResult Result)> print)
        : IProgress<(TriageFeatureSet Features, int Seed, TriageEvaluationResult Result)>
    {
        public void Report((TriageFeatureSet Features, int Seed, TriageEvaluationResult Result) value) => print(value);
    }

    private sealed record TriageRow(int Line, string Text, string? Label);

    /// <summary>The rows of a routing CSV: text columns joined with a line break, and the label when asked for.</summary>
    private static List<TriageRow> ReadRoutingRows(FileInfo file, string[] textColumns, string? labelColumn)
    {
        using var reader = OpenUtf8(file, "找不到文件");
        try
        {
            using var records = Csv.Read(reader).GetEnumerator();
            if (!records.MoveNext())
            {
                throw new FormatException($"文件为空：{file.Name}");
            }

            var header = records.Current.Fields;
            var textIndex = textColumns.Select(c => Csv.Column(header, c)).ToArray();
            var labelIndex = labelColumn is null ? -1 : Csv.Column(header, labelColumn);
            var rows = new List<TriageRow>();
            while (records.MoveNext())
            {
                var record = records.Current;
                var text = string.Join('\n', textIndex.Select(i => i < record.Fields.Count ? record.Fields[i] : ""));
                string? label = null;
                if (labelIndex >= 0)
                {
                    label = labelIndex < record.Fields.Count ? record.Fields[labelIndex].Trim() : "";
                    if (label.Length == 0)
                    {
                        throw ValidationFailedException.For("label", FormattableString.Invariant($"第 {record.Line} 行没有类别"));
                    }
                }

                rows.Add(new TriageRow(record.Line, text, label));
            }

            if (rows.Count == 0)
            {
                throw new FormatException($"文件只有表头，没有数据：{file.Name}");
            }

            return rows;
        }
        catch (DecoderFallbackException)
        {
            throw NotUtf8(file);
        }
    }

    /// <summary>The lexicon of a category CSV (header, then the category and its terms per row), or null without one.</summary>
    private static TriageLexicon? ReadLexicon(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        using var reader = OpenUtf8(file, "找不到词表文件");
        try
        {
            var lexicon = TriageLexicon.FromRows(Csv.Read(reader).Skip(1).Select(r => r.Fields).ToList());
            return lexicon.Terms.Count > 0 ? lexicon : throw new FormatException($"词表中没有可用的词：{file.Name}");
        }
        catch (DecoderFallbackException)
        {
            throw NotUtf8(file);
        }
    }

    /// <summary>Strict UTF-8: a GBK file fails while being read (<see cref="NotUtf8"/>) rather than training on mojibake.</summary>
    private static StreamReader OpenUtf8(FileInfo file, string missing) => file.Exists
        ? new StreamReader(file.FullName, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true)
        : throw new FormatException($"{missing}：{file.FullName}");

    private static FormatException NotUtf8(FileInfo file) =>
        new($"文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后重试 / {file.Name} is not UTF-8 (GBK?); save it as UTF-8");

    private static TriageModel ReadModel(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new FormatException($"找不到模型文件：{file.FullName}");
        }

        using var stream = file.OpenRead();
        return TriageModel.Read(stream);
    }
}
