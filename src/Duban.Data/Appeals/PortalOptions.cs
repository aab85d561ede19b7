using Microsoft.Extensions.Configuration;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>
/// The public portal's per-IP rate limits (<c>Portal:*</c>), read once at start-up; a malformed value throws a
/// <see cref="FormatException"/> naming its key (and so stops start-up):
/// <code>"Portal": { "SubmitPerMinute": 5, "LookupPerMinute": 60 }</code>
/// The portal's upload limits (<c>Portal:AttachmentMaxBytes</c>, <c>Portal:AttachmentMaxFiles</c>) are
/// <see cref="AttachmentOptions.Portal"/>, beside the staff's.
/// </summary>
/// <param name="SubmitPerMinute">Posts (the portal's form, a rating) one IP may make per minute.</param>
/// <param name="LookupPerMinute">Lookups by tracking code one IP may make per minute.</param>
public sealed record PortalOptions(int SubmitPerMinute, int LookupPerMinute)
{
    public const int MaxPerMinute = 100_000;

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static PortalOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new PortalOptions(
            Int(configuration, "Portal:SubmitPerMinute", 5, 1, MaxPerMinute),
            Int(configuration, "Portal:LookupPerMinute", 60, 1, MaxPerMinute));
    }
}
