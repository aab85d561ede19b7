using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment;

/// <summary>
/// One judging session. A judge, on a phone first: one unit at a time, each criterion a number with its maximum,
/// 提交 after a confirmation (scores cannot be changed), their own submitted scores and 已评 3/8. The office: who has
/// scored (never the scores) while it is open, and 结束评审. Once closed, everyone who may see it sees each unit's
/// combined score and each judge's scores.
/// </summary>
public sealed class JudgeModel(JudgingSessions judging) : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>The unit being scored.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Unit { get; set; }

    /// <summary>The scores as typed, in the order of the criteria.</summary>
    [BindProperty]
    public List<string?> Score { get; set; } = [];

    public JudgingSessionView View { get; private set; } = null!;

    /// <summary>The signed-in judge's user id.</summary>
    public long? Me { get; private set; }

    public string? Failed { get; private set; }

    /// <summary>Messages beside the criteria, by index.</summary>
    public Dictionary<int, string> Errors { get; } = [];

    public bool Open => View.Status == JudgingStatus.Open;

    /// <summary>The units this judge has scored.</summary>
    public IReadOnlySet<long> MineScored => View.Scored.Where(s => s.JudgeUserId == Me).Select(s => s.UnitId).ToHashSet();

    /// <summary>The unit on the scoring card: the one asked for, else the first not scored yet; null when all are.</summary>
    public JudgingEntryView? Current { get; private set; }

    /// <summary>The period's name (2024年第一季度).</summary>
    public string PeriodLabel => View.PeriodKey is var key && TryParse(key) is { } p ? p.Label : key;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostScoreAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        View = await judging.GetAsync(Id, actor, cancellationToken);
        var criteria = View.Rules.Criteria;
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < criteria.Count; i++)
        {
            var v = AssessmentUi.Number(i < Score.Count ? Score[i] : null);
            if (v is null)
            {
                problems[criteria[i].Name] = [$"请为「{criteria[i].Name}」打分。"];
            }
            else if (double.IsNaN(v.Value))
            {
                problems[criteria[i].Name] = [$"「{criteria[i].Name}」须填数字。"];
            }
            else
            {
                scores[criteria[i].Name] = v.Value;
            }
        }

        if (problems.Count > 0)
        {
            throw new ValidationFailedException(problems);
        }

        var unit = Unit ?? throw ValidationFailedException.For("unit", "请选择要打分的单位。");
        await judging.ScoreAsync(Id, unit, scores, actor, cancellationToken);
        var name = View.Entries.FirstOrDefault(e => e.Unit.Id == unit)?.Unit.Name;
        TempData["done"] = $"已提交对{name}的评分。";
        return Redirect(FormattableString.Invariant($"/Assessment/Judge?id={Id}"));
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken)
    {
        await judging.CloseAsync(Id, User.ToActor(), cancellationToken);
        TempData["done"] = "评审已结束，分数已计入考评结果。";
        return Redirect(FormattableString.Invariant($"/Assessment/Judge?id={Id}"));
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var criteria = View?.Rules.Criteria ?? [];
        foreach (var (field, messages) in error.Errors)
        {
            var i = criteria.ToList().FindIndex(c => c.Name == field);
            if (i >= 0)
            {
                Errors[i] = string.Join(" ", messages);
            }
            else
            {
                Failed = (Failed is null ? "" : Failed + " ") + string.Join(" ", messages);
            }
        }
    }

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is not RuleConflictException)
        {
            return false;
        }

        Failed = error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Me = Enterprises.PersonOf(actor);
        View = await judging.GetAsync(Id, actor, cancellationToken);
        var mine = MineScored;
        Current = View.Entries.FirstOrDefault(e => e.Unit.Id == Unit && (!mine.Contains(e.Unit.Id) || Request.Method == HttpMethods.Post))
            ?? View.Entries.FirstOrDefault(e => !mine.Contains(e.Unit.Id));
    }

    private static ReviewPeriod? TryParse(string key)
    {
        try
        {
            return ReviewPeriod.Parse(key, new DateOnly(2100, 12, 31));
        }
        catch (ValidationFailedException)
        {
            return null;
        }
    }
}
