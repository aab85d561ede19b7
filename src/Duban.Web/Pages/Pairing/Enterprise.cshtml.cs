using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Pairing;

/// <summary>One enterprise: its pairing history, its visits and the problems they raised; the visit form for its
/// cadre and the pairing form for the supervision office.</summary>
public sealed class EnterpriseModel(Enterprises enterprises, Visits visits, TimeProvider clock) : FormPageModel
{
    private long _id;

    /// <summary>How many problems the visit form offers at once.</summary>
    public const int ProblemSlots = 3;

    public EnterpriseView Enterprise { get; private set; } = null!;
    public IReadOnlyList<PairingView> History { get; private set; } = [];
    public IReadOnlyList<VisitView> Visits { get; private set; } = [];
    public IReadOnlyList<CadreView> Cadres { get; private set; } = [];
    public bool Manager { get; private set; }
    public bool IsCadre { get; private set; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public string? Message { get; private set; }
    public static IReadOnlyList<string> Categories => AppealCategories.All;

    [BindProperty]
    public string? Date { get; set; }

    [BindProperty]
    public string? VisitContent { get; set; }

    [BindProperty]
    public List<ProblemInput> Problems { get; set; } = [];

    [BindProperty]
    public string? Cadre { get; set; }

    [BindProperty]
    public string? From { get; set; }

    public string Today => Calendar.ChinaTime.DateOf(clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostVisitAsync(long id, CancellationToken cancellationToken) =>
        await ActAsync(id, () => visits.LogAsync(new VisitInput(id, Date, VisitContent, Problems), User.ToActor(), cancellationToken));

    public async Task<IActionResult> OnPostPairAsync(long id, CancellationToken cancellationToken) =>
        await ActAsync(id, () => enterprises.PairAsync(id, Cadre, From, User.ToActor(), cancellationToken));

    private async Task<IActionResult> ActAsync<T>(long id, Func<Task<T>> act)
    {
        _id = id;
        await act();
        return RedirectToPage(new { id });
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        foreach (var (field, messages) in error.Errors)
        {
            Errors[field] = string.Join(" ", messages);
        }
    }

    protected override bool ShowRefusal(DomainException error)
    {
        Message = error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(_id, cancellationToken))
        {
            throw new NotFoundException("企业不存在。");
        }
    }

    /// <summary>A refused visit or pairing is drawn again with 200 (the messages are the answer).</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        try
        {
            Enterprise = await enterprises.GetAsync(id, actor, cancellationToken);
        }
        catch (Exception ex) when (ex is NotFoundException or ForbiddenException)
        {
            // Page-specific: an enterprise this person may not see answers 404, as one that does not exist.
            return false;
        }

        Manager = Enterprises.MayManage(actor);
        IsCadre = Enterprise.CadreId is { } cadre && cadre == Enterprises.PersonOf(actor);
        History = await enterprises.HistoryAsync(id, actor, cancellationToken);
        Visits = await visits.ListAsync(id, actor, cancellationToken);
        Cadres = Manager ? await enterprises.CadresAsync(cancellationToken) : [];
        while (Problems.Count < ProblemSlots)
        {
            Problems.Add(new ProblemInput(null, null, null));
        }

        return true;
    }
}
