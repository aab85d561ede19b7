using System.Text;

namespace Duban.Triage;

/// <summary>What the router says about one text.</summary>
/// <param name="Label">The predicted label, or null for 不确定 (don't know) when the confidence is under the threshold.</param>
/// <param name="BestLabel">The most probable label, whatever its confidence.</param>
/// <param name="Confidence">The calibrated probability of <paramref name="BestLabel"/>, 0–1.</param>
public sealed record TriagePrediction(string? Label, string BestLabel, double Confidence);

/// <summary>
/// A trained router: one linear scorer per label over character n-grams (and segmented words), a softmax whose scale
/// was fitted on held-out folds so that its probabilities are calibrated, and the confidence below which it abstains
/// (建议人工分派), chosen on the same held-out texts. Immutable; safe to share between threads.
/// </summary>
public sealed class TriageModel
{
    private const string Magic = "DUBANRT";

    /// <summary>The version of the file format <see cref="Write"/> produces and <see cref="Read"/> accepts.</summary>
    public const int FormatVersion = 3;

    /// <summary>The threshold of a format-1 model, which stored none: the setting's old default.</summary>
    public const double LegacyThreshold = 0.5;

    // Feature by feature, each feature's weight for every label side by side (then the biases): a text's few hundred
    // features each read one short run of memory instead of one scattered weight per label.
    private readonly float[] weights;

    internal TriageModel(IReadOnlyList<string> labels, FeatureSpace space, float[] weights, double scale, double uniformShare,
        double threshold = LegacyThreshold)
    {
        Threshold = threshold;
        Labels = labels;
        Space = space;
        ArgumentNullException.ThrowIfNull(weights);
        this.weights = new float[weights.Length];
        var stride = space.Count + 1;
        for (var k = 0; k < labels.Count; k++)
        {
            for (var j = 0; j < stride; j++)
            {
                this.weights[(j * labels.Count) + k] = weights[(k * stride) + j];
            }
        }

        Scale = scale;
        UniformShare = uniformShare;
    }

    /// <summary>The share of a uniform guess mixed into every probability: 1 / (held-out texts + 1). A calibration
    /// fitted on finitely many texts has not seen enough to claim certainty, so no confidence reaches 1.</summary>
    public double UniformShare { get; }

    /// <summary>The abstention threshold: below this confidence the router gives no label (建议人工分派). Chosen at
    /// training on held-out texts as the lowest confidence at which the suggestions given were still right at least
    /// <see cref="TriageTrainerOptions.TargetAccuracy"/> of the time (<see cref="LegacyThreshold"/> when there were
    /// fewer than <see cref="TriageTrainer.MinHeldOutForThreshold"/>).</summary>
    public double Threshold { get; }

    /// <summary>The labels, in score order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The softmax scale fitted on held-out folds (the inverse of a temperature).</summary>
    public double Scale { get; }

    /// <summary>The n-grams the model knows.</summary>
    public FeatureSpace Space { get; }

    /// <summary>The calibrated probability of each label (in <see cref="Labels"/> order) for a raw text.</summary>
    public double[] Probabilities(string? text)
    {
        var p = Softmax(Scores(Space.Vectorise(TriageText.Normalise(text))), Scale);
        for (var k = 0; k < p.Length; k++)
        {
            p[k] = ((1 - UniformShare) * p[k]) + (UniformShare / p.Length);
        }

        return p;
    }

    /// <summary>The label for a raw text, or none (null <see cref="TriagePrediction.Label"/>) below the model's own
    /// <see cref="Threshold"/>.</summary>
    public TriagePrediction Predict(string? text) => Predict(text, Threshold);

    /// <summary>The label for a raw text, or 不确定 (null <see cref="TriagePrediction.Label"/>) below <paramref name="threshold"/>.</summary>
    public TriagePrediction Predict(string? text, double threshold)
    {
        var probabilities = Probabilities(text);
        var best = ArgMax(probabilities);
        return new TriagePrediction(probabilities[best] >= threshold ? Labels[best] : null, Labels[best], probabilities[best]);
    }

    internal double[] Scores(SparseVector x) => Scores(x.Indices, x.Values);

    internal double[] Scores(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        var labels = Labels.Count;
        var sums = new float[labels];
        for (var i = 0; i < indices.Length; i++)
        {
            var row = weights.AsSpan(indices[i] * labels, labels);
            var v = values[i];
            for (var k = 0; k < row.Length; k++)
            {
                sums[k] += row[k] * v;
            }
        }

        var biases = weights.AsSpan(Space.Count * labels, labels);
        var scores = new double[labels];
        for (var k = 0; k < labels; k++)
        {
            scores[k] = sums[k] + biases[k];
        }

        return scores;
    }

    internal static double[] Softmax(double[] scores, double scale)
    {
        var max = scores.Max();
        var p = new double[scores.Length];
        var sum = 0.0;
        for (var k = 0; k < p.Length; k++)
        {
            sum += p[k] = Math.Exp(scale * (scores[k] - max));
        }

        for (var k = 0; k < p.Length; k++)
        {
            p[k] /= sum;
        }

        return p;
    }

