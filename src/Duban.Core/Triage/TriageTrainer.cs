using Duban.Matters;

namespace Duban.Triage;

/// <summary>One training text and its label (a category, or the code of the unit that handled it).</summary>
public sealed record TriageExample(string Text, string Label);

/// <summary>How a router is trained. The defaults were chosen by 5-fold cross-validation (docs/BENCHMARKS.md).</summary>
public sealed record TriageTrainerOptions
{
    /// <summary>The SVM cost C: larger fits the training texts more closely.</summary>
    public double Cost { get; init; } = 1.0;

    /// <summary>Add-k smoothing of the naive Bayes ratios that scale each label's features.</summary>
    public double Smoothing { get; init; } = 3.0;

    /// <summary>An n-gram must occur in this many training texts to become a feature.</summary>
    public int MinDocuments { get; init; } = 2;

    /// <summary>Folds whose held-out scores fit the calibration.</summary>
    public int CalibrationFolds { get; init; } = 3;

    /// <summary>The most features a model keeps, the most frequent n-grams: rarer ones add little on large data, and a
    /// label's weights then fit a core's cache, which speeds training several-fold. Small data never reaches it.</summary>
    public int MaxFeatures { get; init; } = 262_144;

    /// <summary>Passes over the data at most, per label.</summary>
    public int MaxEpochs { get; init; } = 50;

    /// <summary>Character n-grams only, or with segmented words (the default: +0.014 mean macro-F1 over fold seeds 1–5,
    /// docs/ROUTING.md).</summary>
    public TriageFeatureSet Features { get; init; } = TriageFeatureSet.CharactersAndWords;

    /// <summary>A category tree whose terms found in a text become features too (null: none): for labels that are its
    /// categories, as 一级分类 with the organisers' taxonomy.csv (+0.017 mean macro-F1 there, docs/ROUTING.md).</summary>
    public TriageLexicon? Lexicon { get; init; }

    /// <summary>The abstention threshold is the lowest confidence at which the held-out suggestions were right this
    /// often: below it a dispatcher is told 建议人工分派 rather than given a suggestion that is more often wrong.</summary>
    public double TargetAccuracy { get; init; } = 0.9;

    /// <summary>The seed for shuffling and folds: the same data and options always give the same model.</summary>
    public int Seed { get; init; } = 2020;
}

/// <summary>
/// Trains a <see cref="TriageModel"/>: tf-idf character 1–3-grams; per label, the features scaled by their naive
/// Bayes log-count ratio (NBSVM, Wang and Manning 2012: +0.03 macro-F1 over a plain SVM here) and a linear
/// L2-loss SVM against the rest (dual coordinate descent with shrinking, as LIBLINEAR); then a softmax scale and
/// per-label offsets fitted to held-out scores by maximum likelihood, so that the probabilities are calibrated. The
/// texts are featurised once for all the trainings (<see cref="NgramMatrix"/>).
/// </summary>
public static class TriageTrainer
{
    /// <summary>The fewest examples a label needs: one example cannot be both learnt from and checked.</summary>
    public const int MinExamplesPerLabel = 2;

    /// <summary>Below this many held-out texts the abstention threshold is not chosen from them (a handful of texts say
    /// nothing about accuracy at a confidence) but is <see cref="TriageModel.LegacyThreshold"/>.</summary>
    public const int MinHeldOutForThreshold = 100;

    /// <summary>Held-out scores used to fit the calibration, at most (more changes the fit in the third decimal).</summary>
    private const int MaxCalibrationRows = 20_000;

    /// <summary>From this many examples on, the calibration is fitted on one held-out split instead of
    /// <see cref="TriageTrainerOptions.CalibrationFolds"/> out-of-fold trainings.</summary>
    public const int SingleSplitFrom = 10_000;

    /// <summary>The share held out by the single split, as one fold of this many.</summary>
    private const int SingleSplitFolds = 10;

