using System.Text;
using System.Text.RegularExpressions;

namespace Duban.Appeals;

/// <summary>
/// Personal data in appeals: phone numbers and resident ID numbers. Shown masked (<c>138****1234</c>) to everyone
/// except the handling unit and the supervision office; the masks keep the length and the last four characters so
/// a caller can still be matched to a case on the phone.
/// </summary>
public static partial class PersonalData
{
    /// <summary>
    /// A phone number in the one form it is stored in: an 11-digit mobile (<c>13812341234</c>, from <c>+86 138-1234-1234</c>),
    /// or a landline with area code (<c>0371-12345678</c>), or a short service number of 5–8 digits (<c>12345</c>, <c>95598</c>).
    /// Null when the text is not a phone number.
    /// </summary>
    public static string? NormalizePhone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return null;
        }

        var digits = new StringBuilder();
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is >= '０' and <= '９')
            {
                digits.Append((char)('0' + (c - '０')));
            }
            else if (c is not (' ' or '-' or '(' or ')' or '+' or '（' or '）' or '－'))
            {
                return null;
            }
        }

        var d = digits.ToString();
        if (d.StartsWith("0086", StringComparison.Ordinal) && d.Length == 15)
        {
            d = d[4..];
        }
        else if (d.StartsWith("86", StringComparison.Ordinal) && d.Length == 13)
        {
            d = d[2..];
        }

        if (MobilePattern().IsMatch(d))
        {
            return d;
        }

        if (d.Length is >= 10 and <= 12 && d[0] == '0' && d[1] != '0')
        {
            // Area codes are 3 digits for 010 and 02x, otherwise 4.
            var area = d[1] is '1' or '2' ? 3 : 4;
            return d.Length - area is 7 or 8 ? string.Concat(d.AsSpan(0, area), "-", d.AsSpan(area)) : null;
        }

        return d.Length is >= 5 and <= 8 && d[0] != '0' ? d : null;
    }

    /// <summary>
    /// Masks a phone number: <c>138****1234</c>, <c>0371-****5678</c>. Everything but the first three digits (the
    /// area code of a landline) and the last four is starred; a short number keeps only its last two. Null stays null.
    /// </summary>
    public static string? MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return phone;
        }

        var dash = phone.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            var number = phone[(dash + 1)..];
            return string.Concat(phone.AsSpan(0, dash + 1), Stars(number, 0, Math.Min(4, number.Length - 1)));
        }

        return phone.Length >= 11 ? Stars(phone, 3, 4) : Stars(phone, 0, Math.Min(2, phone.Length - 1));
    }

    /// <summary>Masks a resident ID number (居民身份证号): the first six (the region) and last four stay, <c>410102********123X</c>.</summary>
    public static string? MaskIdNumber(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return id;
        }

        return id.Length >= 15 ? Stars(id, 6, 4) : Stars(id, 0, Math.Min(2, id.Length - 1));
    }

    /// <summary>Masks every mobile number and resident ID number found in free text (titles, contents, replies),
    /// leaving all other text as it was.</summary>
    public static string? MaskInText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var masked = IdInTextPattern().Replace(text, m => MaskIdNumber(m.Value)!);
        return MobileInTextPattern().Replace(masked, m => MaskPhone(m.Value)!);
    }

    /// <summary>Whether the text is a well-formed 18-character resident ID number with a correct check character.</summary>
    public static bool IsIdNumber(string? text)
    {
        if (text is not { Length: 18 } || !IdPattern().IsMatch(text))
        {
            return false;
        }

        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (text[i] - '0') * weights[i];
        }

        return "10X98765432"[sum % 11] == char.ToUpperInvariant(text[17]);
    }

    private static string Stars(string text, int keepStart, int keepEnd)
    {
        keepEnd = Math.Max(0, keepEnd);
        if (keepStart + keepEnd >= text.Length)
        {
            keepStart = 0;
        }

        return string.Concat(text.AsSpan(0, keepStart), new string('*', text.Length - keepStart - keepEnd), text.AsSpan(text.Length - keepEnd));
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex("^[0-9]{17}[0-9Xx]$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("(?<![0-9])1[3-9][0-9]{9}(?![0-9])")]
    private static partial Regex MobileInTextPattern();

    [GeneratedRegex("(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdInTextPattern();
}
