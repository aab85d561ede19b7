using System.Globalization;
using Duban.Data;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.CampaignPages;

/// <summary>A campaign's page: its counts and its matters; the office edits or deletes it here.</summary>
public sealed class CampaignModel(Data.Campaigns campaigns, CampaignReviews reviews, TimeProvider clock) : FormPageModel
{
    public CampaignDetails? Details { get; private set; }

    /// <summary>This month's review over the campaign's matters, per lead unit (讲评).</summary>
    public CampaignReview? Review { get; private set; }

    public bool MayManage => Data.Campaigns.MayManage(User.ToActor());

    /// <summary>The edit form, filled from the campaign unless a post brought it back.</summary>
    [BindProperty]
    public NewCampaign Form { get; set; } = new();

    /// <summary>Set after a post: the form opens so its errors are seen.</summary>
    public bool Editing { get; private set; }

    [FromRoute]
    public long Id { get; set; }

    public async Task OnGetAsync(int? p, CancellationToken cancellationToken)
    {
        await LoadAsync(p, cancellationToken);
        FillForm();
    }

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken)
    {
        Editing = true;
        await campaigns.UpdateAsync(Id, Form, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Campaigns/{Id}"));
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        await campaigns.DeleteAsync(Id, User.ToActor(), cancellationToken);
        return Redirect("/Campaigns");
    }

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field);

    protected override bool ShowRefusal(Matters.DomainException error)
    {
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(null, cancellationToken);
        if (Form.Name is null && Form.From is null && Form.To is null)
        {
            FillForm(); // a refused deletion posts no fields: show the campaign as it stands
        }
    }

    private void FillForm()
    {
        var c = Details!.Campaign;
        Form = new NewCampaign
        {
            Name = c.Name, From = c.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            To = c.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Note = c.Note,
        };
    }

    private async Task LoadAsync(int? page, CancellationToken cancellationToken)
    {
        Details = await campaigns.GetAsync(Id, User.ToActor(), Math.Max(1, page ?? 1), cancellationToken);
        var today = Calendar.ChinaTime.DateOf(clock.GetUtcNow());
        Review = await reviews.GetAsync(Id, ReviewPeriod.Holding(PeriodKind.Month, today), User.ToActor(), cancellationToken);
    }
}
