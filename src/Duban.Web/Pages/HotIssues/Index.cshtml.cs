using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Pages.HotIssues;

/// <summary>
/// 热点问题: the issues raised again and again over a period, hottest first, each with its matters; from one the office
/// starts a 批处理 (点办理、批处理): the typical case and its like, to be answered once.
/// </summary>
public sealed class IndexModel(HotIssueQueries hotIssues, Batches batches, DubanDbContext db, TimeProvider clock) : FormPageModel
{
    /// <summary>First day (Beijing), default the first of this month.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Last day, inclusive; default today.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>A county or township code: matters led there or below.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Region { get; set; }

    public IReadOnlyList<HotIssueView> Issues { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name)> Regions { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!AccessRules.MayAssign(User.ToActor()))
        {
            return Forbid();
        }

        await ReloadAsync(cancellationToken);
        return Page();
    }

    /// <summary>建立批处理 from a hot issue: its typical matter and every matter of it.</summary>
    public async Task<IActionResult> OnPostBatchAsync(long typical, List<long> members, CancellationToken cancellationToken)
    {
        var id = await batches.CreateAsync(new NewBatch(typical, members), User.ToActor(), cancellationToken);
        TempData["done"] = $"已建立批处理，共 {members.Count} 件。";
        return RedirectToPage("/HotIssues/Batch", new { id });
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var from = Day(From) ?? new DateOnly(today.Year, today.Month, 1);
        var to = Day(To) ?? today;
        (From, To) = (Text(from), Text(to));
        Regions = (await db.Units.AsNoTracking().Where(u => u.Active && (u.Level == UnitLevel.County || u.Level == UnitLevel.Township))
                .OrderBy(u => u.Path).Select(u => new { u.Code, u.Name, u.Level }).Take(2000).ToListAsync(cancellationToken))
            .Select(u => (u.Code, u.Level == UnitLevel.Township ? $"　{u.Name}" : u.Name)).ToList();
        if (to < from)
        {
            Problem = "结束日期不能早于开始日期。";
            return;
        }

        try
        {
            // A matter raised once is no hot issue: only those raised two times or more.
            Issues = (await hotIssues.RankAsync(ChinaTime.StartOf(from), ChinaTime.StartOf(to.AddDays(1)), Region, User.ToActor(), cancellationToken))
                .Where(h => h.Count >= 2).Take(50).ToList();
        }
        catch (ValidationFailedException ex)
        {
            Problem = string.Join(" ", ex.Errors.Values.SelectMany(v => v)); // too many matters, or an unknown region: say so, narrow it
        }
    }

    private static DateOnly? Day(string? text) =>
        Calendar.ChinaTime.TryParseDate(text, out var day) ? day : null;

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
