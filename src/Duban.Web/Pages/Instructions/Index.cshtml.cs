using System.Globalization;
using Duban.Data;
using Duban.Instructions;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Instructions;

/// <summary>领导批示件: the office's register with filters (leader, status, year); a leader is sent to 「我的批示」.</summary>
public sealed class IndexModel(InstructionRegister register, TimeProvider clock) : PageModel
{
    public IReadOnlyList<InstructionSummary> Items { get; private set; } = [];
    public IReadOnlyList<LeaderChoice> Leaders { get; private set; } = [];
    public IReadOnlyList<int> Years { get; private set; } = [];
    public bool MayManage { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Leader { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        MayManage = InstructionRegister.MayManage(actor);
        if (!MayManage && actor.Has(Matters.Role.Leader))
        {
            return Redirect("/Instructions/Mine");
        }

        InstructionStatus? status = WireEnum.TryParse<InstructionStatus>(Status, out var s) ? s : null;
        Items = await register.ListAsync(new InstructionFilter { Leader = Leader, Status = status, Year = Year }, actor, cancellationToken);
        Leaders = MayManage ? await register.LeadersAsync(cancellationToken) : [];
        var thisYear = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow()).Year;
        Years = Enumerable.Range(thisYear - 4, 5).Reverse().ToList();
        return Page();
    }

    /// <summary>A date as the register shows it: 2026-03-02.</summary>
    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The pill class of a status.</summary>
    public static string PillOf(InstructionStatus status, bool overdue) => overdue ? "pill pill-overdue" : status switch
    {
        InstructionStatus.Registered => "pill pill-pending",
        InstructionStatus.Assigned or InstructionStatus.InProgress => "pill pill-soon",
        InstructionStatus.ResultsIn => "pill pill-late",
        _ => "pill pill-ok",
    };
}
