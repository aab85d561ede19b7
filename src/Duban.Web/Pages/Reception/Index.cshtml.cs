using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Reception;

/// <summary>
/// 受理登记: staff register an appeal brought in person (来访) or by phone (来电) — the 首接 unit is theirs, the routing
/// rules or the chosen unit handle it — and print its 受理回执 with the tracking code for the person in front of them.
/// </summary>
public sealed class IndexModel(AppealIntake intake, UnitDirectory directory) : FormPageModel
{
    /// <summary>The channels staff register through, as the form offers them.</summary>
    public static IReadOnlyList<(MatterSource Channel, string Label)> Channels { get; } =
        [(MatterSource.Hotline, "来电（热线）"), (MatterSource.Offline, "来访（线下）")];

    /// <summary>The form's fields: the portal's, plus what an operator records.</summary>
    public sealed class StaffForm : Portal.AppealFields
    {
        public string? Channel { get; set; }
        public string? EnterpriseCode { get; set; }

        /// <summary>承办单位 chosen by the operator; empty: the routing rules decide, or the receiving unit keeps it (首接首办).</summary>
        public string? LeadUnit { get; set; }
    }

    [BindProperty]
    public StaffForm Form { get; set; } = new();

    public IReadOnlyList<(string Code, string Name)> Regions { get; private set; } = [];

    /// <summary>Units that may take the appeal, in tree order.</summary>
    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.SubmissionKey = Guid.NewGuid().ToString("N");
        Form.Channel = WireEnum.Name(MatterSource.Hotline);
        await ReloadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var channel = Channels.Select(c => c.Channel).FirstOrDefault(c => WireEnum.Name(c) == Form.Channel, AppealIntake.UnknownChannel);
        var registered = await intake.RegisterAsync(Form.ToInput() with
        {
            EnterpriseCode = Form.EnterpriseCode,
            LeadUnit = string.IsNullOrWhiteSpace(Form.LeadUnit) ? null : Form.LeadUnit,
        }, new Intake(User.ToActor(), channel) { IdempotencyKey = Form.Key }, cancellationToken);
        TempData["done"] = "已受理登记，请打印受理回执交给诉求人。";
        return RedirectToPage("/Reception/Receipt", new { code = TrackingCode.Format(registered.TrackingCode) });
    }

    protected override void ShowInvalid(ValidationFailedException error) => Errors = error.Errors;

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is not RuleConflictException)
        {
            return false;
        }

        // The same form sent again with changed fields: a new submission.
        Errors = new Dictionary<string, string[]> { ["form"] = [error.Message] };
        Form.SubmissionKey = Guid.NewGuid().ToString("N");
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Units = (await directory.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
        Regions = Units.Where(u => u.Level is UnitLevel.County or UnitLevel.Township)
            .Select(u => (u.Code, u.Level == UnitLevel.Township ? $"　{u.Name}" : u.Name)).ToList();
    }
}
