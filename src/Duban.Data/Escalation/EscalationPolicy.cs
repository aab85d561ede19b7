using System.Globalization;
using Duban.Escalation;
using Duban.TimeLimits;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>
/// Which chain applies to a milestone (by profile and stage, tightened by the matter's supervision level) and when
/// notices may go out. Read from <c>Escalation</c> in configuration:
/// <code>
/// "Escalation": { "WorkingHours": "09:00-18:00",
///   "Chains": { "13710": { "acknowledge": { "Supervise": 1, "Accountability": 3 }, "complete": { "Warning": "off" } } } }
/// </code>
/// Each rung (Warning, Urge, Supervise, Accountability) takes working days after due, or "off"; rungs not named keep the default.
/// </summary>
public sealed class EscalationPolicy
{
    private readonly Dictionary<(string Profile, Stage Stage), EscalationChain> _chains;

    private EscalationPolicy(Dictionary<(string, Stage), EscalationChain> chains, WorkingHours hours)
    {
        _chains = chains;
        Hours = hours;
    }

    public WorkingHours Hours { get; }

    public static EscalationPolicy Default { get; } = new([], WorkingHours.Default);

    /// <summary>The chain for a milestone: a work item's nodes and reports use the profile's <c>complete</c> chain unless
    /// one is configured for <c>node</c> or <c>report</c>.</summary>
    public EscalationChain ChainFor(string profile, Stage stage, SupervisionLevel level)
    {
        var key = profile.ToLowerInvariant();
        var chain = _chains.TryGetValue((key, stage), out var own) ? own
            : !stage.IsClock() && _chains.TryGetValue((key, Stage.Complete), out var complete) ? complete
            : EscalationChain.Default;
        return chain.TightenedFor(level);
    }

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static EscalationPolicy FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Escalation");
        var hours = WorkingHours.Default;
        if (section["WorkingHours"] is { } text && !WorkingHours.TryParse(text, out hours))
        {
            throw new FormatException($"Escalation:WorkingHours: \"{text}\" 应为 09:00-18:00 格式");
        }

        var chains = new Dictionary<(string, Stage), EscalationChain>();
        foreach (var profile in section.GetSection("Chains").GetChildren())
        {
            foreach (var stageSection in profile.GetChildren())
            {
                var key = $"Escalation:Chains:{profile.Key}:{stageSection.Key}";
                if (!WireEnum.TryParse<Stage>(stageSection.Key, out var stage))
                {
                    throw new FormatException($"{key}: 未知阶段，应为 acknowledge、feedback、complete、node 或 report / unknown stage");
                }

                var steps = new List<EscalationStep>();
                foreach (var step in EscalationChain.Default.Steps)
                {
                    var value = stageSection[step.Kind.ToString()];
                    if (value is null)
                    {
                        steps.Add(step);
                    }
                    else if (!string.Equals(value.Trim(), "off", StringComparison.OrdinalIgnoreCase))
                    {
                        steps.Add(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 60
                            ? step with { WorkingDaysAfterDue = days }
                            : throw new FormatException($"{key}:{step.Kind}: \"{value}\" 应为 0–60 的工作日数或 off / must be 0–60 working days or off"));
                    }
                }

                chains[(profile.Key.ToLowerInvariant(), stage)] = new EscalationChain(steps);
            }
        }

        return new EscalationPolicy(chains, hours);
    }
}
