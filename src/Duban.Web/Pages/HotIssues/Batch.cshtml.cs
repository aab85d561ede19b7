using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.HotIssues;

/// <summary>批处理: the typical matter and its like, answered once — each member is completed with the same answer
/// through its own lifecycle (its own event, its own verification and 回访); a member that cannot be completed by the
/// reader (another unit leads it, or it is not at that stage) is listed with the reason, not forced.</summary>
public sealed class BatchModel(Batches batches) : FormPageModel
{
    public BatchView Batch { get; private set; } = null!;

    [BindProperty]
    public string? Answer { get; set; }

    /// <summary>What the last 批量办结 did, member by member (kept for one page view).</summary>
    public IReadOnlyList<BatchOutcome> Outcomes { get; private set; } = [];

    public async Task OnGetAsync(long id, CancellationToken cancellationToken) => Batch = await batches.GetAsync(id, User.ToActor(), cancellationToken);

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        Outcomes = await batches.CompleteAsync(id, Answer, User.ToActor(), cancellationToken);
        Batch = await batches.GetAsync(id, User.ToActor(), cancellationToken);
        var done = Outcomes.Count(o => o.Outcome == "completed");
        TempData["done"] = done == Outcomes.Count ? $"已全部办结，共 {done} 件。" : $"已办结 {done} 件，{Outcomes.Count - done} 件未处理（原因见下表）。";
        return Page();
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken) =>
        Batch = await batches.GetAsync(long.Parse((string)RouteData.Values["id"]!, System.Globalization.CultureInfo.InvariantCulture), User.ToActor(), cancellationToken);
}
