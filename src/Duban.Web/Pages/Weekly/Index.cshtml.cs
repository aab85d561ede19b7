using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Weekly;

/// <summary>周交办: the sessions this person may see, and for the office, leaders and admins the form to create one.</summary>
public sealed class IndexModel(WeeklySessions weekly, TimeProvider clock) : FormPageModel
{
    public IReadOnlyList<WeeklySessionSummary> Sessions { get; private set; } = [];

    /// <summary>Whether the create form is shown (the command checks again).</summary>
    public bool CanCreate { get; private set; }

    [BindProperty]
    public CreateForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.Date = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await ReloadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var id = await weekly.CreateAsync(new NewWeeklySession(Form.Date, Form.Meeting, Form.Note), User.ToActor(), cancellationToken);
        TempData["done"] = "已建立周交办，请添加事项。";
        return Redirect(FormattableString.Invariant($"/Weekly/{id}"));
    }

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field);

    protected override bool ShowRefusal(DomainException error)
    {
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        CanCreate = AccessRules.MayAssign(actor);
        Sessions = await weekly.ListAsync(actor, cancellationToken);
    }

    public sealed class CreateForm
    {
        public string? Date { get; set; }
        public string? Meeting { get; set; } = "市委市政府重点工作周例会";
        public string? Note { get; set; }
    }
}
