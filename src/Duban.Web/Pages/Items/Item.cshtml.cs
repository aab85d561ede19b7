using System.Globalization;
using Duban.Attachments;
using Duban.Calendar;
using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Items;

/// <summary>
/// A work item's page: its colour and why, the plan, the progress reports (the lead unit's, then the co-units' shares),
/// the children with their roll-up and the people; the lead unit's forms (填报进度, 完成节点, 新增节点, 申请调整节点) and
/// a co-unit's 填报本单位进展. The generic steps (签收, 审核, 催办 …) stay on the matter page, linked.
/// </summary>
[RequestSizeLimit(Api.AttachmentsApi.MaxPageBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPageBodyBytes)]
public sealed class ItemModel(WorkItems items, MatterAttachments attachments, AttachmentOptions attachmentOptions, MatterPeople people,
    ExtensionRequests extensions, TimeProvider clock) : FormPageModel
{
    private long _id;

    public ItemDetails Details { get; private set; } = null!;

    public IReadOnlyList<AttachmentView> Files { get; private set; } = [];

    public IReadOnlyList<PersonView> People { get; private set; } = [];

    public bool MayAttach { get; private set; }

    public AttachmentLimits UploadLimits => attachmentOptions.Staff;

    /// <summary>Why the item has its colour, in a sentence.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>The form that was refused (progress, meet, node, extend), so it opens again with the messages.</summary>
    public string? Draft { get; private set; }

    /// <summary>A refusal that is about no one field.</summary>
    public string? Message { get; private set; }

    /// <summary>After a successful form (<c>?done=progress</c> on the redirect): which one.</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public string? DoneKey { get; set; }

    /// <summary>What was done, said once above the page.</summary>
    public string? Done => Draft is not null ? null : DoneKey switch
    {
        "progress" => "进度已填报。",
        "meet" => "节点已完成。",
        "node" => "节点已增加。",
        "extend" => "调整申请已提交，待交办方审批。",
        _ => null,
    };

    public bool IsLead => User.ToActor().UnitId == Details.Item.LeadUnit.Id;

    public bool MayReport => Details.AllowedActions.Contains(MatterAction.Progress);

    public bool MayMeet => Details.AllowedActions.Contains(MatterAction.Meet);

    public bool MayPlan => Details.AllowedActions.Contains(MatterAction.Plan);

    /// <summary>申请调整节点: the lead unit, while the item runs, for an unmet node.</summary>
    public bool MayAskToMove => IsLead && Details.Item.Status is MatterStatus.Assigned or MatterStatus.Acknowledged && UnmetNodes.Count > 0;

    public IReadOnlyList<ItemMilestoneView> UnmetNodes => Details.Nodes.Where(n => n.MetAt is null).ToList();

    public async Task OnGetAsync(long id, CancellationToken cancellationToken)
    {
        _id = id;
        await ReloadAsync(cancellationToken);
    }

    /// <summary>填报进度 (the lead unit; a co-unit reports its own share): files are uploaded to the item first, once the
    /// report's own fields are known to be acceptable, so a refused report leaves no stray files.</summary>
    public async Task<IActionResult> OnPostProgressAsync(long id, int? percent, string? done, string? problems, string? next, string? reason,
        List<IFormFile> files, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, "progress");
        var actor = User.ToActor();
        var input = new ProgressInput(percent, done, problems, next, reason, null);
        var chosen = Chosen(files);
        if (chosen.Count > 0)
        {
            var current = await items.GetAsync(id, actor, cancellationToken);
            var lead = actor.UnitId == current.Item.LeadUnit.Id;
            var plain = percent is null or < 0 or > 100 || string.IsNullOrWhiteSpace(done)
                || (lead && current.Item.Percent is { } last && percent < last && string.IsNullOrWhiteSpace(reason));
            if (!plain)
            {
                input = input with { Files = await UploadAsync(id, chosen, cancellationToken) };
            }
        }

        await items.ReportAsync(id, input, actor, cancellationToken);
        return Redirect(Url.Page("/Items/Item", new { id, done = Draft }) + "#progress");
    }

    /// <summary>完成节点 with a note and evidence files.</summary>
    public async Task<IActionResult> OnPostMeetAsync(long id, int node, string? note, List<IFormFile> files, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, "meet");
        var chosen = Chosen(files);
        IReadOnlyList<long>? ids = chosen.Count > 0 && !string.IsNullOrWhiteSpace(note) ? await UploadAsync(id, chosen, cancellationToken) : null;
        await items.MeetAsync(id, node, new MeetInput(note, ids), User.ToActor(), cancellationToken);
        return Redirect(Url.Page("/Items/Item", new { id, done = Draft }) + "#plan");
    }

    /// <summary>新增节点.</summary>
    public async Task<IActionResult> OnPostNodeAsync(long id, string? name, string? dueAt, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, "node");
        await items.AddNodeAsync(id, new NodeInput(name, dueAt), User.ToActor(), cancellationToken);
        return Redirect(Url.Page("/Items/Item", new { id, done = Draft }) + "#plan");
    }

    /// <summary>申请调整节点: the extension request, naming the node; the assigning side decides on 督查室's list.</summary>
    public async Task<IActionResult> OnPostExtendAsync(long id, int? node, string? dueAt, string? reason, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, "extend");
        if (node is not > 0)
        {
            throw ValidationFailedException.For("node", "请选择要调整的节点。");
        }

        await extensions.RequestAsync(id, null, dueAt, reason, User.ToActor(), cancellationToken, node);
        return Redirect(Url.Page("/Items/Item", new { id, done = Draft }) + "#plan");
    }

    protected override string FieldKey(string field) => $"{Draft}.{field}";

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Message = error is ConcurrencyConflictException ? "提交未执行：事项已被他人更新，请核对后重新提交。" : error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Details = await items.GetAsync(_id, actor, cancellationToken);
        Files = await attachments.ListAsync(_id, actor, cancellationToken);
        MayAttach = await attachments.MayAttachAsync(_id, actor, cancellationToken);
        People = await people.ForMatterAsync(_id, actor, cancellationToken);
        Reason = Explain(Details, ChinaTime.DateOf(clock.GetUtcNow()));
    }

    /// <summary>
    /// Why the item has its (stored) colour, as the office says it: red 「节点“开工”已超期 3 天。」; yellow 「第2期进度填报已超期
    /// 1 天未填报；进度 30%，序时进度 55%。」 or 「进度 30%，序时进度 55%，滞后 25 个百分点。」; green 「进度 60%，序时进度 55%，按计划推进。」.
    /// </summary>
    public static string Explain(ItemDetails details, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(details);
        var item = details.Item;
        if (item.Status is MatterStatus.Reported or MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed)
        {
            return $"{item.StatusName}：办结已报，计为绿色。";
        }

        var percent = item.Percent ?? 0;
        var expected = details.ExpectedPercent is { } e ? (int)Math.Round(e, MidpointRounding.AwayFromZero) : (int?)null;
        var pace = expected is { } x
            ? string.Create(CultureInfo.InvariantCulture, $"进度 {percent}%，序时进度 {x}%")
            : string.Create(CultureInfo.InvariantCulture, $"进度 {percent}%");
        switch (item.Colour)
        {
            case Colour.Red:
                var late = details.Nodes.Where(n => n.MetAt is null && n.Date < today).ToList();
                return late.Count == 0
                    ? "有时间节点超期。"
                    : string.Join("；", late.Select(n => string.Create(CultureInfo.InvariantCulture, $"节点“{n.Name}”已超期 {today.DayNumber - n.Date.DayNumber} 天"))) + "。";
            case Colour.Yellow:
                if (details.Reports.FirstOrDefault(r => r.MetAt is null && r.Date < today) is { } report)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{report.Name}已超期 {today.DayNumber - report.Date.DayNumber} 天未填报；{pace}。");
                }

                return expected is { } exp && exp > percent
                    ? string.Create(CultureInfo.InvariantCulture, $"{pace}，滞后 {exp - percent} 个百分点。")
                    : $"{pace}。";
            default:
                return $"{pace}，按计划推进。";
        }
    }

    private static List<IFormFile> Chosen(List<IFormFile> files) =>
        files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList(); // an empty field sends one nameless part

    private async Task<IReadOnlyList<long>> UploadAsync(long id, List<IFormFile> chosen, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var limits = attachmentOptions.Staff;
        await attachments.CheckMayAttachAsync(id, actor, cancellationToken);
        limits.CheckCount(chosen.Count);
        var stored = new List<AttachedFile>();
        foreach (var file in chosen)
        {
            await using var content = file.OpenReadStream();
            stored.Add(await attachments.StoreAsync(content, file.FileName, limits, cancellationToken));
        }

        return (await attachments.AttachAsync(id, stored, actor, cancellationToken)).Select(a => a.Id).ToList();
    }
}
