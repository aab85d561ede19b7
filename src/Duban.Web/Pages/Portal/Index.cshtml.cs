using Duban.Appeals;
using Duban.Data;
using Duban.Data.Appeals;
using Duban.Matters;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Pages.Portal;

/// <summary>The public form (市民提交诉求): no sign-in; the intake unit receives what is submitted here.</summary>
[AllowAnonymous]
[RequestSizeLimit(Api.AppealsApi.MaxBodyBytes)]
public sealed class IndexModel(AppealIntake intake, DubanDbContext db) : PageModel
{
    /// <summary>The form's fields; a class (not the record) so model binding fills it.</summary>
    public sealed class PortalForm
    {
        public string? Title { get; set; }
        public string? Content { get; set; }
        public string? Category { get; set; }
        public string? Region { get; set; }
        public string? ContactName { get; set; }
        public string? ContactPhone { get; set; }
        public string? EnterpriseName { get; set; }

        /// <summary>Drawn when the form is shown, so a double click or a resend makes one appeal, not two.</summary>
        public string? SubmissionKey { get; set; }
    }

    [BindProperty]
    public PortalForm Form { get; set; } = new();

    public IReadOnlyList<(string Code, string Name)> Regions { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.SubmissionKey = Guid.NewGuid().ToString("N");
        Regions = await RegionsAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var actor = await intake.PortalActorAsync(cancellationToken);
            var registered = await intake.RegisterAsync(new AppealInput
            {
                Title = Form.Title,
                Content = Form.Content,
                Category = Form.Category,
                Region = Form.Region,
                ContactName = Form.ContactName,
                ContactPhone = Form.ContactPhone,
                EnterpriseName = Form.EnterpriseName,
            }, new Intake(actor, MatterSource.Web) { IdempotencyKey = Form.SubmissionKey is { Length: 32 } key ? key : null }, cancellationToken);
            return RedirectToPage("/Portal/Submitted", new { code = TrackingCode.Format(registered.TrackingCode) });
        }
        catch (ValidationFailedException e)
        {
            Errors = e.Errors;
        }
        catch (RuleConflictException e)
        {
            // The same form sent again with changed fields: treat it as a new submission.
            Errors = new Dictionary<string, string[]> { ["form"] = [e.Message] };
            Form.SubmissionKey = Guid.NewGuid().ToString("N");
        }

        Regions = await RegionsAsync(cancellationToken);
        return Page();
    }

    /// <summary>Counties and townships, in tree order, for the 所属区域 list.</summary>
    private async Task<IReadOnlyList<(string Code, string Name)>> RegionsAsync(CancellationToken cancellationToken)
    {
        var units = await db.Units.AsNoTracking()
            .Where(u => u.Active && (u.Level == UnitLevel.County || u.Level == UnitLevel.Township))
            .OrderBy(u => u.Path).Select(u => new { u.Code, u.Name, u.Level }).Take(2000).ToListAsync(cancellationToken);
        return units.Select(u => (u.Code, u.Level == UnitLevel.Township ? $"　{u.Name}" : u.Name)).ToList();
    }
}
