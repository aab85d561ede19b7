using Microsoft.Extensions.Configuration;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>
/// Similar-case settings (<c>Similarity:*</c>), read once at start-up; a malformed value throws a
/// <see cref="FormatException"/> naming its key (and so stops start-up):
/// <code>"Similarity": { "BackfillOnStart": true, "BackfillMaxPages": 1000 }</code>
/// </summary>
/// <param name="BackfillOnStart">Whether the web host writes the missing signatures at start-up, in the background.</param>
/// <param name="BackfillMaxPages">At most this many pages (of <see cref="SignatureBackfill.DefaultPageSize"/>) per start.</param>
public sealed record SimilarityOptions(bool BackfillOnStart, int BackfillMaxPages)
{
    public const int MaxBackfillPages = 1_000_000;

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static SimilarityOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new SimilarityOptions(
            Bool(configuration, "Similarity:BackfillOnStart", true),
            Int(configuration, "Similarity:BackfillMaxPages", 1000, 0, MaxBackfillPages));
    }
}
