using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Inbox;

/// <summary>通知: the one place a unit's people read what the office told them (催办、督办, notices, extension
/// decisions), unread first, each marked read per person (<see cref="NoticeInbox"/>). The assigning side also sees the
/// extension requests waiting for a decision.</summary>
public sealed class IndexModel(NoticeInbox inbox, ExtensionRequests extensions) : FormPageModel
{
    public const int PageSize = 20;

    public InboxPageView Notices { get; private set; } = new([], 0, 0, 1, PageSize);

    /// <summary>Only unread notices (the 未读 tab).</summary>
    public bool UnreadOnly { get; private set; }

    /// <summary>Extension requests waiting for the viewer's side (empty for a unit that does not assign).</summary>
    public IReadOnlyList<ExtensionView> PendingExtensions { get; private set; } = [];

    public async Task OnGetAsync(string? show, int p = 1, CancellationToken cancellationToken = default)
    {
        var actor = User.ToActor();
        UnreadOnly = show == "unread";
        Notices = await inbox.PageAsync(actor, UnreadOnly, p, PageSize, cancellationToken);
        if (User.IsInRole("supervisor") || User.IsInRole("leader") || User.IsInRole("admin"))
        {
            PendingExtensions = await extensions.ListAsync(ExtensionStatus.Pending, actor, cancellationToken);
        }
    }

    /// <summary>Marks one notice read (for this person only).</summary>
    public async Task<IActionResult> OnPostReadAsync(long id, string? show, int p = 1, CancellationToken cancellationToken = default)
    {
        await inbox.MarkReadAsync(id, User.ToActor(), cancellationToken);
        TempData["done"] = "已标为已读。";
        return RedirectToPage(new { show, p });
    }

    /// <summary>Marks every notice now in the inbox read (for this person only).</summary>
    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        var count = await inbox.MarkAllReadAsync(User.ToActor(), cancellationToken);
        TempData["done"] = count == 0 ? "没有未读通知。" : $"已将 {count} 条通知标为已读。";
        return RedirectToPage();
    }

    /// <summary>Opens a notice's matter and marks the notice read on the way.</summary>
    public async Task<IActionResult> OnPostOpenAsync(long id, CancellationToken cancellationToken)
    {
        var link = await inbox.MarkReadAsync(id, User.ToActor(), cancellationToken);
        return link is not null && Url.IsLocalUrl(link) ? Redirect(link) : RedirectToPage();
    }

    /// <summary>The address of a page of the list.</summary>
    public string Link(bool unreadOnly, int page) =>
        Url.Page("/Inbox/Index", new { show = unreadOnly ? "unread" : null, p = page > 1 ? page : (int?)null }) ?? "/Inbox";
}
