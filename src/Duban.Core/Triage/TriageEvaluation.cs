using Duban.Matters;

namespace Duban.Triage;

/// <summary>The F1 of one label.</summary>
public sealed record LabelScore(string Label, int Support, double Precision, double Recall, double F1);

/// <summary>The quality of predictions against the truth.</summary>
/// <param name="MacroF1">The mean of the labels' F1, each label counting alike however rare.</param>
/// <param name="Accuracy">The share of texts whose best label is right.</param>
/// <param name="Labels">Precision, recall and F1 of each label.</param>
/// <param name="Threshold">The 不确定 threshold the coverage figures are for.</param>
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

/// <summary>Stratified k-fold cross-validation of the router and of the baseline.</summary>
public static class TriageEvaluation
{
    /// <summary>Trains on k − 1 folds and predicts the held-out one, k times. Each label needs at least
    /// <paramref name="folds"/> examples, so that every training part holds two or more of it.</summary>
    public static TriageEvaluationResult CrossValidate(IReadOnlyList<TriageExample> examples, int folds, double threshold,
        TriageTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new TriageTrainerOptions();
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
        var baseline = new string[examples.Count];
        foreach (var test in TriageFolds.Stratified(y, folds, options.Seed))
        {
            var train = Enumerable.Range(0, examples.Count).Except(test).Select(i => examples[i]).ToArray();
            var model = TriageTrainer.Train(train, options);
            var bayes = NaiveBayesBaseline.Train(train);
            foreach (var i in test)
            {
                var p = model.Predict(examples[i].Text, threshold);
                predicted[i] = (p.BestLabel, p.Confidence);
                baseline[i] = bayes.Predict(examples[i].Text);
            }
        }

        var truth = examples.Select(e => e.Label).ToArray();
        var router = Score(truth, predicted, threshold);
        var naive = Score(truth, baseline.Select(b => (b, 1.0)).ToArray(), threshold);
        return new TriageEvaluationResult(folds, examples.Count, router, naive.MacroF1, naive.Accuracy);
    }

    /// <summary>Macro-F1, accuracy, per-label F1, calibration and coverage of predictions with their confidences.</summary>
    public static TriageScore Score(IReadOnlyList<string> truth, IReadOnlyList<(string Label, double Confidence)> predicted, double threshold)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
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
        var covered = Enumerable.Range(0, n).Where(i => predicted[i].Confidence >= threshold).ToArray();
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
            threshold,
            (double)covered.Length / n,
            covered.Length == 0 ? 0 : covered.Average(i => correct[i] ? 1.0 : 0.0),
            bins.Sum(b => b.Item1 * Math.Abs(b.Item2 - b.Item3)) / n,
            bins);
    }
}
