using System.Globalization;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.Extensions.Configuration;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>A peer group (同类单位) ranked together: by unit level, or by a list of unit codes (which wins).</summary>
/// <param name="Name">The name printed above its table, e.g. 县（市、区）.</param>
/// <param name="Levels">The levels whose units belong.</param>
/// <param name="UnitCodes">Units named one by one (they belong here whatever their level).</param>
public sealed record PeerGroup(string Name, IReadOnlyList<UnitLevel> Levels, IReadOnlyList<string> UnitCodes);

/// <summary>
/// Review settings (<c>Reviews:*</c>), read once at start-up; a malformed value stops start-up naming its key:
/// <code>"Reviews": { "SpeedUpShare": 0.5, "ListSize": 3, "Weights": { "ResolutionRate": 25 },
///   "Groups": [ { "Name": "县（市、区）", "Levels": "County" }, { "Name": "重点部门", "Units": "FGW,JXJ" } ] }</code>
/// </summary>
/// <param name="Facts">How the counters are kept (the speed-up share).</param>
/// <param name="Scoring">Weights of the rates and the red/black list size.</param>
/// <param name="Groups">The peer groups, in the order a review prints them.</param>
public sealed record ReviewOptions(ReviewRules Facts, ScoringRules Scoring, IReadOnlyList<PeerGroup> Groups)
{
    /// <summary>Units in no configured group are ranked together under this name.</summary>
    public const string OtherGroup = "其他单位";

    /// <summary>One group per level: counties, departments, townships, villages, and the city level.</summary>
    public static IReadOnlyList<PeerGroup> DefaultGroups { get; } =
    [
        new("县（市、区）", [UnitLevel.County], []),
        new("部门", [UnitLevel.Department], []),
        new("乡镇（街道）", [UnitLevel.Township], []),
        new("村（社区）", [UnitLevel.Village], []),
        new("市级", [UnitLevel.City], []),
    ];

    /// <summary>The defaults.</summary>
    public static ReviewOptions Default { get; } = new(ReviewRules.Default, ScoringRules.Default, DefaultGroups);

    /// <summary>The group a unit is ranked in.</summary>
    public string GroupOf(string unitCode, UnitLevel level) =>
        Groups.FirstOrDefault(g => g.UnitCodes.Contains(unitCode, StringComparer.OrdinalIgnoreCase))?.Name
        ?? Groups.FirstOrDefault(g => g.UnitCodes.Count == 0 && g.Levels.Contains(level))?.Name
        ?? OtherGroup;

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static ReviewOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var share = Number(configuration, "Reviews:SpeedUpShare", 0.5, 0.05, 1);
        var listSize = Int(configuration, "Reviews:ListSize", ScoringRules.Default.ListSize, 1, 100);
        var weights = new Dictionary<Metric, double>(ScoringRules.Default.Weights);
        foreach (var child in configuration.GetSection("Reviews:Weights").GetChildren())
        {
            var metric = Enum.TryParse<Metric>(child.Key, ignoreCase: true, out var m) && Metrics.IsRate(m)
                ? m
                : throw new FormatException($"Reviews:Weights:{child.Key} is not a rate; weights apply to {string.Join(", ", Enum.GetValues<Metric>().Where(Metrics.IsRate))}.");
            weights[metric] = Number(configuration, $"Reviews:Weights:{child.Key}", 0, 0, 1000);
        }

        var scoring = new ScoringRules(weights, listSize);
        if (scoring.Problems() is { Count: > 0 } problems)
        {
            throw new FormatException($"Reviews:Weights: {string.Join(" ", problems)}");
        }

        var groups = new List<PeerGroup>();
        foreach (var child in configuration.GetSection("Reviews:Groups").GetChildren())
        {
            var key = $"Reviews:Groups:{child.Key}";
            var name = child["Name"]?.Trim() is { Length: > 0 and <= 40 } n ? n : throw new FormatException($"{key}:Name must be 1 to 40 characters.");
            var levels = List(child["Levels"]).Select(l => Enum.TryParse<UnitLevel>(l, ignoreCase: true, out var level)
                ? level
                : throw new FormatException($"{key}:Levels: '{l}' is not one of {string.Join(", ", Enum.GetNames<UnitLevel>())}.")).ToList();
            var units = List(child["Units"]);
            if (levels.Count == 0 && units.Count == 0)
            {
                throw new FormatException($"{key} needs Levels or Units.");
            }

            groups.Add(new PeerGroup(name, levels, units));
        }

        return new ReviewOptions(new ReviewRules(share), scoring, groups.Count > 0 ? groups : DefaultGroups);
    }

    private static List<string> List(string? text) =>
        (text ?? "").Split([',', '，', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static double Number(IConfiguration configuration, string key, double fallback, double min, double max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{key} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
    }
}
