using System.Text;

namespace Duban.Text;

/// <summary>Text typed or pasted by people, made safe to store and show.</summary>
public static class UserText
{
    /// <summary>
    /// Trims, drops control characters other than tab and line breaks (PostgreSQL refuses NUL; a bell or escape
    /// has no place in a report), and replaces a broken surrogate half with U+FFFD. Null or blank gives null.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        StringBuilder? cleaned = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var keep = c;
            var drop = char.IsControl(c) && c is not ('\t' or '\n' or '\r');
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cleaned?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                keep = '\uFFFD';
            }

            if (drop || keep != c)
            {
                cleaned ??= new StringBuilder(text, 0, i, text.Length);
            }

            if (!drop)
            {
                cleaned?.Append(keep);
            }
        }

        var result = (cleaned?.ToString() ?? text).Trim();
        return result.Length == 0 ? null : result;
    }
}
