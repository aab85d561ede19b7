using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages;

/// <summary>督查室: what is overdue or escalated across the viewer's subtree, extension requests to decide, the
/// accountability list and the 回头看 queue. Every action goes through <see cref="Supervision"/>, <see cref="ExtensionRequests"/>,
/// <see cref="AccountabilityList"/> or <see cref="LookBacks"/>, which check the actor again.</summary>
public sealed class SupervisionModel(MatterQueries queries, Supervision supervision, ExtensionRequests extensions, AccountabilityList accountability,
    LookBacks lookBacks) : FormPageModel
{
    /// <summary>超期与督办 rows a page: as many as the work list shows.</summary>
    public const int AttentionPageSize = 50;

    private string _form = "";

    /// <summary>The page of 超期与督办 shown (<c>p</c>), 1 first.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public MatterPage Attention { get; private set; } = new([], 0, 1, AttentionPageSize);

    public IReadOnlyList<ExtensionView> Extensions { get; private set; } = [];

    public IReadOnlyList<AccountabilityView> Accountability { get; private set; } = [];

    public IReadOnlyList<LookBackView> LookBackQueue { get; private set; } = [];

    public string? Failed { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>催办 or 督办 (with a level) one matter, with a message to its lead unit.</summary>
    public Task<IActionResult> OnPostUrgeAsync(long id, string kind, string? level, string? message, CancellationToken cancellationToken) =>
        RunAsync($"m{id}", async actor =>
        {
            var supervise = kind == "supervise";
            SupervisionLevel? parsed = null;
            if (supervise)
            {
                parsed = WireEnum.TryParse<SupervisionLevel>(level, out var l) && l != SupervisionLevel.None
                    ? l
                    : throw ValidationFailedException.For("level", "请选择督办级别：一般、重点或挂牌。");
            }

            await supervision.UrgeOrSuperviseAsync(id, supervise ? EscalationKind.Supervise : EscalationKind.Urge, parsed, message, actor, cancellationToken);
            return supervise ? $"已{Labels.Of(parsed!.Value)}。" : "已催办。";
        });

    /// <summary>Approve (with a date) or reject an extension request.</summary>
    public Task<IActionResult> OnPostDecideAsync(long id, bool? approve, string? dueAt, string? note, CancellationToken cancellationToken) =>
        RunAsync($"x{id}", async actor =>
        {
            await extensions.DecideAsync(id, approve, string.IsNullOrWhiteSpace(dueAt) ? null : dueAt, note, actor, cancellationToken);
            return approve == true ? "已批准延期。" : "已不予延期。";
        });

    /// <summary>Move an accountability entry on, or withdraw it with a reason.</summary>
    public Task<IActionResult> OnPostAccountabilityAsync(long id, string? status, string? note, CancellationToken cancellationToken) =>
        RunAsync($"a{id}", async actor =>
        {
            await accountability.ChangeAsync(id, status, note, actor, cancellationToken);
            return "问责清单已更新。";
        });

    /// <summary>Record a 回头看: holds, or rebounded (which reopens the matter).</summary>
    public Task<IActionResult> OnPostLookBackAsync(long id, string? result, string? note, CancellationToken cancellationToken) =>
        RunAsync($"l{id}", async actor =>
        {
            await lookBacks.RecordAsync(id, result, note, actor, cancellationToken);
            return result == "rebounded" ? "已记录反弹，事项已重新办理。" : "已记录：整改成果巩固。";
        });

    /// <summary>Runs one action; on success redirects (so a reload does not repeat it) to the page of 超期与督办 it was
    /// sent from; a refusal shows the board again with the messages beside the form's fields (keys prefixed by
    /// <paramref name="form"/>).</summary>
    private async Task<IActionResult> RunAsync(string form, Func<Actor, Task<string>> action)
    {
        _form = form;
        TempData["done"] = await action(User.ToActor());
        return PageNumber > 1 ? RedirectToPage(new { p = PageNumber }) : RedirectToPage();
    }

    /// <summary>The board's address at a page of 超期与督办, scrolled to it.</summary>
    public static string AttentionLink(int page) => page > 1 ? $"/supervision?p={page}#attention" : "/supervision#attention";

    protected override string FieldKey(string field) => $"{_form}.{field}";

    protected override void ShowInvalid(ValidationFailedException error)
    {
        base.ShowInvalid(error);
        Failed = "未执行：请按提示修改。";
    }

    protected override bool ShowRefusal(DomainException error)
    {
        Failed = error.Message;
        return true;
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Attention = await queries.ListAsync(
            new MatterFilter { Attention = true, Page = Math.Clamp(PageNumber, 1, 100_000), PageSize = AttentionPageSize }, actor, cancellationToken);
        Extensions = await extensions.ListAsync(ExtensionStatus.Pending, actor, cancellationToken);
        Accountability = (await accountability.ListAsync(null, actor, AccountabilityList.ListMax, cancellationToken))
            .Where(a => a.Status != AccountabilityStatus.Withdrawn).ToList();
        LookBackQueue = await lookBacks.ListAsync(dueOnly: true, actor, cancellationToken);
    }
}
