using System.Globalization;
using System.Text;
using Duban.Text;

namespace Duban.Similarity;

/// <summary>The text that similarity is measured on.</summary>
public static class SimilarityText
{
    /// <summary>
    /// Letters and digits only, width-folded (NFKC: full-width ＡＢＣ１２３ becomes ABC123) and lower-cased, so that
    /// punctuation, spacing and line breaks never make two appeals look different. The one place to swap in a
    /// fuller cleaner (page furniture, OCR spacing) later.
    /// </summary>
    public static string Normalize(string? text)
    {
        var cleaned = UserText.Clean(text);
        if (cleaned is null)
        {
            return string.Empty;
        }

        var folded = cleaned.IsNormalized(NormalizationForm.FormKC) ? cleaned : cleaned.Normalize(NormalizationForm.FormKC);
        var kept = new StringBuilder(folded.Length);
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            if (char.IsHighSurrogate(c) && i + 1 < folded.Length && char.IsLowSurrogate(folded[i + 1]))
            {
                // Characters beyond the BMP (extension-B hanzi such as 𠮷) are letters too; emoji are not.
                var category = CharUnicodeInfo.GetUnicodeCategory(folded, i);
                if (category is UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber)
                {
                    kept.Append(c).Append(folded[i + 1]);
                }

                i++;
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                kept.Append(char.ToLowerInvariant(c));
            }
        }

        return kept.ToString();
    }
}
