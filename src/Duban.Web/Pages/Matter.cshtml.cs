using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages;

[RequestSizeLimit(Api.AttachmentsApi.MaxPageBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPageBodyBytes)]
public sealed class MatterModel(MatterQueries queries, ActOnMatter act, MatterAttachments attachments, AttachmentOptions attachmentOptions,
    MatterPeople people, Campaigns campaigns) : FormPageModel
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

    public IReadOnlyList<PickableUser> Users { get; private set; } = [];

    /// <summary>The campaigns (专项行动) the matter is tagged with.</summary>
    public IReadOnlyList<CampaignView> MatterCampaigns { get; private set; } = [];

    /// <summary>All campaigns, for the office's tag form (empty for anyone else: the form is not shown).</summary>
    public IReadOnlyList<CampaignView> CampaignChoices { get; private set; } = [];

    /// <summary>After a stale form: what others did since the version the form was drawn from.</summary>
    public IReadOnlyList<EventView> ChangedSince { get; private set; } = [];

    /// <summary>The action and text of a form that was not applied, so nothing typed is lost.</summary>
    public (string Action, string? Note)? Draft { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Details = await queries.GetAsync(id, User.ToActor(), cancellationToken);
        await LoadAttachmentsAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, string action, string? note, bool? accepted, string? satisfaction,
        string? unit, int? version, CancellationToken cancellationToken)
    {
        if (!WireEnum.TryParse<MatterAction>(action, out var parsed))
        {
            return BadRequest();
        }

        (_id, _seenVersion, Draft) = (id, version, (action, note)); // for the page drawn again if the action is refused
        var command = new MatterCommand(parsed)
        {
            Note = note,
            Accepted = accepted,
            Satisfaction = WireEnum.TryParse<Satisfaction>(satisfaction, out var s) ? s : null,
            ExpectedVersion = version,
        };
        await act.ExecuteAsync(id, command, unit, User.ToActor(), cancellationToken);
        return RedirectToPage(new { id });
    }

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
        return Redirect(Url.Page("/Matter", new { id }) + "#attachments");
    }

    /// <summary>更改责任人员: the whole list, recorded on the history.</summary>
    public async Task<IActionResult> OnPostPeopleAsync(long id, List<PersonRow> rows, string? peopleNote, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ("people", peopleNote));
        PeopleRows = rows;
        await people.SetAsync(id, new PeopleChange { People = PersonRow.ToInput(rows), Note = peopleNote }, User.ToActor(), cancellationToken);
        return Redirect(Url.Page("/Matter", new { id }) + "#people");
    }

    /// <summary>列入专项行动 (the office): the whole list of campaigns.</summary>
    public async Task<IActionResult> OnPostCampaignsAsync(long id, List<long> tags, CancellationToken cancellationToken)
    {
        (_id, Draft) = (id, ("campaigns", null));
        await campaigns.TagAsync(id, tags, User.ToActor(), cancellationToken);
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
            Users = await people.PickableUsersAsync(cancellationToken);
            if (PeopleRows.Count == 0)
            {
                PeopleRows = PersonRow.From(People, 2);
            }
        }

        MatterCampaigns = await campaigns.ForMatterAsync(id, actor, cancellationToken);
        CampaignChoices = Campaigns.MayManage(actor) ? await campaigns.ListAsync(actor, cancellationToken) : [];
    }
}