    /// <summary>Trains on the examples; a label with fewer than <see cref="MinExamplesPerLabel"/> examples, or fewer
    /// than two labels, is a <see cref="ValidationFailedException"/>. <paramref name="progress"/> hears of each
    /// one-versus-rest training as it ends (from any thread): a model is one per label per fit, and there is a fit per
    /// calibration fold and a final one.</summary>
    public static TriageModel Train(IReadOnlyList<TriageExample> examples, TriageTrainerOptions? options = null,
        IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new TriageTrainerOptions();
        var labels = CheckLabels(examples);
        var matrix = NgramMatrix.Build(examples.Select(e => e.Text).ToArray(), options.Features, options.Lexicon);
        var y = examples.Select(e => Array.BinarySearch(labels, e.Label, StringComparer.Ordinal)).ToArray();

        // Small data: out-of-fold scores of every text (each counts). Large data: one held-out tenth is plenty.
        var heldOut = new List<(double[] Scores, int Label)>();
        var smallest = Enumerable.Range(0, labels.Length).Min(k => y.Count(v => v == k));
        var folds = (y.Length >= SingleSplitFrom
            ? TriageFolds.Stratified(y, SingleSplitFolds, options.Seed).Take(1)
            : TriageFolds.Stratified(y, Math.Min(options.CalibrationFolds, smallest), options.Seed)).ToList();
        var counter = new TrainingCounter((folds.Count + 1) * labels.Length, progress);
        foreach (var test in folds)
        {
            var train = Enumerable.Range(0, y.Length).Except(test).ToArray();
            var (space, feature, weights) = Fit(matrix, train, y, labels.Length, options, counter);
            var fold = new TriageModel(labels, space, weights, 1, 0);
            var x = matrix.Vectorise(test.Take(MaxCalibrationRows).ToArray(), space, feature);
            heldOut.AddRange(Enumerable.Range(0, x.Count).Select(i => (fold.Scores(x.IndicesOf(i), x.ValuesOf(i)), y[test[i]])));
        }

        var (finalSpace, _, finalWeights) = Fit(matrix, Enumerable.Range(0, y.Length).ToArray(), y, labels.Length, options, counter);
        var (scale, offsets) = Calibrate(heldOut, labels.Length);
        for (var k = 0; k < labels.Length; k++)
        {
            finalWeights[(k * (finalSpace.Count + 1)) + finalSpace.Count] += (float)(offsets[k] / scale);
        }

        var uniformShare = 1.0 / (heldOut.Count + 1);
        var calibrated = heldOut.Select(h =>
        {
            var p = TriageModel.Softmax(h.Scores.Select((s, k) => s + (offsets[k] / scale)).ToArray(), scale);
            var best = TriageModel.ArgMax(p);
            return (((1 - uniformShare) * p[best]) + (uniformShare / labels.Length), best == h.Label);
        });
        var threshold = heldOut.Count < MinHeldOutForThreshold
            ? TriageModel.LegacyThreshold
            : TriageEvaluation.AbstentionThreshold(calibrated, options.TargetAccuracy);
        return new TriageModel(labels, finalSpace, finalWeights, scale, uniformShare, threshold);
    }

