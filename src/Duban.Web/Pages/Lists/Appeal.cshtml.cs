using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Lists;

/// <summary>An appeal for staff: intake facts, the earlier appeal it repeats, the learned routing suggestion beside the
/// rule result, the contact in full on request (audited), its hops (办理过程) and, for the lead unit, 上报 to the level
/// above.</summary>
public sealed class AppealModel(AppealQueries queries, RevealContact reveal, MatterTriage router, EscalateAppeal escalate) : FormPageModel
{
    private bool _escalating;

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    /// <summary>上报理由.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    public AppealDetails? Appeal { get; private set; }
    public AppealContact? Contact { get; private set; }

    /// <summary>智能分派建议: information only; people decide.</summary>
    public TriageSuggestion? Suggestion { get; private set; }

    /// <summary>Set on the redirect after a 上报: the page confirms it, or, when the appeal left the viewer's sight,
    /// says so instead of answering 404 (nothing of the appeal is shown then).</summary>
    [BindProperty(SupportsGet = true)]
    public bool Escalated { get; set; }

    /// <summary>Whether the viewer's unit leads the appeal and it is at a stage 上报 allows (the service checks again).</summary>
    public bool MayEscalate(Actor actor) =>
        Appeal is { } a && actor.UnitId == a.Matter.LeadUnit.Id
        && a.Matter.Status is MatterStatus.Assigned or MatterStatus.Acknowledged
        && (actor.Has(Role.Handler) || actor.Has(Role.Leader) || actor.Has(Role.Supervisor));

    /// <summary>上报上级: the same service as <c>POST /api/appeals/{code}/escalate</c>; the reason is required.</summary>
    public async Task<IActionResult> OnPostEscalateAsync(CancellationToken cancellationToken)
    {
        _escalating = true;
        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(nameof(Reason), "上报必须填写理由。");
            return await OnGetAsync(cancellationToken);
        }

        await escalate.ExecuteAsync(Code ?? string.Empty, Reason, User.ToActor(), cancellationToken);
        return RedirectToPage(new { code = Code, escalated = true });
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(cancellationToken);
        }
        catch (NotFoundException) when (Escalated && TrackingCode.TryParse(Code, out _))
        {
            // Page-specific: 上报 moved the appeal to a unit the viewer cannot see; the page says so rather than answer 404.
        }

        return Page();
    }

    /// <summary>查看完整联系方式: only for the handling unit and the supervision office; writes an audit row.</summary>
    public async Task<IActionResult> OnPostRevealAsync(CancellationToken cancellationToken)
    {
        Contact = await reveal.ExecuteAsync(Code ?? string.Empty, User.ToActor(), "page", cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>A refused 上报, all its messages beside the reason; a refused reveal gets the status page.</summary>
    protected override void ShowInvalid(ValidationFailedException error) =>
        ModelState.AddModelError(nameof(Reason), string.Join(" ", error.Errors.SelectMany(e => e.Value)));

    protected override bool ShowRefusal(DomainException error)
    {
        if (_escalating)
        {
            ModelState.AddModelError(nameof(Reason), error.Message);
        }

        return _escalating;
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>A refused 上报 is drawn again with 200, as the empty reason is.</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Appeal = await queries.GetAsync(Code ?? string.Empty, User.ToActor(), cancellationToken);
        Suggestion = await router.SuggestAsync(Appeal.Matter.Title + "\n" + Appeal.Matter.Content, cancellationToken);
    }
}
