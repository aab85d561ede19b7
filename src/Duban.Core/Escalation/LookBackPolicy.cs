using System.Globalization;
using Duban.Matters;

namespace Duban.Escalation;

/// <summary>When and how many closed matters of a kind are re-checked (回头看).</summary>
/// <param name="AfterDays">Calendar days after closing (销号) when the re-check falls due.</param>
/// <param name="SamplePercent">0–100: the share of closed matters re-checked; 100 = all.</param>
public sealed record LookBackRule(int AfterDays, int SamplePercent);

/// <summary>
/// The look-back policy: per kind, after how many days and which share of closed matters. Sampling is by a fixed
/// hash of the matter id, so the same matter is always in or out: a re-run or a second instance decides alike.
/// </summary>
public sealed record LookBackPolicy(IReadOnlyDictionary<MatterKind, LookBackRule> Rules)
{
    /// <summary>Assignments: all, 30 days after closing. Appeals and petitions: a 20% sample after 30 days.</summary>
    public static LookBackPolicy Default { get; } = new(new Dictionary<MatterKind, LookBackRule>
    {
        [MatterKind.Assignment] = new(30, 100),
        [MatterKind.Appeal] = new(30, 20),
        [MatterKind.Petition] = new(30, 20),
    });

    /// <summary>When a matter closed at <paramref name="closedAt"/> is due for its re-check, or null when not sampled.</summary>
    public DateTimeOffset? DueFor(long matterId, MatterKind kind, DateTimeOffset closedAt)
    {
        if (!Rules.TryGetValue(kind, out var rule) || rule.SamplePercent <= 0)
        {
            return null;
        }

        return Bucket(matterId) < rule.SamplePercent ? closedAt.AddDays(rule.AfterDays) : null;
    }

    /// <summary>A stable 0–99 bucket for an id (SplitMix64 finaliser; no per-process seed, unlike string.GetHashCode).</summary>
    public static int Bucket(long matterId)
    {
        unchecked
        {
            var z = (ulong)matterId + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % 100UL);
        }
    }

    /// <summary>Reads "30d/20%" (days after closing / sample share).</summary>
    public static bool TryParseRule(string? text, out LookBackRule rule)
    {
        rule = new LookBackRule(0, 0);
        var parts = text?.Split('/', StringSplitOptions.TrimEntries);
        if (parts is not [var days, var percent] || !days.EndsWith('d') || !percent.EndsWith('%')
            || !int.TryParse(days[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d is < 1 or > 3660
            || !int.TryParse(percent[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 100)
        {
            return false;
        }

        rule = new LookBackRule(d, p);
        return true;
    }
}
