using Duban.Data;
using Duban.Documents;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Notices;

/// <summary>通知书: the papers this person may see, by step (待审定 for leaders, 拟办中 and 已下发 for the office) and kind.</summary>
public sealed class IndexModel(NoticeDocuments notices) : PageModel
{
    /// <summary>pending, drafting, returned, issued, or empty for all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>assignment, supervision, or empty for both.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    public IReadOnlyList<NoticeSummary> Items { get; private set; } = [];

    /// <summary>Whether the reader sees drafts (the office and leaders): the step tabs are shown only then.</summary>
    public bool SeesSteps { get; private set; }

    public bool IsLeader { get; private set; }

    public bool MayDraft { get; private set; }

    public bool RequireApproval => notices.RequireApproval;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        IsLeader = actor.Has(Role.Leader);
        MayDraft = NoticeDocuments.MayDraftAny(actor);
        SeesSteps = IsLeader || MayDraft;
        if (Status is not ("pending" or "drafting" or "returned" or "issued"))
        {
            // A leader comes here to approve: 待审定 first (while approval is on).
            Status = Status is null && IsLeader && !MayDraft && notices.RequireApproval ? "pending" : "";
        }

        NoticeKind? kind = NoticeDocuments.TryParseKind(Kind, out var k) ? k : null;
        Kind = kind is { } parsed ? WireEnum.Name(parsed) : "";
        Items = await notices.ListAsync(kind, SeesSteps ? Status : "issued", actor, cancellationToken);
    }

    /// <summary>The list's address with one filter changed.</summary>
    public string Link(string? status = null, string? kind = null)
    {
        var s = status ?? Status ?? "";
        var k = kind ?? Kind ?? "";
        return $"/Notices?status={Uri.EscapeDataString(s)}&kind={Uri.EscapeDataString(k)}";
    }
}
