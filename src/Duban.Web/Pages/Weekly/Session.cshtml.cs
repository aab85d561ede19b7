using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Weekly;

/// <summary>One 周交办: its matters by lead unit, the units' 交办单, sending (下发) with a confirmation, and 上次交办落实情况.
/// A unit sees only its own matters and 交办单 (<see cref="WeeklySessions"/> decides).</summary>
public sealed class SessionModel(WeeklySessions weekly) : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public WeeklySessionDetails Details { get; private set; } = null!;

    public string? Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRemoveAsync(long matterId, CancellationToken cancellationToken)
    {
        await weekly.RemoveMatterAsync(Id, matterId, User.ToActor(), cancellationToken);
        TempData["done"] = "已移出该事项。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        await weekly.SendAsync(Id, User.ToActor(), cancellationToken);
        TempData["done"] = "已下发，各单位已收到通知和交办单。";
        return RedirectToPage();
    }

    protected override void ShowInvalid(ValidationFailedException error) =>
        Failed = string.Join(" ", error.Errors.SelectMany(e => e.Value));

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is NotFoundException)
        {
            return false;
        }

        Failed = error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Details = await weekly.GetAsync(Id, User.ToActor(), cancellationToken);
    }
}