    private static string[] CheckLabels(IReadOnlyList<TriageExample> examples)
    {
        var counts = examples.GroupBy(e => e.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rare = counts.Where(p => p.Value < MinExamplesPerLabel).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        if (rare.Length > 0)
        {
            throw ValidationFailedException.For("label",
                $"每个类别至少需要 {MinExamplesPerLabel} 个样本，以下类别不足：{string.Join("、", rare.Take(20))} / every label needs {MinExamplesPerLabel}+ examples");
        }

        if (counts.Count < 2)
        {
            throw ValidationFailedException.For("label", "至少需要两个类别");
        }

        return counts.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    private static (FeatureSpace Space, int[] Feature, float[] Weights) Fit(NgramMatrix matrix, int[] rows, int[] y, int labels,
        TriageTrainerOptions options, TrainingCounter counter)
    {
        var (space, feature) = matrix.Space(rows, Math.Min(options.MinDocuments, rows.Length), options.MaxFeatures);
        var x = matrix.Vectorise(rows, space, feature);
        var yRows = rows.Select(r => y[r]).ToArray();
        var stride = space.Count + 1;
        var weights = new float[labels * stride];
        // Each label writes only its own weights, so the result does not depend on the scheduling; one label per core
        // bounds the memory of the per-label scaled copies.
        Parallel.For(0, labels, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            k =>
            {
                TrainOneVersusRest(x, yRows, k, weights.AsSpan(k * stride, stride), options);
                counter.OneDone();
            });
        return (space, feature, weights);
    }

    /// <summary>The naive Bayes log-count ratio of each feature for label k against the rest, scaled to mean 1:
    /// a feature that tells the label apart is cheaper for the SVM to use.</summary>
    private static float[] NaiveBayesRatios(SparseRows x, int[] labels, int k, int features, double smoothing)
    {
        var inside = new double[features];
        var outside = new double[features];
        for (var i = 0; i < x.Count; i++)
        {
            var counts = labels[i] == k ? inside : outside;
            foreach (var j in x.IndicesOf(i))
            {
                counts[j]++;
            }
        }

        var insideTotal = inside.Sum() + (smoothing * features);
        var outsideTotal = outside.Sum() + (smoothing * features);
        var r = new double[features];
        for (var j = 0; j < features; j++)
        {
            r[j] = Math.Abs(Math.Log((inside[j] + smoothing) / insideTotal) - Math.Log((outside[j] + smoothing) / outsideTotal));
        }

        var mean = features == 0 ? 1 : Math.Max(r.Average(), 1e-9);
        return r.Select(v => (float)(v / mean)).ToArray();
    }

    /// <summary>
    /// Dual coordinate descent for one label against the rest (Hsieh et al. 2008) on the NB-scaled features, the bias
    /// as a constant feature; the scaling is folded into the weights at the end. With LIBLINEAR's shrinking: a text
    /// whose dual variable is 0 and whose gradient says it stays 0 leaves the active set until the active set has
    /// converged, then all texts are checked again. Most texts are classified with room to spare, so later passes
    /// touch a fraction of them.
    /// </summary>
    private static void TrainOneVersusRest(SparseRows x, int[] labels, int k, Span<float> w, TriageTrainerOptions options)
    {
        const double Tolerance = 0.1; // on the spread of the projected gradients, as LIBLINEAR
        var bias = w.Length - 1;
        var r = NaiveBayesRatios(x, labels, k, bias, options.Smoothing);
        var diagonal = 0.5 / options.Cost;
        var scaled = new float[x.Values.Length]; // each value times its feature's ratio, once rather than every pass
        for (var e = 0; e < scaled.Length; e++)
        {
            scaled[e] = x.Values[e] * r[x.Indices[e]];
        }

        var alpha = new double[x.Count];
        var q = new double[x.Count];
        for (var i = 0; i < x.Count; i++)
        {
            var norm = 0.0;
            foreach (var v in scaled.AsSpan(x.Start[i]..x.Start[i + 1]))
            {
                norm += (double)v * v;
            }

            q[i] = norm + 1 + diagonal;
        }

        var order = Enumerable.Range(0, x.Count).ToArray();
        var active = order.Length;
        var random = new Random(unchecked((options.Seed * 31) + k));
        var shrinkAbove = double.PositiveInfinity;
        for (var epoch = 0; epoch < options.MaxEpochs; epoch++)
        {
            random.Shuffle(order.AsSpan(0, active));
            var maxGradient = double.NegativeInfinity;
            var minGradient = double.PositiveInfinity;
            for (var s = 0; s < active; s++)
            {
                var i = order[s];
                var yi = labels[i] == k ? 1.0 : -1.0;
                var indices = x.IndicesOf(i);
                var values = scaled.AsSpan(x.Start[i]..x.Start[i + 1]);
                var dot = (double)w[bias];
                for (var j = 0; j < indices.Length; j++)
                {
                    dot += w[indices[j]] * values[j];
                }

                var g = (yi * dot) - 1 + (diagonal * alpha[i]);
                var projected = g;
                if (alpha[i] == 0)
                {
                    if (g > shrinkAbove)
                    {
                        active--;
                        (order[s], order[active]) = (order[active], order[s]);
                        s--;
                        continue;
                    }

                    projected = Math.Min(g, 0);
                }

                maxGradient = Math.Max(maxGradient, projected);
                minGradient = Math.Min(minGradient, projected);
                if (Math.Abs(projected) < 1e-12)
                {
                    continue;
                }

                var old = alpha[i];
                alpha[i] = Math.Max(old - (g / q[i]), 0);
                var step = (float)((alpha[i] - old) * yi);
                for (var j = 0; j < indices.Length; j++)
                {
                    w[indices[j]] += step * values[j];
                }

                w[bias] += step;
            }

            if (maxGradient - minGradient <= Tolerance)
            {
                if (active == order.Length)
                {
                    break;
                }

                (active, shrinkAbove) = (order.Length, double.PositiveInfinity);
                continue;
            }

            shrinkAbove = maxGradient <= 0 ? double.PositiveInfinity : maxGradient;
        }

        for (var j = 0; j < bias; j++)
        {
            w[j] *= r[j];
        }
    }

    /// <summary>
    /// The softmax scale, then per-label offsets, that maximise the likelihood of the held-out labels: the scale by a
    /// golden-section search on its logarithm (the log-likelihood is concave in it), the offsets by gradient ascent.
    /// The offsets undo the one-against-the-rest bias towards large labels.
    /// </summary>
    private static (double Scale, double[] Offsets) Calibrate(List<(double[] Scores, int Label)> heldOut, int labels)
    {
        var offsets = new double[labels];
        double Loss(double logScale)
        {
            var scale = Math.Exp(logScale);
            return heldOut.Sum(h => -Math.Log(Math.Max(TriageModel.Softmax(h.Scores, scale)[h.Label], 1e-300)));
        }

        double lo = -3, hi = 5;
        var ratio = (Math.Sqrt(5) - 1) / 2;
        for (var step = 0; step < 40; step++)
        {
            var a = hi - (ratio * (hi - lo));
            var b = lo + (ratio * (hi - lo));
            if (Loss(a) < Loss(b))
            {
                hi = b;
            }
            else
            {
                lo = a;
            }
        }

        var fitted = Math.Exp((lo + hi) / 2);
        var shifted = new double[labels];
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var gradient = new double[labels];
            foreach (var (scores, label) in heldOut)
            {
                for (var k = 0; k < labels; k++)
                {
                    shifted[k] = scores[k] + (offsets[k] / fitted);
                }

                var p = TriageModel.Softmax(shifted, fitted);
                for (var k = 0; k < labels; k++)
                {
                    gradient[k] += p[k] - (k == label ? 1 : 0);
                }
            }

            for (var k = 0; k < labels; k++)
            {
                offsets[k] -= gradient[k] / heldOut.Count;
            }
        }

        return (fitted, offsets);
    }
}
