using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Notices;

/// <summary>拟制: a new 交办通知书 or 督办通知单 for a matter, its title and 办理要求 offered and editable.</summary>
public sealed class NewModel(NoticeDocuments notices) : NoticeFormPage
{
    [BindProperty(SupportsGet = true)]
    public long Matter { get; set; }

    /// <summary>assignment or supervision.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    public NoticeDraftForm Blank { get; private set; } = null!;

    public bool RequireApproval => notices.RequireApproval;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        Form = new NoticeForm { Title = Blank.Title, Requirements = Blank.Requirements, Contact = Blank.Contact, Phone = Blank.Phone, CopyTo = Blank.CopyTo };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var id = await notices.DraftAsync(Matter, Form.ToInput(Kind), User.ToActor(), cancellationToken);
        TempData["done"] = notices.RequireApproval ? "已拟制，待领导审定。" : "已拟制，可以下发。";
        return Redirect(FormattableString.Invariant($"/Notices/{id}"));
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Blank = await notices.NewFormAsync(Matter, Kind, User.ToActor(), cancellationToken);
        Kind = Duban.Data.WireEnum.Name(Blank.Kind);
    }
}
