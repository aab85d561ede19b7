using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Lists;

/// <summary>问责清单: the deadline engine's and the office's entries (<see cref="AccountabilityList"/>), filtered by
/// status, each with its history; the assigning side works them here (约谈 / 通报 / 问责 / 撤销 with a reason) and puts
/// matters on the list by hand (人工列入, the matter picked by code or title). Exported as xlsx.</summary>
public sealed class AccountabilityModel(AccountabilityList accountability) : FormPageModel
{
    /// <summary>The status filter's choices, in the order people work them.</summary>
    public static IReadOnlyList<AccountabilityStatus> Statuses { get; } =
    [
        AccountabilityStatus.Pending, AccountabilityStatus.Interviewed, AccountabilityStatus.Notified, AccountabilityStatus.Held,
        AccountabilityStatus.Withdrawn,
    ];

    private const int Choices = 300;

    public IReadOnlyList<AccountabilityView> Entries { get; private set; } = [];

    /// <summary>The status shown (wire name), or null for all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>Whether the viewer is on an assigning side at all (the forms are shown; each entry's matter decides).</summary>
    public bool MayWork { get; private set; }

    /// <summary>Open matters for the 人工列入 picker.</summary>
    public IReadOnlyList<AccountabilityMatterChoice> MatterChoices { get; private set; } = [];

    /// <summary>Why the last form was refused, at the top.</summary>
    public string? Failed { get; private set; }

    /// <summary>The entry whose form was refused (its form stays open with what was typed).</summary>
    public long? FailedEntry { get; private set; }

    /// <summary>Whether the 人工列入 form was refused (it stays open with what was typed).</summary>
    public bool AddFailed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    /// <summary>约谈 / 通报 / 问责 / 撤销 (撤销 needs a reason).</summary>
    public async Task<IActionResult> OnPostChangeAsync(long entry, string? to, string? note, CancellationToken cancellationToken)
    {
        FailedEntry = entry;
        await accountability.ChangeAsync(entry, to, note, User.ToActor(), cancellationToken);
        TempData["done"] = WireEnum.TryParse<AccountabilityStatus>(to, out var s) && s == AccountabilityStatus.Withdrawn
            ? "已撤销，理由已记入处理记录。"
            : $"已记为「{(WireEnum.TryParse<AccountabilityStatus>(to, out var t) ? Labels.Of(t) : to)}」。";
        return Redirect(FormattableString.Invariant($"/Lists/Accountability?status={Status}#entry-{entry}"));
    }

    /// <summary>人工列入 from the list: the matter by its code (the picker offers code and title), the lead unit, a reason.</summary>
    public async Task<IActionResult> OnPostAddAsync(string? matter, string? stage, string? reason, CancellationToken cancellationToken)
    {
        AddFailed = true;
        var actor = User.ToActor();
        var id = await accountability.MatterIdAsync(matter, actor, cancellationToken);
        var entry = await accountability.AddAsync(id, null, stage, reason, actor, cancellationToken);
        TempData["done"] = "已列入问责清单。";
        return Redirect(FormattableString.Invariant($"/Lists/Accountability?status=pending#entry-{entry}"));
    }

    /// <summary>The same workbook as <c>GET /api/accountability/export.xlsx</c>, for people signed in to the pages.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var entries = await accountability.ListAsync(StatusFilter(), User.ToActor(), AccountabilityList.ExportMax, cancellationToken);
        var stream = new MemoryStream();
        await AccountabilityWorkbook.WriteAsync(stream, entries, cancellationToken);
        stream.Position = 0;
        return File(stream, AccountabilityWorkbook.ContentType, "问责清单.xlsx");
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Failed = "未执行：" + string.Join(" ", error.Errors.SelectMany(e => e.Value));
    }

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Failed = "未执行：" + error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Entries = await accountability.ListAsync(StatusFilter(), actor, AccountabilityList.ListMax, cancellationToken);
        MayWork = AccessRules.MayAssign(actor);
        MatterChoices = MayWork ? await accountability.MatterChoicesAsync(actor, Choices, cancellationToken) : [];
    }

    private AccountabilityStatus? StatusFilter() => WireEnum.TryParse<AccountabilityStatus>(Status, out var s) ? s : null;

    /// <summary>The filter's tabs: 全部 and one per status.</summary>
    public IReadOnlyList<TabLink> Tabs() =>
    [
        new("全部", "/Lists/Accountability", null, string.Empty, StatusFilter() is null),
        .. Statuses.Select(s => new TabLink(Labels.Of(s) == "撤销" ? "已撤销" : Labels.Of(s), $"/Lists/Accountability?status={WireEnum.Name(s)}", null, string.Empty,
            StatusFilter() == s)),
    ];
}
