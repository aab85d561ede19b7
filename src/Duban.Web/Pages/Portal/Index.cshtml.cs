using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Pages.Portal;

/// <summary>The public form (市民提交诉求): no sign-in; the intake unit receives what is submitted here.</summary>
[AllowAnonymous]
[RequestSizeLimit(Api.AttachmentsApi.MaxPortalBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPortalBodyBytes)]
public sealed class IndexModel(AppealIntake intake, DubanDbContext db, MatterAttachments attachments, AttachmentOptions attachmentOptions) : FormPageModel
{
    /// <summary>The form's fields (<see cref="AppealFields"/>).</summary>
    public sealed class PortalForm : AppealFields;

    [BindProperty]
    public PortalForm Form { get; set; } = new();

    /// <summary>Optional attachments (附件), within the portal's smaller limits.</summary>
    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    public Duban.Attachments.AttachmentLimits UploadLimits => attachmentOptions.Portal;

    public IReadOnlyList<(string Code, string Name)> Regions { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.SubmissionKey = Guid.NewGuid().ToString("N");
        Regions = await RegionsAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Blobs are written before the appeal's transaction; if it then fails they stay unreferenced, which is harmless.
        var files = await StoreFilesAsync(cancellationToken);
        var actor = await intake.PortalActorAsync(cancellationToken);
        var registered = await intake.RegisterAsync(Form.ToInput(),
            new Intake(actor, MatterSource.Web) { IdempotencyKey = Form.Key, Files = files }, cancellationToken);
        return RedirectToPage("/Portal/Submitted", new { code = TrackingCode.Format(registered.TrackingCode) });
    }

    protected override void ShowInvalid(ValidationFailedException error) => Errors = error.Errors;

    protected override bool ShowRefusal(DomainException error)
    {
        switch (error)
        {
            case Duban.Attachments.AttachmentRefusedException:
                Errors = new Dictionary<string, string[]> { ["files"] = [error.Message] };
                return true;
            case RuleConflictException:
                // The same form sent again with changed fields: treat it as a new submission.
                Errors = new Dictionary<string, string[]> { ["form"] = [error.Message] };
                Form.SubmissionKey = Guid.NewGuid().ToString("N");
                return true;
            default:
                return false;
        }
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken) => Regions = await RegionsAsync(cancellationToken);

    /// <summary>The public form is drawn again with 200: its messages are the answer.</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    private async Task<IReadOnlyList<Duban.Attachments.AttachedFile>> StoreFilesAsync(CancellationToken cancellationToken)
    {
        var chosen = Files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList(); // an empty field sends one nameless part
        if (chosen.Count == 0)
        {
            return [];
        }

        UploadLimits.CheckCount(chosen.Count);
        var stored = new List<Duban.Attachments.AttachedFile>();
        foreach (var file in chosen)
        {
            await using var content = file.OpenReadStream();
            stored.Add(await attachments.StoreAsync(content, file.FileName, UploadLimits, cancellationToken));
        }

        return stored;
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

/// <summary>An appeal's fields as the portal and the staff form (受理登记) bind them; a class (not the record) so model
/// binding fills it.</summary>
public class AppealFields
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

    /// <summary>The submission key as the intake's idempotency key, when it is one this form drew.</summary>
    public string? Key => SubmissionKey is { Length: 32 } key ? key : null;

    /// <summary>The fields as the intake takes them.</summary>
    public AppealInput ToInput() => new()
    {
        Title = Title,
        Content = Content,
        Category = Category,
        Region = Region,
        ContactName = ContactName,
        ContactPhone = ContactPhone,
        EnterpriseName = EnterpriseName,
    };
}

/// <summary>What the shared fields partial (<c>_AppealFields</c>) draws: the values, the regions to choose from, the
/// messages by field.</summary>
public sealed record AppealFieldsView(AppealFields Form, IReadOnlyList<(string Code, string Name)> Regions, IReadOnlyDictionary<string, string[]> Errors);
