using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Reception;

/// <summary>受理回执: what the person who came or called is handed — the tracking code, what was recorded, who handles it
/// and by when, and where to follow it. Printable on one A4 page; contact data masked as everywhere for staff.</summary>
public sealed class ReceiptModel(AppealQueries appeals, NotificationOptions links, Rules rules) : PageModel
{
    public AppealDetails Appeal { get; private set; } = null!;

    /// <summary>The portal's tracking page, as the public reaches it.</summary>
    public string TrackUrl { get; private set; } = "";

    /// <summary>The time-limit rule's name as people know it (13710 限时办结).</summary>
    public string ProfileName => rules.Profiles.FirstOrDefault(p => p.Name == Appeal.Matter.Profile)?.DisplayName ?? Appeal.Matter.Profile;

    public async Task OnGetAsync(string code, CancellationToken cancellationToken)
    {
        Appeal = await appeals.GetAsync(code, User.ToActor(), cancellationToken);
        TrackUrl = links.Link("/portal/track");
    }
}
