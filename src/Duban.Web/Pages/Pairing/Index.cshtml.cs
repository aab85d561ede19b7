using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Pairing;

/// <summary>包联: the enterprises (a cadre sees their own), the coverage view, and registering an enterprise.</summary>
public sealed class IndexModel(Enterprises enterprises, Visits visits, UnitDirectory directory) : FormPageModel
{
    public IReadOnlyList<EnterpriseView> List { get; private set; } = [];
    public Coverage? Coverage { get; private set; }
    public bool Manager { get; private set; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 30;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? CreditCode { get; set; }

    [BindProperty]
    public string? Region { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Registers an enterprise; only the supervision office may (a refusal gets the status page).</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var saved = await enterprises.SaveAsync(Name, CreditCode, Region, User.ToActor(), cancellationToken);
        return RedirectToPage("Enterprise", new { id = saved.Id });
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        foreach (var (field, messages) in error.Errors)
        {
            Errors[field] = string.Join(" ", messages);
        }
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>A refused registration is drawn again with 200 (the messages are the answer).</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    /// <summary>Counties, townships and villages an enterprise can be in, by name.</summary>
    public IReadOnlyList<UnitView> Regions { get; private set; } = [];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manager = Enterprises.MayManage(actor);
        if (Manager)
        {
            Regions = (await directory.ListAsync(cancellationToken))
                .Where(u => u.Active && u.Level is UnitLevel.County or UnitLevel.Township or UnitLevel.Village).ToList();
        }

        Days = Math.Clamp(Days, 1, 3650);
        if (!Manager && Enterprises.PersonOf(actor) is null)
        {
            return;
        }

        List = await enterprises.ListAsync(actor, cancellationToken);
        Coverage = await visits.CoverageAsync(Days, actor, cancellationToken);
    }
}
