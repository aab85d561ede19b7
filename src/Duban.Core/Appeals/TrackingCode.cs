using System.Security.Cryptography;

namespace Duban.Appeals;

/// <summary>
/// The tracking code (查询码) a citizen uses to check an appeal without signing in: 12 characters drawn uniformly
/// by a CSPRNG from 30 that cannot be misread for each other (no 0/O, 1/I/L, and no U beside V), so about 59 bits — far beyond
/// guessing through a rate-limited lookup. Stored bare (<c>K7QM9XHT3RPW</c>), printed grouped (<c>K7QM-9XHT-3RPW</c>).
/// </summary>
public static class TrackingCode
{
    /// <summary>The characters a code is made of.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The number of characters in a code.</summary>
    public const int Length = 12;

    /// <summary>A new random code, bare.</summary>
    public static string New() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>The code grouped in fours for reading aloud and printing.</summary>
    public static string Format(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Length == Length ? $"{code[..4]}-{code[4..8]}-{code[8..]}" : code;
    }

    /// <summary>Reads a code as typed: case, dashes and spaces do not matter. False for anything that cannot be a code.</summary>
    public static bool TryParse(string? text, out string code)
    {
        code = string.Empty;
        if (text is null || text.Length > 64)
        {
            return false;
        }

        var chars = new List<char>(Length);
        foreach (var c in text)
        {
            if (c is '-' or ' ' or '\u2010' or '\u2013' or '\u2014' or '\u3000')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal) || chars.Count == Length)
            {
                return false;
            }

            chars.Add(upper);
        }

        if (chars.Count != Length)
        {
            return false;
        }

        code = new string(chars.ToArray());
        return true;
    }
}
