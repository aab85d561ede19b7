using Microsoft.Extensions.Configuration;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>
/// The deadline engine's settings (<c>Escalation:*</c>), read once at start-up; a malformed value throws a
/// <see cref="FormatException"/> naming its key (and so stops start-up):
/// <code>
/// "Escalation": { "SweepEnabled": true, "SweepInterval": "00:01:00", "WorkingHours": "09:00-18:00",
///   "Chains": { "13710": { "acknowledge": { "Supervise": 1 } } } }
/// </code>
/// </summary>
/// <param name="SweepEnabled">Whether the web host runs the sweep (false when a separate process runs <c>duban sweep</c>).</param>
/// <param name="SweepInterval">How often the web host sweeps.</param>
/// <param name="Policy">The chains and the working hours for notices (<see cref="Rules.Escalation"/>).</param>
public sealed record EscalationOptions(bool SweepEnabled, TimeSpan SweepInterval, EscalationPolicy Policy)
{
    public static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromMinutes(1);

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static EscalationOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new EscalationOptions(
            Bool(configuration, "Escalation:SweepEnabled", true),
            Span(configuration, "Escalation:SweepInterval", DefaultSweepInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            EscalationPolicy.FromConfiguration(configuration));
    }
}
