using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Instructions;

/// <summary>
/// One instruction: its text and 拟办意见, the units and their matters' status, the 交办 form (units, 13710 or 工作事项),
/// the scan upload, and the report to the leader (生成草稿 prefilled from the results, edit, 审核通过, 报送领导; print and Word).
/// </summary>
public sealed class InstructionModel(InstructionRegister register, UnitDirectory units, MatterAttachments attachments, AttachmentOptions attachmentOptions)
    : FormPageModel
{
    private long _id;
    private string _form = nameof(Assign);

    public InstructionDetails? Details { get; private set; }
    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    [BindProperty]
    public AssignForm Assign { get; set; } = new();

    [BindProperty]
    public ReportForm Report { get; set; } = new();

    /// <summary>The form a refusal belongs to (its messages show there).</summary>
    public string RefusedForm { get; private set; } = "";

    public async Task OnGetAsync(long id, CancellationToken cancellationToken)
    {
        _id = id;
        await ReloadAsync(cancellationToken);
        Report.Text = Details!.OpenReport?.Text;
    }

    /// <summary>交办 to the picked units.</summary>
    public async Task<IActionResult> OnPostAssignAsync(long id, CancellationToken cancellationToken)
    {
        (_id, _form) = (id, nameof(Assign));
        await register.AssignAsync(id, new AssignInstruction
        {
            Kind = Assign.Kind,
            Units = Assign.Units,
            CoUnits = Assign.CoUnits.Where(c => !Assign.Units.Contains(c)).ToList(),
            Title = Assign.Title,
            Goal = Assign.Goal,
            Standard = Assign.Standard,
            DueAt = Assign.DueAt,
            Register = Assign.Register,
            Version = Assign.Version,
        }, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Instructions/{id}#matters"));
    }

    /// <summary>A step on the report: draft, edit, approve or send (the button pressed).</summary>
    public async Task<IActionResult> OnPostReportAsync(long id, string step, CancellationToken cancellationToken)
    {
        (_id, _form) = (id, nameof(Report));
        await register.ReportAsync(id, new ReportStep
        {
            Action = step,
            Text = step is "edit" ? Report.Text : null,
            Partial = Report.Partial,
            Reason = Report.Reason,
            Version = Report.Version,
        }, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Instructions/{id}#report"));
    }

    /// <summary>办结归档.</summary>
    public async Task<IActionResult> OnPostCloseAsync(long id, int? version, CancellationToken cancellationToken)
    {
        (_id, _form) = (id, nameof(Report));
        await register.CloseAsync(id, version, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Instructions/{id}"));
    }

    /// <summary>The scan, stored on the first linked matter.</summary>
    public async Task<IActionResult> OnPostScanAsync(long id, IFormFile? scan, CancellationToken cancellationToken)
    {
        (_id, _form) = (id, "Scan");
        if (scan is null || scan.Length == 0)
        {
            throw ValidationFailedException.For("scan", "请选择扫描件文件。");
        }

        await using var content = scan.OpenReadStream();
        var stored = await attachments.StoreAsync(content, scan.FileName, attachmentOptions.Staff, cancellationToken);
        await register.AttachScanAsync(id, stored, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Instructions/{id}"));
    }

    /// <summary>The report in Word.</summary>
    public async Task<IActionResult> OnGetDocxAsync(long id, long? report, CancellationToken cancellationToken)
    {
        var (content, name) = await Api.InstructionsApi.DocumentAsync(id, report, User.ToActor(), register, cancellationToken);
        return File(content, ReviewBulletin.ContentType, name);
    }

    protected override string FieldKey(string field) => _form switch
    {
        nameof(Report) => PropertyKey(nameof(Report), field),
        "Scan" => "Scan",
        _ => PropertyKey(nameof(Assign), field.StartsWith("plan", StringComparison.Ordinal) ? "dueAt" : field),
    };

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ModelState.AddModelError(_form, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        RefusedForm = _form;
        Details = await register.GetAsync(_id, User.ToActor(), cancellationToken);
        Assign.Version ??= Details.Version;
        Report.Version = Details.Version; // a refused step is tried again on what is there now
        if (Details.MayManage)
        {
            Units = (await units.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
            Assign.DueAt ??= Details.Summary.DueOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The 交办 form.</summary>
    public sealed class AssignForm
    {
        public string Kind { get; set; } = "assignment";
        public List<string> Units { get; set; } = [];
        public List<string> CoUnits { get; set; } = [];
        public string? Title { get; set; }
        public string? Goal { get; set; }
        public string? Standard { get; set; }
        public string? DueAt { get; set; }
        public string Register { get; set; } = "key-work";
        public int? Version { get; set; }
    }

    /// <summary>The report form.</summary>
    public sealed class ReportForm
    {
        public string? Text { get; set; }
        public bool Partial { get; set; }
        public string? Reason { get; set; }
        public int? Version { get; set; }
    }

    /// <summary>A date and time as shown.</summary>
    public static string When(DateTimeOffset? at) => at is { } a ? Ui.When(a) : "—";
}
