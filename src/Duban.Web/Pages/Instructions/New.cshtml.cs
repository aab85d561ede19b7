using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Instructions;

/// <summary>登记批示件: the leader (picked, or a name), the date, the text, the document, the 拟办意见 and the report's time limit.</summary>
public sealed class NewModel(InstructionRegister register, TimeProvider clock) : FormPageModel
{
    public IReadOnlyList<LeaderChoice> Leaders { get; private set; } = [];

    [BindProperty]
    public RegisterForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!InstructionRegister.MayManage(User.ToActor()))
        {
            return Forbid();
        }

        Form.InstructedOn = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await ReloadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var id = await register.RegisterAsync(new NewInstruction
        {
            Leader = Form.Leader is { Length: > 0 } l && long.TryParse(l, System.Globalization.CultureInfo.InvariantCulture, out var leader) ? leader : null,
            LeaderName = Form.Leader is { Length: > 0 } ? null : Form.LeaderName,
            LeaderTitle = Form.LeaderTitle,
            InstructedOn = Form.InstructedOn,
            Text = Form.Text,
            SourceDocument = Form.SourceDocument,
            Proposal = Form.Proposal,
            DueOn = Form.DueOn,
        }, User.ToActor(), cancellationToken);
        return Redirect(FormattableString.Invariant($"/Instructions/{id}"));
    }

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field == "leader" ? "leaderName" : field);

    protected override bool ShowRefusal(Matters.DomainException error)
    {
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken) => Leaders = await register.LeadersAsync(cancellationToken);

    /// <summary>The form's fields.</summary>
    public sealed class RegisterForm
    {
        /// <summary>The picked leader's user id; empty for 「其他领导」 (then the name).</summary>
        public string? Leader { get; set; }

        public string? LeaderName { get; set; }
        public string? LeaderTitle { get; set; }
        public string? InstructedOn { get; set; }
        public string? Text { get; set; }
        public string? SourceDocument { get; set; }
        public string? Proposal { get; set; }
        public string? DueOn { get; set; }
    }
}
