using Duban.Attachments;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages;

[RequestSizeLimit(Api.AttachmentsApi.MaxPageBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPageBodyBytes)]
public sealed class MatterModel(MatterQueries queries, ActOnMatter act, MatterAttachments attachments, AttachmentOptions attachmentOptions,
    MatterPeople people, Campaigns campaigns, Supervision supervision, ExtensionRequests extensions, AccountabilityList accountability,
    UnitCatalog units, PeopleCatalog pickable, DubanDbContext db) : FormPageModel
{
    private const string Stale = "提交未执行：在您打开本页之后，事项已被他人更新。请先查看以下变化，再决定是否重新提交。";

    private long _id;
    private int? _seenVersion;
    private bool _stale;

    public MatterDetails? Details { get; private set; }

    /// <summary>The matter's attachments (附件).</summary>
    public IReadOnlyList<AttachmentView> Attachments { get; private set; } = [];

    /// <summary>Whether the viewer may add files now (the upload form is shown only then).</summary>
    public bool MayAttach { get; private set; }

    /// <summary>Why the last upload was refused, shown beside the file field.</summary>
    public string? UploadError { get; private set; }

    public AttachmentLimits UploadLimits => attachmentOptions.Staff;

    public string? Message { get; private set; }

    /// <summary>The people named on the matter (责任领导、责任人、联络员、包案领导).</summary>
    public IReadOnlyList<PersonView> People { get; private set; } = [];

    /// <summary>Whether the viewer may change them (the assigning side or the lead unit): the form is shown only then.</summary>
    public bool MayChangePeople { get; private set; }

    /// <summary>The change form's rows: as submitted after a refusal, else the people now named and blank rows.</summary>
    public List<PersonRow> PeopleRows { get; private set; } = [];

    /// <summary>The people offered before any typing in the change form: those of the matter's lead and co-units.</summary>
    public IReadOnlyList<PickableUser> Offered { get; private set; } = [];

    /// <summary>The campaigns (专项行动) the matter is tagged with.</summary>
    public IReadOnlyList<CampaignView> MatterCampaigns { get; private set; } = [];

    /// <summary>All campaigns, for the office's tag form (empty for anyone else: the form is not shown).</summary>
    public IReadOnlyList<CampaignChoice> CampaignChoices { get; private set; } = [];

    /// <summary>After a stale form: what others did since the version the form was drawn from.</summary>
    public IReadOnlyList<EventView> ChangedSince { get; private set; } = [];

    /// <summary>The action and text of a form that was not applied, so nothing typed is lost.</summary>
    public (string Action, string? Note)? Draft { get; private set; }

    /// <summary>Whether the viewer may 催办/督办 the matter (the assigning side, while it is open): the form is shown only then.</summary>
    public bool MayUrge { get; private set; }

    /// <summary>Whether the viewer may 列入问责 (the assigning side): the form is shown only then.</summary>
    public bool MayListAccountability { get; private set; }

    /// <summary>The matter's extension requests and which extension forms the viewer gets.</summary>
    public MatterExtensions Extensions { get; private set; } = new([], false, false);

    /// <summary>The history: the lifecycle's events and the 催办/督办 given by hand, oldest first.</summary>
    public IReadOnlyList<HistoryRow> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Details = await queries.GetAsync(id, User.ToActor(), cancellationToken);
        await LoadAttachmentsAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>One step of the lifecycle. 反馈 may carry photos (the phone's camera) stored as attachments in the same
    /// post, and the place the browser reported; 销号 must be confirmed; 批准延期 names the milestone and the new date.</summary>
    public async Task<IActionResult> OnPostAsync(long id, string action, string? note, bool? accepted, string? satisfaction,
        string? unit, int? version, string? milestone, string? dueAt, string? location, bool? confirmed, List<IFormFile>? photos,
        CancellationToken cancellationToken)
    {
        if (!WireEnum.TryParse<MatterAction>(action, out var parsed))
        {
            return BadRequest();
        }

        (_id, _seenVersion, Draft) = (id, version, (action, note)); // for the page drawn again if the action is refused
        var actor = User.ToActor();
        if (parsed == MatterAction.Close && confirmed != true)
        {
            throw new RuleConflictException("未销号：请在确认框中点击「确认销号」。");
        }

        var command = new MatterCommand(parsed)
        {
            Note = WithLocation(note, parsed == MatterAction.Feedback ? location : null),
            Accepted = accepted,
            Satisfaction = WireEnum.TryParse<Satisfaction>(satisfaction, out var s) ? s : null,
            ExpectedVersion = version,
        };
        if (parsed == MatterAction.Extend)
        {
            var (stage, node) = ParseMilestone(milestone);
            command = command with
            {
                Stage = stage,
                Node = node,
                NewDueAt = ParseDue(dueAt),
                Note = string.IsNullOrWhiteSpace(note) ? "同意延期" : note,
            };
        }

        if (parsed == MatterAction.Transfer)
        {
            // The unit picker's box is sent only without script: the text then names the unit (UnitPicker.Resolve).
            var (code, error) = UnitPicker.Resolve(await units.GetAsync(db, cancellationToken), unit, Request.Form[UnitPicker.SearchField("unit")]);
            unit = error is null ? code : throw ValidationFailedException.For("unit", error);
        }

        IReadOnlyList<AttachedFile> stored = [];
        if (parsed == MatterAction.Feedback && photos is { Count: > 0 })
        {
            // Checked and stored first: a refused photo leaves the feedback unsent, with the text still in the form.
            var limits = attachmentOptions.Staff;
            await attachments.CheckMayAttachAsync(id, actor, cancellationToken);
            stored = await PageUploads.StoreAsync(photos, limits, (content, name) => attachments.StoreAsync(content, name, limits, cancellationToken),
                required: false, cancellationToken);
        }

        await act.ExecuteAsync(id, command, unit, actor, cancellationToken);
        if (stored.Count > 0)
        {
            await attachments.AttachAsync(id, stored, actor, cancellationToken);
        }

        TempData["done"] = DoneText(parsed, accepted, stored.Count);
        return RedirectToPage(new { id });
    }

    /// <summary>催办 or 督办 from the matter's page (those allowed: the office and leaders), through the same service as
    /// the 督查室 board; the history then shows it, and the lead unit finds it in its 通知.</summary>
    public async Task<IActionResult> OnPostUrgeAsync(long id, string? kind, string? level, string? message, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ($"m{id}", message));
        var supervise = kind == "supervise";
        SupervisionLevel? parsed = null;
        if (supervise)
        {
            parsed = WireEnum.TryParse<SupervisionLevel>(level, out var l) && l != SupervisionLevel.None
                ? l
                : throw ValidationFailedException.For("level", "请选择督办级别。");
        }

        await supervision.UrgeOrSuperviseAsync(id, supervise ? EscalationKind.Supervise : EscalationKind.Urge, parsed, message, User.ToActor(), cancellationToken);
        TempData["done"] = supervise ? $"已{Labels.Of(parsed!.Value)}，牵头单位已收到通知。" : "已催办，牵头单位已收到通知。";
        return Redirect(Url.Page("/Matter", new { id }) + "#history");
    }

    /// <summary>列入问责 (人工列入) by the assigning side: the unit (the lead unit unless another on the matter is chosen),
    /// the stage, and the reason; then the list shows it.</summary>
    public async Task<IActionResult> OnPostAccountabilityAsync(long id, string? unit, string? stage, string? reason, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ("accountability", reason));
        await accountability.AddAsync(id, unit, stage, reason, User.ToActor(), cancellationToken);
        TempData["done"] = "已列入问责清单。";
        return Redirect("/Lists/Accountability?status=pending");
    }

    /// <summary>延期申请 by the lead unit: which milestone, the new date, the reason; the office decides.</summary>
    public async Task<IActionResult> OnPostExtensionAsync(long id, string? milestone, string? dueAt, string? reason, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ("extension", reason));
        var (stage, node) = ParseMilestone(milestone);
        await extensions.RequestAsync(id, WireEnum.Name(stage), dueAt, reason, User.ToActor(), cancellationToken, stage.IsClock() ? null : node);
        TempData["done"] = "已提交延期申请，等待交办方审批。";
        return Redirect(Url.Page("/Matter", new { id }) + "#extensions");
    }

    /// <summary>The office's decision on a request: approve with a date (the requested one unless changed), or refuse
    /// with a reason.</summary>
    public async Task<IActionResult> OnPostDecideAsync(long id, long request, bool? approve, string? dueAt, string? note, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ($"x{request}", note));
        if (approve is null)
        {
            throw ValidationFailedException.For("approve", "请选择批准延期或不予延期。");
        }

        if (approve == false && string.IsNullOrWhiteSpace(note))
        {
            throw ValidationFailedException.For("note", "不予延期须说明理由。");
        }

        var decided = await extensions.DecideAsync(request, approve, string.IsNullOrWhiteSpace(dueAt) ? null : dueAt, note, User.ToActor(), cancellationToken);
        if (decided.MatterId != id)
        {
            return NotFound();
        }

        TempData["done"] = approve == true
            ? $"已批准延期，期限延至 {Ui.Due(decided.DecidedDueAt!.Value)}，申请单位已收到通知。"
            : "已不予延期，申请单位已收到通知和理由。";
        return Redirect(Url.Page("/Matter", new { id }) + "#extensions");
    }

    /// <summary>The milestone field's value: a stage's wire name, or <c>node-3</c> for a work item's node.</summary>
    public static string MilestoneValue(Stage stage, int node) =>
        stage.IsClock() ? WireEnum.Name(stage) : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{WireEnum.Name(stage)}-{node}");

    private static (Stage Stage, int Node) ParseMilestone(string? value)
    {
        var text = value?.Trim() ?? "";
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var stageText = dash < 0 ? text : text[..dash];
        var node = 0;
        if (!WireEnum.TryParse<Stage>(stageText, out var stage)
            || (dash >= 0 && !int.TryParse(text[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out node))
            || (!stage.IsClock() && node <= 0))
        {
            throw ValidationFailedException.For("milestone", "请选择要延期的节点。");
        }

        return (stage, node);
    }

    /// <summary>A deadline as a date field's value: 24:00 of a day is that day, not the next.</summary>
    public static string DateValue(DateTimeOffset due)
    {
        var local = Duban.Calendar.ChinaTime.ToLocal(due);
        return (local.TimeOfDay == TimeSpan.Zero ? local.AddDays(-1) : local).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset ParseDue(string? text) =>
        !string.IsNullOrWhiteSpace(text) && Duban.Calendar.ChinaTime.TryParseDeadline(text, out var due)
            ? due
            : throw ValidationFailedException.For("dueAt", "请选择新的期限。");

    /// <summary>The place the phone reported, kept with the feedback's text (optional: the feedback never waits for it).</summary>
    private static string? WithLocation(string? note, string? location)
    {
        var place = location?.Trim();
        if (string.IsNullOrEmpty(place) || string.IsNullOrWhiteSpace(note))
        {
            return note;
        }

        return $"{note.TrimEnd()}\n（{(place.Length > 200 ? place[..200] : place)}）";
    }

    private static string DoneText(MatterAction action, bool? accepted, int photos) => action switch
    {
        MatterAction.Acknowledge => "已签收。",
        MatterAction.Feedback => photos > 0 ? $"已提交进展反馈，附照片 {photos} 张。" : "已提交进展反馈。",
        MatterAction.Complete => "已申请办结，等待交办方审核。",
        MatterAction.Verify => accepted == false ? "已退回重办，牵头单位将重新办理。" : "审核通过。",
        MatterAction.Rate => "已记录回访评价。",
        MatterAction.Close => "已销号，事项办结归档。",
        MatterAction.Transfer => "已转办，新的牵头单位已收到通知。",
        MatterAction.Reopen => "已重新办理，期限重新起算。",
        MatterAction.Return => "已退回交办方。",
        MatterAction.Extend => "已延期，新的期限已生效。",
        _ => $"已{Labels.Of(action)}。",
    };

    /// <summary>上传附件 from the page's form. ASP.NET has already spooled the parts to temporary files (bounded memory);
    /// each is then checked and stored like an API upload.</summary>
    public async Task<IActionResult> OnPostUploadAsync(long id, List<IFormFile> files, CancellationToken cancellationToken)
    {
        _id = id;
        var actor = User.ToActor();
        var limits = attachmentOptions.Staff;
        await attachments.CheckMayAttachAsync(id, actor, cancellationToken);
        var stored = await PageUploads.StoreAsync(files, limits, (content, name) => attachments.StoreAsync(content, name, limits, cancellationToken),
            required: true, cancellationToken);

        await attachments.AttachAsync(id, stored, actor, cancellationToken);
        TempData["done"] = $"已上传 {stored.Count} 个附件。";
        return Redirect(Url.Page("/Matter", new { id }) + "#attachments");
    }

    /// <summary>更改责任人员: the whole list, recorded on the history.</summary>
    public async Task<IActionResult> OnPostPeopleAsync(long id, List<PersonRow> rows, string? peopleNote, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ("people", peopleNote));
        PeopleRows = rows;
        await people.SetAsync(id, new PeopleChange { People = PersonRow.ToInput(rows, await pickable.GetAsync(db, cancellationToken)), Note = peopleNote }, User.ToActor(), cancellationToken);
        TempData["done"] = "已保存责任人员，并记入办理记录。";
        return Redirect(Url.Page("/Matter", new { id }) + "#people");
    }

    /// <summary>列入专项行动 (the office): the whole list of campaigns.</summary>
    public async Task<IActionResult> OnPostCampaignsAsync(long id, List<long> tags, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ("campaigns", null));
        await campaigns.TagAsync(id, tags, User.ToActor(), cancellationToken);
        TempData["done"] = "已保存专项行动。";
        return Redirect(Url.Page("/Matter", new { id }) + "#people");
    }

    /// <summary>An action's field errors beside its form's fields.</summary>
    protected override string FieldKey(string field) => $"{Draft?.Action}.{field}";

    /// <summary>A refused action above the actions; a refused upload beside the file field (the upload keeps no draft).</summary>
    protected override bool ShowRefusal(DomainException error)
    {
        if (Draft is null)
        {
            UploadError = error.Message;
        }
        else
        {
            Message = error is ConcurrencyConflictException ? Stale : error.Message;
        }

        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Details = await queries.GetAsync(_id, User.ToActor(), cancellationToken);
        await LoadAttachmentsAsync(_id, cancellationToken);
        if (_seenVersion is { } seen && seen < Details.Version)
        {
            // Someone else acted since the form was drawn: show their events instead of overwriting them.
            ChangedSince = Details.Events.Where(e => e.Sequence > seen).ToList();
            Message = Stale;
            _stale = true;
        }
    }

    protected override int StatusOf(DomainException error) => _stale ? StatusCodes.Status409Conflict : base.StatusOf(error);

    private async Task LoadAttachmentsAsync(long id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Attachments = await attachments.ListAsync(id, actor, cancellationToken);
        MayAttach = await attachments.MayAttachAsync(id, actor, cancellationToken);
        People = await people.ForMatterAsync(id, actor, cancellationToken);
        MayChangePeople = await people.MayChangeAsync(id, actor, cancellationToken);
        if (MayChangePeople)
        {
            if (Details is { } shown)
            {
                Offered = (await pickable.GetAsync(db, cancellationToken)).Find(null, [shown.LeadUnit.Code, .. shown.CoUnits.Select(u => u.Code)]);
            }

            if (PeopleRows.Count == 0)
            {
                PeopleRows = PersonRow.From(People, 2);
            }
        }

        MayUrge = await supervision.MayUrgeAsync(id, actor, cancellationToken);
        MayListAccountability = await accountability.MayAddAsync(id, actor, cancellationToken);
        Extensions = await extensions.ForMatterAsync(id, actor, cancellationToken);
        if (Details is { } d)
        {
            History = HistoryRow.Merge(d.Events, d.Urges ?? []);
        }

        MatterCampaigns = await campaigns.ForMatterAsync(id, actor, cancellationToken);
        CampaignChoices = Campaigns.MayManage(actor) ? await campaigns.ChoicesAsync(cancellationToken) : [];
    }
}

/// <summary>One row of the 办理记录 table: a lifecycle event, or a 催办/督办 given by hand (<see cref="Urge"/> set).</summary>
public sealed record HistoryRow(DateTimeOffset At, string Action, string Actor, string? Note, UrgeView? Urge = null)
{
    /// <summary>Events and urges by time; at the same instant the event first (the order they were written in).</summary>
    public static IReadOnlyList<HistoryRow> Merge(IReadOnlyList<EventView> events, IReadOnlyList<UrgeView> urges) =>
        events.Select((e, i) => (Row: new HistoryRow(e.At, e.ActionName, e.ActorName + (e.ActorUnit is { } u ? $"（{u.Name}）" : ""), e.Note), Order: 0, i))
            .Concat(urges.Select((u, i) => (Row: new HistoryRow(u.At, u.Name, u.ActorName ?? "", u.Message, u), Order: 1, i)))
            .OrderBy(x => x.Row.At).ThenBy(x => x.Order).ThenBy(x => x.i).Select(x => x.Row).ToList();
}
