using System.Globalization;
using Duban.Matters;

namespace Duban.Synthetic;

/// <summary>One unit of a synthetic organisation; <see cref="Parent"/> is the index of its parent in the plan (-1: root).</summary>
public sealed record PlannedUnit(string Code, string Name, UnitLevel Level, int Parent);

/// <summary>
/// The shape of a synthetic city of <c>n</c> units, in the proportions of a real one: the city, its 督查室, about one
/// department per 30 units, one county per 150 with ten townships (乡镇、街道) each, and villages (村、社区) for the rest,
/// spread over the townships. Parents always come before their children.
/// </summary>
public static class SyntheticOrganisation
{
    /// <summary>The fewest units a plan can have: the city, its office, a department, a county and a township.</summary>
    public const int MinUnits = 5;

    /// <summary>Index of the supervision office in every plan.</summary>
    public const int Office = 1;

    /// <exception cref="ArgumentOutOfRangeException">Fewer than <see cref="MinUnits"/> units.</exception>
    public static IReadOnlyList<PlannedUnit> Plan(int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, MinUnits);
        var counties = Math.Max(1, units / 150);
        var departments = Math.Max(1, units / 30 - 1);
        var townships = Math.Clamp(units - 2 - departments - counties, 1, 10 * counties);
        var villages = units - 2 - departments - counties - townships;
        var plan = new List<PlannedUnit>(units)
        {
            new("S", "合成市", UnitLevel.City, -1),
            new("S-DC", "合成市委督查室", UnitLevel.Department, 0),
        };
        for (var i = 1; i <= departments; i++)
        {
            plan.Add(new(Invariant($"S-B{i:D3}"), Invariant($"合成市第{i}局"), UnitLevel.Department, 0));
        }

        var firstCounty = plan.Count;
        for (var i = 1; i <= counties; i++)
        {
            plan.Add(new(Invariant($"K{i:D3}"), Invariant($"第{i}区"), UnitLevel.County, 0));
        }

        var firstTownship = plan.Count;
        for (var i = 0; i < townships; i++)
        {
            var county = firstCounty + i % counties;
            var number = i / counties + 1;
            plan.Add(new(Invariant($"{plan[county].Code}-T{number:D2}"), Invariant($"{plan[county].Name}{number}街道"), UnitLevel.Township, county));
        }

        for (var i = 0; i < villages; i++)
        {
            var township = firstTownship + i % townships;
            var number = i / townships + 1;
            plan.Add(new(Invariant($"{plan[township].Code}-V{number:D3}"), Invariant($"{plan[township].Name}{number}社区"), UnitLevel.Village, township));
        }

        return plan;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
