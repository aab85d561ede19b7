using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Notices;

/// <summary>修改: a draft, or a paper a leader returned (it goes back for 审定).</summary>
public sealed class EditModel(NoticeDocuments notices) : NoticeFormPage
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public NoticePaperView Paper { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        if (!Paper.MayEdit)
        {
            return Redirect(FormattableString.Invariant($"/Notices/{Id}"));
        }

        Form = new NoticeForm { Title = Paper.Title, Requirements = Paper.Requirements, Contact = Paper.Contact, Phone = Paper.Phone, CopyTo = Paper.CopyTo };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await notices.EditAsync(Id, Form.ToInput(null), User.ToActor(), cancellationToken);
        TempData["done"] = notices.RequireApproval ? "已修改，重新提交领导审定。" : "已修改。";
        return Redirect(FormattableString.Invariant($"/Notices/{Id}"));
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken) =>
        Paper = await notices.GetAsync(Id, User.ToActor(), cancellationToken);
}
