using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.CampaignPages;

/// <summary>专项行动: the list, and the office's form to set one up.</summary>
public sealed class IndexModel(Data.Campaigns campaigns) : FormPageModel
{
    public IReadOnlyList<CampaignView> Items { get; private set; } = [];

    public bool MayManage => Data.Campaigns.MayManage(User.ToActor());

    [BindProperty]
    public NewCampaign Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var created = await campaigns.CreateAsync(Form, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Campaigns/{created.Id}"));
    }

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field);

    protected override bool ShowRefusal(Matters.DomainException error)
    {
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken) =>
        Items = await campaigns.ListAsync(User.ToActor(), cancellationToken);
}
