using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Pages.Assessment.Judging;

/// <summary>开启评审: a scheme with 评委打分 and one of its periods, a title, the units judged (ticked among the scheme's
/// group) and the judges (picked among the people with an account).</summary>
public sealed class OpenModel(AssessmentSchemes schemes, AssessmentResults results, JudgingSessions judging, DubanDbContext db, TimeProvider clock)
    : FormPageModel
{
    [BindProperty(SupportsGet = true, Name = "scheme")]
    public long? SchemeId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public List<long> Units { get; set; } = [];

    [BindProperty]
    public List<long> Judges { get; set; } = [];

    public IReadOnlyList<SchemeView> Schemes { get; private set; } = [];

    public SchemeView? Scheme { get; private set; }

    public IReadOnlyList<ReviewPeriod> Periods { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name)> Candidates { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name, string Unit)> People { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var id = await judging.OpenAsync(new NewJudgingSession(SchemeId ?? 0, Period, Title, Units, Judges), User.ToActor(), cancellationToken);
        TempData["done"] = $"已开启评审「{Title?.Trim()}」，评委可在「评审打分」中打分。";
        return Redirect(FormattableString.Invariant($"/Assessment/Judge?id={id}"));
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (field, messages) in error.Errors)
        {
            Errors[field] = string.Join(" ", messages);
        }
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        AssessmentSchemesAccess(actor);
        Schemes = (await schemes.ListAsync(cancellationToken)).Where(s => s.Rules.Judging is not null).ToList();
        Scheme = Schemes.FirstOrDefault(s => s.Id == SchemeId) ?? Schemes.FirstOrDefault();
        if (Scheme is null)
        {
            return;
        }

        SchemeId = Scheme.Id;
        var today = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow());
        Periods = AssessmentUi.Periods(Scheme, today);
        if (Periods.All(p => p.Key != Period))
        {
            // A session judges the period under way, or the latest one.
            Period = Periods.FirstOrDefault()?.Key;
        }

        if (Period is not null)
        {
            var table = await results.GetAsync(Scheme.Id, Period, actor, cancellationToken);
            Candidates = table.Rows.OrderBy(r => r.Code, StringComparer.Ordinal).Select(r => (r.UnitId, r.Name)).ToList();
        }

        People = (await db.Users.AsNoTracking().OrderBy(u => u.Unit!.Path).ThenBy(u => u.DisplayName)
                .Select(u => new { u.Id, u.DisplayName, Unit = u.Unit!.Name }).ToListAsync(cancellationToken))
            .Select(u => (u.Id, u.DisplayName, u.Unit)).ToList();
    }

    private static void AssessmentSchemesAccess(Actor actor)
    {
        if (!actor.Has(Role.Supervisor) && !actor.Has(Role.Admin))
        {
            throw new ForbiddenException("评审由督查室开启。");
        }
    }
}
