using Duban.Data.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

public sealed class IndexModel(MatterQueries queries) : PageModel
{
    public MatterPage Matters { get; private set; } = new([], 0, 1, 50);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Matters = await queries.ListAsync(new MatterFilter { PageSize = 50 }, User.ToActor(), cancellationToken);
}
