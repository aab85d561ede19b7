using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Notices;

/// <summary>One 交办通知书 / 督办通知单 as it prints (红头, 文号, title, body, 签发, date, 抄送), its steps, the actions of
/// the current step (审定 / 退回 for a leader, 修改 / 下发 for the office), printing and the Word file.</summary>
public sealed class PaperModel(NoticeDocuments notices) : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public NoticePaperView Paper { get; private set; } = null!;

    /// <summary>Why the last step was refused (shown above the actions).</summary>
    public string? Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostApproveAsync(string? note, CancellationToken cancellationToken)
    {
        await notices.ApproveAsync(Id, note, User.ToActor(), cancellationToken);
        TempData["done"] = notices.RequireApproval ? "已审定，督查室可以下发。" : "已审定。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReturnAsync(string? reason, CancellationToken cancellationToken)
    {
        await notices.ReturnAsync(Id, reason, User.ToActor(), cancellationToken);
        TempData["done"] = "已退回督查室修改。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken)
    {
        await notices.IssueAsync(Id, User.ToActor(), cancellationToken);
        var paper = await notices.GetAsync(Id, User.ToActor(), cancellationToken);
        TempData["done"] = $"已下发（{paper.Number}），承办单位已在“通知”中收到。";
        return RedirectToPage();
    }

    /// <summary>The paper as a .docx (红头, 仿宋 text, A4).</summary>
    public async Task<IActionResult> OnGetDocxAsync(CancellationToken cancellationToken)
    {
        var paper = await notices.GetAsync(Id, User.ToActor(), cancellationToken);
        var file = new MemoryStream();
        await NoticeDocx.WriteAsync(file, paper, cancellationToken);
        file.Position = 0;
        return File(file, NoticeDocx.ContentType, NoticeDocx.FileName(paper));
    }

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is NotFoundException)
        {
            return false;
        }

        Failed = error.Message;
        return true;
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        base.ShowInvalid(error);
        Failed = string.Join(" ", error.Errors.SelectMany(e => e.Value));
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken) =>
        Paper = await notices.GetAsync(Id, User.ToActor(), cancellationToken);
}
