using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>
/// Learned routing settings (<c>Routing:*</c>), read when first needed; a malformed value throws a
/// <see cref="FormatException"/> naming its key:
/// <code>"Routing": { "Threshold": 0.5, "MaxExamples": 100000 }</code>
/// </summary>
/// <param name="Threshold">Below this calibrated probability the answer is 建议人工分派 (no suggestion); when not set,
/// the model's own threshold, chosen at training on held-out matters.</param>
/// <param name="MaxExamples">Retraining uses at most this many of the most recently closed matters.</param>
public sealed record TriageOptions(double? Threshold, int MaxExamples)
{
    public static TriageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Routing");
        double? threshold = null;
        if (section["Threshold"] is { } t)
        {
            threshold = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
                ? value
                : throw new FormatException($"Routing:Threshold must be a number from 0 to 1, not '{t}'");
        }

        var max = 100_000;
        if (section["MaxExamples"] is { } m
            && (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 10 or > 1_000_000))
        {
            throw new FormatException($"Routing:MaxExamples must be a whole number from 10 to 1000000, not '{m}'");
        }

        return new TriageOptions(threshold, max);
    }
}
