using System.Text;
using Duban.Text;

namespace Duban.Triage;

/// <summary>The one normalisation every routing text goes through, at training and at prediction alike.</summary>
public static class TriageText
{
    /// <summary>
    /// <see cref="UserText.Clean"/>, then full-width ASCII folded to half-width (“ＡＢＣ１２３” and “ABC123” are one
    /// feature), Latin letters lower-cased, and white space made one space, or one line break where the run held one
    /// (the first line is the title, which <see cref="NgramFeatures"/> weighs double). A space between two Han
    /// characters or digits is dropped: Chinese puts none there, so it comes from OCR or a form that spaced the
    /// characters out (“丽 发 新 城 ２ ０ １ ９” reads as “丽发新城2019”). Null or blank gives "".
    /// </summary>
    public static string Normalise(string? text)
    {
        var cleaned = UserText.Clean(text);
        if (cleaned is null)
        {
            return "";
        }

        var result = new StringBuilder(cleaned.Length);
        char? space = null;
        foreach (var raw in cleaned)
        {
            var c = raw switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(raw - 0xFEE0),
                '\u3000' => ' ',
                _ => raw,
            };
            if (char.IsWhiteSpace(c))
            {
                space = c == '\n' || space == '\n' ? '\n' : ' ';
                continue;
            }

            if (space is { } s)
            {
                if (s == '\n' || !(IsHanOrDigit(c) && result.Length > 0 && IsHanOrDigit(result[^1])))
                {
                    result.Append(s);
                }

                space = null;
            }

            result.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        }

        return result.ToString();
    }

    private static bool IsHanOrDigit(char c) => c is (>= '0' and <= '9') or (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF');
}
