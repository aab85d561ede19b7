using System.Globalization;
using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Competitions;

/// <summary>
/// One 比拼: its stages and each stage's leaderboard, the overall leaderboard (weighted total, rank, award); a unit's
/// 自评申报 and the office's 择优筛选; 发布公示, objections during the 公示 and the office's answers, 确定结果.
/// Refusals (a second entry, an objection after the 公示, fixing too early, a file refused) are shown on the page in Chinese.
/// An entry carries files (附件): chosen on the 申报 form, or added to the unit's entry until the office decides it.
/// </summary>
[RequestSizeLimit(Api.AttachmentsApi.MaxPageBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPageBodyBytes)]
public sealed class CompetitionModel(AssessmentCompetitions competitions, AttachmentOwners owners, AttachmentOptions attachmentOptions, TimeProvider clock)
    : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public CompetitionView? View { get; private set; }

    public bool MayEnter { get; private set; }

    public long ReaderUnit { get; private set; }

    public DateOnly Today => Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow());

    /// <summary>How many files and how large, said under the file fields.</summary>
    public AttachmentLimits UploadLimits => attachmentOptions.Staff;

    /// <summary>Whether the reader may still add files to the entry: its unit's, while undecided and the competition runs.</summary>
    public bool MayAttach(EntryView entry) =>
        entry is not null && MayEnter && View is { Status: CompetitionStatus.Running } && entry.Unit.Id == ReaderUnit && entry.Status == EntryStatus.Submitted;

    /// <summary>A refusal, by the form it answers (enter, decide-{id}, publish, object, answer-{id}, finalize).</summary>
    public Dictionary<string, string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>Field messages, by form and field (enter.text, object.text, decide-{id}.reason, answer-{id}.answer).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [BindProperty]
    public string? Stage { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The address of a competition's page.</summary>
    public static string Link(long id) => string.Create(CultureInfo.InvariantCulture, $"/Assessment/Competitions/{id}");

    /// <summary>进行中 / 公示中 / 已确定.</summary>
    public static string StatusName(CompetitionStatus status) => status switch
    {
        CompetitionStatus.Running => "进行中",
        CompetitionStatus.Publicised => "公示中",
        _ => "已确定",
    };

    /// <summary>The badge's colour.</summary>
    public static string StatusClass(CompetitionStatus status) => status switch
    {
        CompetitionStatus.Running => "status-open",
        CompetitionStatus.Publicised => "status-draft",
        _ => "status-published",
    };

    /// <summary>已申报 / 入围 / 未入围.</summary>
    public static string EntryName(EntryStatus status) => status switch
    {
        EntryStatus.Submitted => "待筛选",
        EntryStatus.Shortlisted => "入围",
        _ => "未入围",
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostEnterAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        var limits = UploadLimits;
        var stored = await PageUploads.StoreAsync(files, limits, (content, name) => owners.StoreAsync(content, name, limits, cancellationToken),
            required: false, cancellationToken);
        await competitions.EnterAsync(Id, Stage, Text, stored, User.ToActor(), cancellationToken);
        return Back(stored.Count == 0 ? "已提交自评申报，等待督查室筛选。" : FormattableString.Invariant($"已提交自评申报和 {stored.Count} 个附件，等待督查室筛选。"), "entries");
    }

    /// <summary>补充附件: more files to the unit's entry, until the office decides it.</summary>
    public async Task<IActionResult> OnPostAttachAsync(long entry, List<IFormFile> files, CancellationToken cancellationToken)
    {
        var owner = AttachmentOwner.Entry(entry);
        var actor = User.ToActor();
        var limits = UploadLimits;
        await owners.CheckMayAttachAsync(owner, actor, cancellationToken);
        var stored = await PageUploads.StoreAsync(files, limits, (content, name) => owners.StoreAsync(content, name, limits, cancellationToken),
            required: true, cancellationToken);
        await owners.AttachAsync(owner, stored, actor, cancellationToken);
        return Back(FormattableString.Invariant($"已上传 {stored.Count} 个附件。"), FormattableString.Invariant($"entry-{entry}"));
    }

    public async Task<IActionResult> OnPostDecideAsync(long entry, bool shortlisted, CancellationToken cancellationToken)
    {
        await competitions.DecideAsync(entry, shortlisted, Reason, User.ToActor(), cancellationToken);
        return Back(shortlisted ? "已确定入围。" : "已确定不入围。", "entries");
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        await competitions.PublishAsync(Id, User.ToActor(), cancellationToken);
        return Back("已发布公示。", "publicity");
    }

    public async Task<IActionResult> OnPostObjectAsync(CancellationToken cancellationToken)
    {
        await competitions.ObjectAsync(Id, Text, User.ToActor(), cancellationToken);
        return Back("已提交异议，督查室将作出答复。", "publicity");
    }

    public async Task<IActionResult> OnPostAnswerAsync(long objection, CancellationToken cancellationToken)
    {
        await competitions.AnswerAsync(objection, Text, User.ToActor(), cancellationToken);
        return Back("已答复异议。", "publicity");
    }

    public async Task<IActionResult> OnPostFinalizeAsync(CancellationToken cancellationToken)
    {
        await competitions.FinalizeAsync(Id, User.ToActor(), cancellationToken);
        return Back("已确定最终名次和奖项。", "overall");
    }

    private RedirectResult Back(string done, string anchor)
    {
        TempData["done"] = done;
        return Redirect(Link(Id) + "#" + anchor);
    }

    /// <summary>The form a post came from: its handler, and the entry or objection it is about.</summary>
    private string Form()
    {
        var handler = (Request.Query["handler"].ToString() is { Length: > 0 } h ? h : Request.Form["handler"].ToString()).ToLowerInvariant();
        return handler switch
        {
            "decide" => "decide-" + Request.Query["entry"],
            "attach" => "attach-" + Request.Query["entry"],
            "answer" => "answer-" + Request.Query["objection"],
            _ => handler,
        };
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var form = Form();
        foreach (var (field, messages) in error.Errors)
        {
            Errors[$"{form}.{field}"] = string.Join(" ", messages);
        }
    }

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is not (RuleConflictException or AttachmentRefusedException))
        {
            return false;
        }

        Refused[Form()] = error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        ReaderUnit = actor.UnitId;
        View = await competitions.GetAsync(Id, actor, cancellationToken);
        MayEnter = !View.Manages && (actor.Has(Role.Handler) || actor.Has(Role.Leader));
    }
}
