using Duban.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Admin;

/// <summary>节假日: the years the calendar knows; add next year's State Council notice by upload or paste
/// (the same code as <c>duban calendar add-year</c>).</summary>
public sealed class CalendarModel(Rules rules, DubanDbContext db, TimeProvider clock) : PageModel
{
    public const int MaxNoticeBytes = 64 * 1024;

    public IReadOnlyList<(int Year, int OffDays, int MakeUpDays)> Years { get; private set; } = [];

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostAsync(string? json, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is { Length: > MaxNoticeBytes })
        {
            ModelState.AddModelError("file", $"文件不能超过 {MaxNoticeBytes / 1024} KB。");
        }
        else
        {
            if (file is { Length: > 0 })
            {
                using var reader = new StreamReader(file.OpenReadStream());
                json = await reader.ReadToEndAsync(cancellationToken);
            }

            if (string.IsNullOrWhiteSpace(json))
            {
                ModelState.AddModelError("json", "请粘贴通知 JSON 或选择文件。");
            }
            else
            {
                try
                {
                    var notice = await rules.SaveCalendarYearAsync(db, json, clock.GetUtcNow(), cancellationToken);
                    TempData["done"] = $"{notice.Year} 年：放假 {notice.Days.Count(d => d.IsOffDay)} 天，调休上班 {notice.Days.Count(d => !d.IsOffDay)} 天，已保存并生效。";
                    return RedirectToPage();
                }
                catch (FormatException ex)
                {
                    // The notice parser's own error (not a domain refusal, so not PageErrors'), beside the pasted JSON.
                    ModelState.AddModelError("json", ex.Message);
                }
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        Load();
        return Page();
    }

    private void Load() => Years = rules.Calendar.Notices.OrderBy(n => n.Year)
        .Select(n => (n.Year, n.Days.Count(d => d.IsOffDay), n.Days.Count(d => !d.IsOffDay))).ToList();
}
