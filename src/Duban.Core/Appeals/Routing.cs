using Duban.Matters;

namespace Duban.Appeals;

/// <summary>
/// A routing rule (分层分级): when an appeal matches every condition it sets, the rule suggests its lead unit (and so
/// the level that handles it). A condition left empty matches anything.
/// </summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Priority">Higher wins; among equals, the rule with more conditions, then the older.</param>
/// <param name="Category">The appeal's category, exactly.</param>
/// <param name="RegionUnitId">The appeal's region lies in this unit's subtree.</param>
/// <param name="Keywords">Any one of these occurs in the title or content.</param>
/// <param name="EnterpriseCode">The enterprise's unified social credit code (统一社会信用代码).</param>
/// <param name="LeadUnitId">The suggested lead unit.</param>
public sealed record RouteRule(long Id, int Priority, string? Category, long? RegionUnitId, IReadOnlyList<string> Keywords,
    string? EnterpriseCode, long LeadUnitId)
{
    /// <summary>How many conditions the rule sets.</summary>
    public int Conditions =>
        (Category is null ? 0 : 1) + (RegionUnitId is null ? 0 : 1) + (Keywords.Count == 0 ? 0 : 1) + (EnterpriseCode is null ? 0 : 1);

    /// <summary>Whether an appeal meets every condition the rule sets.</summary>
    public bool Matches(RouteFacts facts, IUnitTree tree)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(tree);
        return (Category is null || string.Equals(Category, facts.Category, StringComparison.Ordinal))
            && (RegionUnitId is not { } region || (facts.RegionUnitId is { } at && tree.IsWithin(at, region)))
            && (Keywords.Count == 0 || Keywords.Any(k => facts.Text.Contains(k, StringComparison.OrdinalIgnoreCase)))
            && (EnterpriseCode is null || string.Equals(EnterpriseCode, facts.EnterpriseCode, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>What routing looks at in an appeal.</summary>
/// <param name="Category">The category.</param>
/// <param name="RegionUnitId">The region (a unit), if given.</param>
/// <param name="Text">Title and content.</param>
/// <param name="EnterpriseCode">The enterprise's credit code, if any.</param>
public sealed record RouteFacts(string? Category, long? RegionUnitId, string Text, string? EnterpriseCode);

/// <summary>Picks the rule that routes an appeal.</summary>
public static class Router
{
    /// <summary>The best matching rule, or null when none matches (the receiving unit keeps the appeal: 首接首办).</summary>
    public static RouteRule? Pick(IEnumerable<RouteRule> rules, RouteFacts facts, IUnitTree tree)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.Where(r => r.Matches(facts, tree))
            .OrderByDescending(r => r.Priority).ThenByDescending(r => r.Conditions).ThenBy(r => r.Id)
            .FirstOrDefault();
    }
}
