using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Weekly;

/// <summary>添加事项: open matters not yet in any session, searched and ticked, added to a draft session in one go.</summary>
public sealed class AddModel(WeeklySessions weekly) : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>查找: code, title or lead unit.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty]
    public List<long> Selected { get; set; } = [];

    public WeeklySessionDetails Details { get; private set; } = null!;

    public IReadOnlyList<WeeklyCandidate> Candidates { get; private set; } = [];

    public string? Failed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        return Details.CanManage && Details.Session.Status == WeeklySessionStatus.Draft
            ? Page()
            : Redirect(FormattableString.Invariant($"/Weekly/{Id}"));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Selected.Count == 0)
        {
            Failed = "请至少勾选一项事项。";
            await ReloadAsync(cancellationToken);
            return Page();
        }

        await weekly.AddMattersAsync(Id, Selected, User.ToActor(), cancellationToken);
        TempData["done"] = $"已纳入 {Selected.Distinct().Count()} 项事项。";
        return Redirect(FormattableString.Invariant($"/Weekly/{Id}"));
    }

    protected override void ShowInvalid(ValidationFailedException error) =>
        Failed = string.Join(" ", error.Errors.SelectMany(e => e.Value));

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is NotFoundException && Details is null)
        {
            return false;
        }

        Failed = error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Details = await weekly.GetAsync(Id, actor, cancellationToken);
        Candidates = Details.CanManage ? await weekly.CandidatesAsync(Id, Query, actor, cancellationToken) : [];
    }
}
