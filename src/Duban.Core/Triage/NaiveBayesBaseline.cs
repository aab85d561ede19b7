namespace Duban.Triage;

/// <summary>
/// The yardstick the router must beat: multinomial naive Bayes over character bigrams with add-one smoothing.
/// Used by the evaluation only.
/// </summary>
public sealed class NaiveBayesBaseline
{
    private readonly string[] labels;
    private readonly double[] logPrior;
    private readonly Dictionary<int, double[]> logLikelihood;

    private NaiveBayesBaseline(string[] labels, double[] logPrior, Dictionary<int, double[]> logLikelihood)
    {
        this.labels = labels;
        this.logPrior = logPrior;
        this.logLikelihood = logLikelihood;
    }

    /// <summary>Counts bigrams per label.</summary>
    public static NaiveBayesBaseline Train(IReadOnlyList<TriageExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var labels = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var counts = new Dictionary<int, double[]>();
        var totals = new double[labels.Length];
        var prior = new double[labels.Length];
        foreach (var example in examples)
        {
            var k = Array.BinarySearch(labels, example.Label, StringComparer.Ordinal);
            prior[k]++;
            foreach (var hash in NgramFeatures.Hashes(TriageText.Normalise(example.Text), 2, 2))
            {
                if (!counts.TryGetValue(hash, out var row))
                {
                    counts[hash] = row = new double[labels.Length];
                }

                row[k]++;
                totals[k]++;
            }
        }

        var vocabulary = counts.Count;
        var unseen = totals.Select(t => -Math.Log(t + vocabulary)).ToArray();
        foreach (var row in counts.Values)
        {
            for (var k = 0; k < row.Length; k++)
            {
                row[k] = Math.Log(row[k] + 1) + unseen[k];
            }
        }

        return new NaiveBayesBaseline(labels, prior.Select(p => Math.Log(p / examples.Count)).ToArray(), counts);
    }

    /// <summary>The most probable label; bigrams never seen in training are ignored.</summary>
    public string Predict(string? text)
    {
        var score = (double[])logPrior.Clone();
        foreach (var hash in NgramFeatures.Hashes(TriageText.Normalise(text), 2, 2))
        {
            if (logLikelihood.TryGetValue(hash, out var row))
            {
                for (var k = 0; k < score.Length; k++)
                {
                    score[k] += row[k];
                }
            }
        }

        return labels[TriageModel.ArgMax(score)];
    }
}
