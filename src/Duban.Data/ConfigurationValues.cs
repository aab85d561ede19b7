using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>
/// Reads one setting of an options class: absent or blank gives the default, anything else must parse and lie in range,
/// or a <see cref="FormatException"/> names the key (<c>Delivery:MaxAttempts: "0" 应为 1–100 的整数 …</c>) and so stops start-up.
/// </summary>
internal static class ConfigurationValues
{
    public static int Int(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException(FormattableString.Invariant($"{key}: \"{text}\" 应为 {min}–{max} 的整数"));
    }

    public static TimeSpan Span(IConfiguration configuration, string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException(FormattableString.Invariant($"{key}: \"{text}\" 应为 {min:c}–{max:c} 之间的时长（如 00:01:00）"));
    }

    public static bool Bool(IConfiguration configuration, string key, bool fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return bool.TryParse(text.Trim(), out var value) ? value : throw new FormatException($"{key}: \"{text}\" 应为 true 或 false / must be true or false");
    }
}
