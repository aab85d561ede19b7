using Duban.Assessment;
using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Duban.Web.Pages.Lists;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Targets;

/// <summary>One target set: every unit's (and cadre's) progress with ranks and xlsx export; the office sets goals and
/// decides reports; a unit reports its 手工填报 progress, with files as evidence (证明材料) added while the report awaits the
/// office's decision.</summary>
[RequestSizeLimit(Api.AttachmentsApi.MaxPageBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPageBodyBytes)]
public sealed class SetModel(TargetTasks tasks, UnitDirectory unitDirectory, Enterprises enterprises, AttachmentOwners owners,
    AttachmentOptions attachmentOptions) : FormPageModel
{
    public TargetBoard? Board { get; private set; }
    public IReadOnlyList<TargetReportView> Reports { get; private set; } = [];
    public IReadOnlyList<UnitView> Units { get; private set; } = [];
    public IReadOnlyList<CadreView> Cadres { get; private set; } = [];
    public string? Failed { get; private set; }

    /// <summary>How many files and how large, said under the file fields.</summary>
    public AttachmentLimits UploadLimits => attachmentOptions.Staff;

    /// <summary>The reports the reader may still add files to (pending, on their own targets, period open).</summary>
    public HashSet<long> Attachable { get; } = [];

    /// <summary>The report whose file upload was refused, and why.</summary>
    public (long Report, string Message)? AttachRefused { get; private set; }

    /// <summary>The reader's own 手工填报 targets, which they may report on.</summary>
    public IReadOnlyList<TargetRow> Reportable { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Item { get; set; }

    [BindProperty]
    public string? Owner { get; set; }

    [BindProperty]
    public double? Goal { get; set; }

    [BindProperty]
    public long GoalId { get; set; }

    [BindProperty]
    public double? Amount { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public long ReportId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The progress table as xlsx, with Chinese headings.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken cancellationToken)
    {
        var board = await tasks.ProgressAsync(Id, User.ToActor(), cancellationToken);
        var rows = board.Rows.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["任务"] = r.Item,
            ["单位或包联干部"] = r.Owner.Name,
            ["计量单位"] = r.Measure,
            ["统计方式"] = Duban.Assessment.Targets.Label(r.Source),
            ["完成数"] = r.Done,
            ["目标数"] = r.Goal,
            ["完成率"] = TargetUi.Percent(r.Completion),
            ["序时进度"] = TargetUi.Percent(r.Expected),
            ["落后于序时进度"] = r.Behind ? "是" : "否",
            ["同项排名"] = r.Rank,
            ["待确认填报"] = r.Pending,
        });
        return await Xlsx.FileAsync($"目标任务-{board.Set.Name}-{board.Set.Period}.xlsx", "目标进度", rows, cancellationToken);
    }

    public async Task<IActionResult> OnPostGoalAsync(CancellationToken cancellationToken)
    {
        var set = await tasks.GetAsync(Id, cancellationToken);
        var owner = Owner ?? "";
        var goal = owner.StartsWith("cadre:", StringComparison.Ordinal)
            ? new TargetGoalInput(Item, null, owner[6..], Goal)
            : new TargetGoalInput(Item, owner.StartsWith("unit:", StringComparison.Ordinal) ? owner[5..] : null, null, Goal);
        await tasks.SaveAsync(new TargetSetInput(set.Name, set.Period, [], [goal]), User.ToActor(), cancellationToken: cancellationToken);
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostReportAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        var limits = UploadLimits;
        var stored = await PageUploads.StoreAsync(files, limits, (content, name) => owners.StoreAsync(content, name, limits, cancellationToken),
            required: false, cancellationToken);
        await tasks.ReportAsync(GoalId, Amount, Note, stored, User.ToActor(), cancellationToken);
        return RedirectToPage(new { Id });
    }

    /// <summary>补充证明材料: more files to a pending report.</summary>
    public async Task<IActionResult> OnPostAttachAsync(CancellationToken cancellationToken)
    {
        var owner = AttachmentOwner.TargetReport(ReportId);
        var actor = User.ToActor();
        var limits = UploadLimits;
        await owners.CheckMayAttachAsync(owner, actor, cancellationToken);
        var stored = await PageUploads.StoreAsync(Request.Form.Files.GetFiles("files"), limits,
            (content, name) => owners.StoreAsync(content, name, limits, cancellationToken), required: true, cancellationToken);
        await owners.AttachAsync(owner, stored, actor, cancellationToken);
        return Redirect(Url.Page("/Assessment/Targets/Set", new { Id }) + FormattableString.Invariant($"#report-{ReportId}"));
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        await tasks.DecideAsync(ReportId, true, Reason, User.ToActor(), cancellationToken);
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostRejectAsync(CancellationToken cancellationToken)
    {
        await tasks.DecideAsync(ReportId, false, Reason, User.ToActor(), cancellationToken);
        return RedirectToPage(new { Id });
    }

    /// <summary>goals[0].goal → goal, goals[0].unit → owner; a decision's reason is kept per report.</summary>
    protected override string FieldKey(string field) => field switch
    {
        _ when field.EndsWith(".unit", StringComparison.Ordinal) || field.EndsWith(".cadre", StringComparison.Ordinal) => "owner",
        "reason" => $"reason-{ReportId}",
        _ => field[(field.LastIndexOf('.') + 1)..],
    };

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is NotFoundException or ForbiddenException)
        {
            return false;
        }

        if (Request.Query["handler"] == "Attach")
        {
            AttachRefused = (ReportId, error.Message); // beside the report's own file field
            return true;
        }

        Failed = error.Message;
        return true;
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Board = await tasks.ProgressAsync(Id, actor, cancellationToken);
        Reports = await tasks.ReportsAsync(Id, actor, cancellationToken);
        var person = Enterprises.PersonOf(actor);
        Reportable = Board.Rows.Where(r => r.Source == TargetSource.Manual
            && ((r.Owner.UnitId == actor.UnitId && actor.Roles.Any(x => x != Role.Cadre)) || (r.Owner.CadreId is { } c && c == person))).ToList();
        var own = Reportable.Select(r => r.GoalId).ToHashSet();
        foreach (var report in Reports.Where(r => r.State == TargetReportState.Pending && own.Contains(r.GoalId)))
        {
            if (await owners.MayAttachAsync(AttachmentOwner.TargetReport(report.Id), actor, cancellationToken))
            {
                Attachable.Add(report.Id);
            }
        }

        if (Board.MayManage)
        {
            Units = (await unitDirectory.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
            Cadres = await enterprises.CadresAsync(cancellationToken);
        }
    }
}
