using System.Globalization;
using Duban.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Users;

/// <summary>The options of the people pickers (<see cref="PeoplePicker"/>) for a search text, as <c>/js/picker.js</c>
/// asks for them while one types: at most <see cref="PeopleCatalog.MaxFound"/> users of active units by name or pinyin
/// initials, only among <c>units</c> when the form names them. Any signed-in person: the staff directory every
/// assigning form offers.</summary>
public sealed class OptionsModel(PeopleCatalog catalog, DubanDbContext db) : PageModel
{
    public IReadOnlyList<PickableUser> Found { get; private set; } = [];

    /// <summary>The person already chosen, marked selected if the text finds them.</summary>
    public long? Selected { get; private set; }

    public async Task OnGetAsync(string? q, string[]? units, string? selected, CancellationToken cancellationToken)
    {
        Found = (await catalog.GetAsync(db, cancellationToken)).Find(q, units);
        Selected = long.TryParse(selected, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
