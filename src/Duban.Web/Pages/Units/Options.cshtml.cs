using Duban.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Units;

/// <summary>The options of the unit picker (<see cref="UnitPicker"/>) for a search text, as <c>/js/picker.js</c> asks
/// for them while one types: at most <see cref="UnitCatalog.MaxFound"/> active units by name, code or pinyin initials,
/// in tree order. Any signed-in person: the same units every list's filter offers.</summary>
public sealed class OptionsModel(UnitCatalog catalog, DubanDbContext db) : PageModel
{
    public IReadOnlyList<UnitView> Found { get; private set; } = [];

    /// <summary>The unit already chosen, marked selected if the text finds it.</summary>
    public string? Selected { get; private set; }

    public async Task OnGetAsync(string? q, string? selected, CancellationToken cancellationToken)
    {
        Found = (await catalog.GetAsync(db, cancellationToken)).Find(q);
        Selected = selected;
    }
}