    internal static int ArgMax(double[] values)
    {
        var best = 0;
        for (var k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>
    /// Writes the model: "DUBANRT", the format version, the longest character n-gram, the feature set, the scale, uniform
    /// share and threshold, the lexicon's terms with their categories (format 3; a count, 0 for none), the labels, then
    /// per feature its n-gram hash and idf,
    /// then the weights label by label. Little-endian; a few megabytes for thousands of appeals.
    /// </summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(NgramFeatures.MaxN);
        writer.Write((int)Space.Features);
        writer.Write(Scale);
        writer.Write(UniformShare);
        writer.Write(Threshold);
        var terms = Space.Lexicon?.Terms ?? [];
        writer.Write(terms.Count);
        foreach (var (term, category) in terms)
        {
            writer.Write(term);
            writer.Write(category);
        }

        writer.Write(Labels.Count);
        foreach (var label in Labels)
        {
            writer.Write(label);
        }

        writer.Write(Space.Count);
        foreach (var hash in Space.Hashes)
        {
            writer.Write(hash);
        }

        foreach (var idf in Space.Idf)
        {
            writer.Write(idf);
        }

        for (var k = 0; k < Labels.Count; k++)
        {
            for (var j = 0; j <= Space.Count; j++)
            {
                writer.Write(weights[(j * Labels.Count) + k]); // label by label, as every format stores them
            }
        }
    }

    /// <summary>Reads a model written by <see cref="Write"/>, by the format-2 writer (no lexicon), or by the format-1
    /// writer (character n-grams, threshold <see cref="LegacyThreshold"/>); anything else is a <see cref="FormatException"/>, whose message asks a person
    /// to retrain when the version is unknown.</summary>
    public static TriageModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadByte() != Magic.Length || Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic)
            {
                throw NotAModel("wrong magic");
            }

            var version = reader.ReadInt32();
            if (version is not (1 or 2 or FormatVersion) || reader.ReadInt32() != NgramFeatures.MaxN)
            {
                throw new FormatException($"分流模型版本 {version} 不受支持，请重新训练");
            }

            var featureSet = version == 1 ? TriageFeatureSet.Characters : (TriageFeatureSet)reader.ReadInt32();
            if (!Enum.IsDefined(featureSet))
            {
                throw new FormatException($"分流模型的特征类型 {(int)featureSet} 不受支持，请重新训练");
            }

            var scale = reader.ReadDouble();
            var uniformShare = reader.ReadDouble();
            var threshold = version == 1 ? LegacyThreshold : reader.ReadDouble();
            var lexicon = version < 3 ? null : ReadLexicon(reader);
            var labelCount = reader.ReadInt32();
            if (labelCount is < 2 or > 100_000 || !double.IsFinite(scale) || scale <= 0 || uniformShare is not (>= 0 and <= 1) || threshold is not (>= 0 and <= 1))
            {
                throw NotAModel("bad header");
            }

            var labels = new string[labelCount];
            for (var k = 0; k < labelCount; k++)
            {
                labels[k] = ReadLabel(reader);
            }

            var features = reader.ReadInt32();
            var remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
            if (features < 0 || (long)features * (8 + (4L * labelCount)) > remaining)
            {
                throw NotAModel("truncated");
            }

            var hashes = ReadArray(reader, features, r => r.ReadInt32());
            var idf = ReadArray(reader, features, r => r.ReadSingle());
            var weights = ReadArray(reader, checked(labelCount * (features + 1)), r => r.ReadSingle());
            for (var i = 1; i < hashes.Length; i++)
            {
                if (hashes[i] <= hashes[i - 1])
                {
                    throw NotAModel("unsorted features");
                }
            }

            return new TriageModel(labels, new FeatureSpace(hashes, idf, featureSet, lexicon), weights, scale, uniformShare, threshold);
        }
        catch (IOException)
        {
            throw NotAModel("truncated"); // EndOfStreamException, or a label length past the end
        }
    }

    /// <summary>Format 3's lexicon: a count, then each term and its category; null when the count is 0.</summary>
    private static TriageLexicon? ReadLexicon(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > TriageLexicon.MaxTerms)
        {
            throw NotAModel("bad lexicon");
        }

        var terms = new (string, string)[count];
        for (var i = 0; i < count; i++)
        {
            terms[i] = (ReadLabel(reader), ReadLabel(reader));
        }

        var lexicon = new TriageLexicon(terms);
        return count == 0 ? null : lexicon.Terms.Count == count ? lexicon : throw NotAModel("bad lexicon");
    }

    private static string ReadLabel(BinaryReader reader)
    {
        try
        {
            return reader.ReadString();
        }
        catch (FormatException)
        {
            throw NotAModel("bad label"); // a length prefix that is no 7-bit integer
        }
    }

    private static T[] ReadArray<T>(BinaryReader reader, int count, Func<BinaryReader, T> read)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = read(reader);
        }

        return values;
    }

    private static FormatException NotAModel(string why) => new($"不是分流模型文件");
}
