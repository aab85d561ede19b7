using System.Globalization;

namespace Duban.Tests;

/// <summary>Readable literals for test data: dates and instants written as ISO text.</summary>
internal static class Parse
{
    public static DateOnly Date(string text) =>
        DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant with its offset written out, e.g. <c>2024-02-08T10:00:00+08:00</c> or <c>…Z</c>.</summary>
    public static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static readonly TimeSpan China = TimeSpan.FromHours(8);
}
