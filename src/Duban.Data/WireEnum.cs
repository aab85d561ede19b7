namespace Duban.Data;

/// <summary>Enum names as the API and CLI spell them: camelCase (<c>metOnTime</c>), read case-insensitively.</summary>
public static class WireEnum
{
    /// <summary>Reads a name; numbers are refused so that "3" cannot sneak in as an enum value.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        var trimmed = text?.Trim();
        return !string.IsNullOrEmpty(trimmed) && !char.IsAsciiDigit(trimmed[0]) && trimmed[0] != '-'
            && Enum.TryParse(trimmed, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>The wire name of a value.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]).ToString(), name[1..]);
    }
}
