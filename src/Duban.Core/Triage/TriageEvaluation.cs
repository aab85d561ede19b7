using Duban.Matters;

namespace Duban.Triage;

/// <summary>The F1 of one label.</summary>
public sealed record LabelScore(string Label, int Support, double Precision, double Recall, double F1);

/// <summary>The quality of predictions against the truth.</summary>
/// <param name="MacroF1">The mean of the labels' F1, each label counting alike however rare.</param>
/// <param name="Accuracy">The share of texts whose best label is right.</param>
/// <param name="Labels">Precision, recall and F1 of each label.</param>
/// <param name="Threshold">The 不确定 threshold the coverage figures are for (the mean, when each fold's model used its own).</param>
/// <param name="Coverage">The share of texts given a label at the threshold (the rest are 不确定).</param>
/// <param name="AccuracyCovered">The accuracy on the texts given a label at the threshold.</param>
/// <param name="ExpectedCalibrationError">ECE over ten confidence bins: the gap between confidence and accuracy,
/// weighted by how many predictions fall in each bin.</param>
/// <param name="Reliability">Per confidence bin (0–0.1 … 0.9–1): count, mean confidence, accuracy.</param>
public sealed record TriageScore(
    double MacroF1,
    double Accuracy,
    IReadOnlyList<LabelScore> Labels,
    double Threshold,
    double Coverage,
    double AccuracyCovered,
    double ExpectedCalibrationError,
    IReadOnlyList<(int Count, double Confidence, double Accuracy)> Reliability);

/// <summary>Both figures of one cross-validation run: the router and the naive Bayes baseline, on the same folds.</summary>
public sealed record TriageEvaluationResult(int Folds, int Examples, TriageScore Router, double BaselineMacroF1, double BaselineAccuracy);

/// <summary>One point of the abstention curve: at this threshold, the share of texts given a suggestion and the accuracy
/// of those suggestions.</summary>
public sealed record AbstentionPoint(double Threshold, double Coverage, double Accuracy);

