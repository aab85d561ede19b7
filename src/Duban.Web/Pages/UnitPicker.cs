using Duban.Data;

namespace Duban.Web.Pages;

/// <summary>
/// The model of the <c>_UnitPicker</c> partial: a unit chosen from the whole directory without shipping it (3,000
/// units are 540 KB of options). A search box and a select holding only the chosen unit and what the box found; with
/// script (<c>/js/picker.js</c>) the select fills from <c>/units/options</c> as one types; without, the box is sent as
/// <c>{Name}-q</c> and the page resolves it (<see cref="Resolve"/>) and lists what it found.
/// </summary>
/// <param name="Name">The field the chosen unit's code is sent as.</param>
/// <param name="Id">The select's id (its label's <c>for</c>).</param>
/// <param name="Selected">The chosen unit's code.</param>
/// <param name="Search">The text typed in the box, when sent without script.</param>
/// <param name="Empty">The label of the select's empty option (全部单位, 请选择单位).</param>
/// <param name="Required">A unit must be chosen: with script the select is required; without, the page refuses an
/// empty choice (the box alone may name the unit then, so the select cannot be required in the page).</param>
public sealed record UnitPicker(string Name, string Id, string? Selected, string? Search, string Empty, bool Required = false)
{
    /// <summary>The address the script asks for the options a text finds.</summary>
    public const string Source = "/units/options";

    /// <summary>The search box's field name beside <paramref name="name"/>.</summary>
    public static string SearchField(string name) => name + "-q";

    /// <summary>
    /// The unit a form means: the chosen one (<paramref name="chosen"/>, a code) unless the box holds a text that
    /// does not find it — then the one unit that text names; an error when it names none or several (the chosen
    /// unit is then dropped, and the page lists what the text found to choose from).
    /// </summary>
    public static (string? Code, string? Error) Resolve(UnitCatalog.Snapshot units, string? chosen, string? search)
    {
        ArgumentNullException.ThrowIfNull(units);
        var text = search?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (string.IsNullOrWhiteSpace(chosen) ? null : chosen.Trim(), null);
        }

        var found = units.Find(text);
        if (!string.IsNullOrWhiteSpace(chosen) && found.Any(u => u.Code == chosen.Trim()))
        {
            return (chosen.Trim(), null);
        }

        return units.Resolve(text) is { } one
            ? (one.Code, null)
            : (null, found.Count == 0 ? $"没有找到名称、代码或拼音首字母含「{text}」的单位。" : $"「{text}」对应 {found.Count} 个单位，请在列表中选择一个。");
    }
}
