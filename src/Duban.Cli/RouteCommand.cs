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
    private readonly Option<double> _evaluateThreshold = new("--threshold") { Description = "报告此阈值下的覆盖率", DefaultValueFactory = _ => 0.5 };

    public Command Create()
    {
        var train = new Command("train", "用带类别的 CSV 训练分流模型") { _trainInput, _trainText, _trainLabel, _trainModel };
        train.SetAction(TrainAsync);
        var predict = new Command("predict", "逐行预测类别，每行输出一个")
        {
            _predictModel, _predictInput, _predictText, _withConfidence, _predictThreshold,
        };
        predict.SetAction(PredictAsync);
        var evaluate = new Command("evaluate", "分层 k 折交叉验证：模型与朴素贝叶斯基线的 macro-F1")
        {
            _evaluateInput, _evaluateText, _evaluateLabel, _folds, _evaluateThreshold,
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

    private static Option<string> Label() => new("--label") { Description = "类别列", Required = true };

    private async Task<int> TrainAsync(ParseResult result, CancellationToken ct)
    {
        var rows = ReadRoutingRows(result.GetValue(_trainInput)!, result.GetValue(_trainText)!, result.GetValue(_trainLabel));
        var model = TriageTrainer.Train(rows.Select(r => new TriageExample(r.Text, r.Label!)).ToArray());
        await using (var file = File.Create(result.GetValue(_trainModel)!.FullName))
        {
            model.Write(file);
        }

        await cli.Output.WriteLineAsync(FormattableString.Invariant(
            $"已训练：{rows.Count} 行，{model.Labels.Count} 个类别，{model.Space.Count} 个特征，模型写入 {result.GetValue(_trainModel)!.FullName}"));
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
        var report = TriageEvaluation.CrossValidate(examples, result.GetValue(_folds), result.GetValue(_evaluateThreshold));
        await WriteEvaluationAsync(report);
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

    private async Task WriteEvaluationAsync(TriageEvaluationResult report)
    {
        static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var output = cli.Output;
        var r = report.Router;
        await output.WriteLineAsync(FormattableString.Invariant($"分层 {report.Folds} 折交叉验证，共 {report.Examples} 行"));
        await output.WriteLineAsync($"分流模型 macro-F1 {F(r.MacroF1)}  准确率 {F(r.Accuracy)}");
        await output.WriteLineAsync($"对照基线 macro-F1 {F(report.BaselineMacroF1)}  准确率 {F(report.BaselineAccuracy)}（朴素贝叶斯，相邻两字）");
        foreach (var label in r.Labels)
        {
            await output.WriteLineAsync(FormattableString.Invariant(
                $"  {label.Label}\tF1 {F(label.F1)}\t精确率 {F(label.Precision)}\t召回率 {F(label.Recall)}\t样本 {label.Support}"));
        }

        await output.WriteLineAsync($"校准误差 ECE {F(r.ExpectedCalibrationError)}；可靠性（置信度区间：条数、平均置信度、准确率）：");
        for (var b = 0; b < r.Reliability.Count; b++)
        {
            var (count, confidence, accuracy) = r.Reliability[b];
            if (count > 0)
            {
                await output.WriteLineAsync(FormattableString.Invariant($"  {b / 10.0:0.0}–{(b + 1) / 10.0:0.0}: {count}, {F(confidence)}, {F(accuracy)}"));
            }
        }

        await output.WriteLineAsync($"阈值 {F(r.Threshold)}：给出建议的比例 {F(r.Coverage)}，其中准确率 {F(r.AccuracyCovered)}");
    }

    private sealed record TriageRow(int Line, string Text, string? Label);

    /// <summary>The rows of a routing CSV: text columns joined with a line break, and the label when asked for.</summary>
    private static List<TriageRow> ReadRoutingRows(FileInfo file, string[] textColumns, string? labelColumn)
    {
        if (!file.Exists)
        {
            throw new FormatException($"找不到文件：{file.FullName}");
        }

        // Strict UTF-8: a GBK file fails here with a clear message rather than training on mojibake.
        using var reader = new StreamReader(file.FullName, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
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
            throw new FormatException($"文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后重试 / {file.Name} is not UTF-8 (GBK?); save it as UTF-8");
        }
    }

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