/// <summary>One feature set over several fold seeds.</summary>
/// <param name="Features">The feature set.</param>
/// <param name="Runs">Each seed's cross-validation, in seed order.</param>
/// <param name="Pooled">All seeds' out-of-fold predictions together: per-label precision and recall, calibration, and
/// the coverage and accuracy at each fold model's own threshold (chosen on its own held-out texts).</param>
/// <param name="Labels">The labels, in the confusion matrix's order.</param>
/// <param name="Confusion">Truth (row) × prediction (column) counts over all seeds, in <see cref="Labels"/> order.</param>
/// <param name="Curve">Coverage and accuracy of the pooled predictions at fixed thresholds.</param>
public sealed record TriageFeatureReport(
    TriageFeatureSet Features,
    IReadOnlyList<(int Seed, TriageEvaluationResult Result)> Runs,
    TriageScore Pooled,
    IReadOnlyList<string> Labels,
    int[,] Confusion,
    IReadOnlyList<AbstentionPoint> Curve)
{
    /// <summary>Mean and standard deviation (sample, n − 1) of the runs' macro-F1.</summary>
    public (double Mean, double Spread) MacroF1 => MeanAndSpread(Runs.Select(r => r.Result.Router.MacroF1));

    /// <summary>Mean and standard deviation of the runs' accuracy.</summary>
    public (double Mean, double Spread) Accuracy => MeanAndSpread(Runs.Select(r => r.Result.Router.Accuracy));

    private static (double, double) MeanAndSpread(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        return (mean, v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }
}

/// <summary>Stratified k-fold cross-validation of the router and of the baseline.</summary>
public static class TriageEvaluation
{
    /// <summary>The thresholds of the abstention curve.</summary>
    public static readonly IReadOnlyList<double> CurveThresholds = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    /// <summary>
    /// Cross-validates each feature set with folds from each seed (the same folds for every feature set), and pools the
    /// out-of-fold predictions of all seeds. <paramref name="progress"/> hears of each run as it ends.
    /// </summary>
    public static IReadOnlyList<TriageFeatureReport> Compare(IReadOnlyList<TriageExample> examples, int folds,
        IReadOnlyList<int> seeds, IReadOnlyList<TriageFeatureSet> featureSets, TriageTrainerOptions? options = null,
        IProgress<(TriageFeatureSet Features, int Seed, TriageEvaluationResult Result)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(featureSets);
        if (seeds.Count is < 1 or > 20)
        {
            throw ValidationFailedException.For("seeds", "随机种子须有 1–20 个");
        }

        options ??= new TriageTrainerOptions();
        var reports = new List<TriageFeatureReport>();
        foreach (var features in featureSets)
        {
            var runs = new List<(int, TriageEvaluationResult)>();
            var truth = new List<string>();
            var predicted = new List<(string, double)>();
            var thresholds = new List<double>();
            foreach (var seed in seeds)
            {
                var (result, oof, threshold) = Run(examples, folds, null, options with { Features = features, Seed = seed });
                runs.Add((seed, result));
                truth.AddRange(examples.Select(e => e.Label));
                predicted.AddRange(oof);
                thresholds.AddRange(threshold);
                progress?.Report((features, seed, result));
            }

            var labels = truth.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var confusion = new int[labels.Length, labels.Length];
            for (var i = 0; i < truth.Count; i++)
            {
                confusion[Array.BinarySearch(labels, truth[i], StringComparer.Ordinal), Array.BinarySearch(labels, predicted[i].Item1, StringComparer.Ordinal)]++;
            }

            var curve = CurveThresholds.Select(t =>
            {
                var covered = Enumerable.Range(0, truth.Count).Where(i => predicted[i].Item2 >= t).ToArray();
                return new AbstentionPoint(t, (double)covered.Length / truth.Count,
                    covered.Length == 0 ? 0 : covered.Average(i => truth[i] == predicted[i].Item1 ? 1.0 : 0.0));
            }).ToList();
            reports.Add(new TriageFeatureReport(features, runs, Score(truth, predicted, thresholds), labels, confusion, curve));
        }

        return reports;
    }

    /// <summary>
    /// The abstention threshold for predictions with their confidences and whether they were right: the lowest
    /// confidence such that the predictions at or above it are right at least <paramref name="targetAccuracy"/> of the
    /// time (the largest such share of texts). 1 when no share reaches it: then the router never suggests.
    /// </summary>
    public static double AbstentionThreshold(IEnumerable<(double Confidence, bool Correct)> predictions, double targetAccuracy)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var sorted = predictions.OrderByDescending(p => p.Confidence).ToArray();
        var threshold = 1.0;
        var correct = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            correct += sorted[i].Correct ? 1 : 0;
            var tieFollows = i + 1 < sorted.Length && sorted[i + 1].Confidence == sorted[i].Confidence;
            if (!tieFollows && correct >= targetAccuracy * (i + 1))
            {
                threshold = sorted[i].Confidence;
            }
        }

        return threshold;
    }

    /// <summary>Trains on k − 1 folds and predicts the held-out one, k times. Each label needs at least
    /// <paramref name="folds"/> examples, so that every training part holds two or more of it. With a null
    /// <paramref name="threshold"/> each fold's model abstains at its own <see cref="TriageModel.Threshold"/>.</summary>
    public static TriageEvaluationResult CrossValidate(IReadOnlyList<TriageExample> examples, int folds, double? threshold,
        TriageTrainerOptions? options = null) => Run(examples, folds, threshold, options ?? new TriageTrainerOptions()).Result;

    private static (TriageEvaluationResult Result, (string Label, double Confidence)[] Predicted, double[] Thresholds) Run(
        IReadOnlyList<TriageExample> examples, int folds, double? threshold, TriageTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (folds is < 2 or > 20)
        {
            throw ValidationFailedException.For("folds", "折数须在 2–20 之间");
        }

        var labels = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var rare = labels.Where(l => examples.Count(e => e.Label == l) < folds).ToArray();
        if (rare.Length > 0)
        {
            throw ValidationFailedException.For("label",
                $"{folds} 折交叉验证要求每个类别至少 {folds} 个样本，以下类别不足：{string.Join("、", rare.Take(20))} / every label needs {folds}+ examples");
        }

        var y = examples.Select(e => Array.BinarySearch(labels, e.Label, StringComparer.Ordinal)).ToArray();
        var predicted = new (string Label, double Confidence)[examples.Count];
        var thresholds = new double[examples.Count];
        var baseline = new string[examples.Count];
        foreach (var test in TriageFolds.Stratified(y, folds, options.Seed))
        {
            var train = Enumerable.Range(0, examples.Count).Except(test).Select(i => examples[i]).ToArray();
            var model = TriageTrainer.Train(train, options);
            var bayes = NaiveBayesBaseline.Train(train);
            foreach (var i in test)
            {
                var p = model.Predict(examples[i].Text);
                predicted[i] = (p.BestLabel, p.Confidence);
                thresholds[i] = threshold ?? model.Threshold;
                baseline[i] = bayes.Predict(examples[i].Text);
            }
        }

        var truth = examples.Select(e => e.Label).ToArray();
        var router = Score(truth, predicted, thresholds);
        var naive = Score(truth, baseline.Select(b => (b, 1.0)).ToArray(), thresholds);
        return (new TriageEvaluationResult(folds, examples.Count, router, naive.MacroF1, naive.Accuracy), predicted, thresholds);
    }

    /// <summary>Macro-F1, accuracy, per-label F1, calibration and coverage of predictions with their confidences.</summary>
    public static TriageScore Score(IReadOnlyList<string> truth, IReadOnlyList<(string Label, double Confidence)> predicted, double threshold)
    {
        ArgumentNullException.ThrowIfNull(truth);
        return Score(truth, predicted, Enumerable.Repeat(threshold, truth.Count).ToArray());
    }

    /// <summary>As <see cref="Score(IReadOnlyList{string}, IReadOnlyList{ValueTuple{string, double}}, double)"/>, each
    /// prediction with its own threshold (that of the model that made it).</summary>
    public static TriageScore Score(IReadOnlyList<string> truth, IReadOnlyList<(string Label, double Confidence)> predicted,
        IReadOnlyList<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(thresholds);
        var n = truth.Count;
        var labels = truth.Concat(predicted.Select(p => p.Label)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var scores = labels.Select(label =>
        {
            var tp = Enumerable.Range(0, n).Count(i => truth[i] == label && predicted[i].Label == label);
            var support = truth.Count(t => t == label);
            var guessed = predicted.Count(p => p.Label == label);
            var precision = guessed == 0 ? 0 : (double)tp / guessed;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new LabelScore(label, support, precision, recall, f1);
        }).ToArray();
        var correct = Enumerable.Range(0, n).Select(i => truth[i] == predicted[i].Label).ToArray();
        var covered = Enumerable.Range(0, n).Where(i => predicted[i].Confidence >= thresholds[i]).ToArray();
        var bins = Enumerable.Range(0, 10).Select(b =>
        {
            var inBin = Enumerable.Range(0, n).Where(i => Math.Min((int)(predicted[i].Confidence * 10), 9) == b).ToArray();
            return inBin.Length == 0
                ? (0, 0.0, 0.0)
                : (inBin.Length, inBin.Average(i => predicted[i].Confidence), inBin.Average(i => correct[i] ? 1.0 : 0.0));
        }).ToArray();
        return new TriageScore(
            scores.Where(s => s.Support > 0).Average(s => s.F1),
            correct.Average(c => c ? 1.0 : 0.0),
            scores,
            n == 0 ? 0 : thresholds.Average(),
            (double)covered.Length / n,
            covered.Length == 0 ? 0 : covered.Average(i => correct[i] ? 1.0 : 0.0),
            bins.Sum(b => b.Item1 * Math.Abs(b.Item2 - b.Item3)) / n,
            bins);
    }
}
