using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

/// <summary>相似事项 of one matter, apart from its page: finding them compares the matter with every other (128 bytes a
/// matter, a scan of 128 MB at a million), so the matter page shows at once and fetches this (<c>?part=true</c>, the
/// section alone) after; without script its link opens it as a page of its own. A matter the reader may not see
/// answers 404, as its page does.</summary>
public sealed class MatterSimilarModel(SimilarMatters similar) : PageModel
{
    public long Id { get; private set; }

    /// <summary>Only the section, for the matter page's script.</summary>
    [BindProperty(SupportsGet = true, Name = "part")]
    public bool Part { get; set; }

    public IReadOnlyList<SimilarMatterView> Similar { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Id = id;
        Similar = await similar.TopAsync(id, 10, User.ToActor(), cancellationToken, minScore: SimilarMatters.Threshold);
        return Page();
    }
}
