using Duban.Data;

namespace Duban.Web.Pages;

/// <summary>The model of the <c>_UnitOptions</c> partial: the units in tree order and the codes already chosen.</summary>
public sealed record UnitOptions(IReadOnlyList<UnitView> Units, IReadOnlyCollection<string> Selected)
{
    /// <summary>A list where at most one unit is chosen.</summary>
    public UnitOptions(IReadOnlyList<UnitView> units, string? selected)
        : this(units, string.IsNullOrEmpty(selected) ? [] : [selected])
    {
    }
}
