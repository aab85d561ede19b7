using System.Globalization;
using System.Text;

namespace Duban.Appeals;

/// <summary>
/// Same person, same problem (重复件): an appeal from the same contact phone within a window, whose text is
/// similar to an earlier one, is a repeat of it. Similarity here is the Dice coefficient of character bigrams of the
/// normalised text (letters and digits only, case folded, full-width folded) — enough for "the same complaint sent
/// again", and cheap; MinHash-based near-duplicate search across contacts is a separate piece.
/// </summary>
public static class RepeatRule
{
    /// <summary>The default similarity at or above which two texts count as the same problem.</summary>
    public const double DefaultThreshold = 0.6;

    /// <summary>Letters and digits only, lower case, full-width forms folded to ASCII; CJK characters kept.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var folded = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (var rune in folded.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                builder.Append(Rune.ToLower(rune, CultureInfo.InvariantCulture).ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>The Dice similarity (0–1) of the bigram multisets of two normalised texts; 1 for equal texts,
    /// symmetric, and 0 when either is empty.</summary>
    public static double Similarity(string? a, string? b)
    {
        var x = Normalize(a);
        var y = Normalize(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return 0;
        }

        if (string.Equals(x, y, StringComparison.Ordinal))
        {
            return 1;
        }

        var left = Bigrams(x);
        var right = Bigrams(y);
        var common = 0;
        foreach (var (gram, count) in left)
        {
            if (right.TryGetValue(gram, out var other))
            {
                common += Math.Min(count, other);
            }
        }

        return 2.0 * common / (left.Values.Sum() + right.Values.Sum());
    }

    /// <summary>Whether the later text repeats the earlier one.</summary>
    public static bool IsRepeat(string? earlier, string? later, double threshold = DefaultThreshold) =>
        Similarity(earlier, later) >= threshold;

    private static Dictionary<string, int> Bigrams(string text)
    {
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        if (text.Length == 1)
        {
            grams[text] = 1;
            return grams;
        }

        for (var i = 0; i + 1 < text.Length; i++)
        {
            var gram = text.Substring(i, 2);
            grams[gram] = grams.GetValueOrDefault(gram) + 1;
        }

        return grams;
    }
}
