using Duban.Attachments;
using Duban.Data;
using Duban.Data.Attachments;
using Duban.Data.Matters;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

[RequestSizeLimit(Api.AttachmentsApi.MaxPageBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.AttachmentsApi.MaxPageBodyBytes)]
public sealed class MatterModel(MatterQueries queries, ActOnMatter act, MatterAttachments attachments, AttachmentOptions attachmentOptions) : PageModel
{
    public MatterDetails? Details { get; private set; }

    /// <summary>The matter's attachments (附件).</summary>
    public IReadOnlyList<AttachmentView> Attachments { get; private set; } = [];

    /// <summary>Whether the viewer may add files now (the upload form is shown only then).</summary>
    public bool MayAttach { get; private set; }

    /// <summary>Why the last upload was refused, shown beside the file field.</summary>
    public string? UploadError { get; private set; }

    public AttachmentLimits UploadLimits => attachmentOptions.Staff;

    public string? Message { get; private set; }

    /// <summary>After a stale form: what others did since the version the form was drawn from.</summary>
    public IReadOnlyList<EventView> ChangedSince { get; private set; } = [];

    /// <summary>The action and text of a form that was not applied, so nothing typed is lost.</summary>
    public (string Action, string? Note)? Draft { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            Details = await queries.GetAsync(id, User.ToActor(), cancellationToken);
            await LoadAttachmentsAsync(id, cancellationToken);
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }

    public async Task<IActionResult> OnPostAsync(long id, string action, string? note, bool? accepted, string? satisfaction,
        string? unit, int? version, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var status = StatusCodes.Status400BadRequest;
        if (!WireEnum.TryParse<MatterAction>(action, out var parsed))
        {
            return BadRequest();
        }

        try
        {
            var command = new MatterCommand(parsed)
            {
                Note = note,
                Accepted = accepted,
                Satisfaction = WireEnum.TryParse<Satisfaction>(satisfaction, out var s) ? s : null,
                ExpectedVersion = version,
            };
            await act.ExecuteAsync(id, command, unit, actor, cancellationToken);
            return RedirectToPage(new { id });
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError($"{action}.{field}", message);
                }
            }
        }
        catch (DomainException ex)
        {
            Message = ex is ConcurrencyConflictException ? "提交未执行：在您打开本页之后，事项已被他人更新。请先查看以下变化，再决定是否重新提交。" : ex.Message;
            status = ex is ForbiddenException ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        }

        Draft = (action, note);
        Details = await queries.GetAsync(id, actor, cancellationToken);
        await LoadAttachmentsAsync(id, cancellationToken);
        if (version is { } seen && seen < Details.Version)
        {
            // Someone else acted since the form was drawn: show their events instead of overwriting them.
            ChangedSince = Details.Events.Where(e => e.Sequence > seen).ToList();
            Message = "提交未执行：在您打开本页之后，事项已被他人更新。请先查看以下变化，再决定是否重新提交。";
            status = StatusCodes.Status409Conflict;
        }

        Response.StatusCode = status;
        return Page();
    }

    /// <summary>上传附件 from the page's form. ASP.NET has already spooled the parts to temporary files (bounded memory);
    /// each is then checked and stored like an API upload.</summary>
    public async Task<IActionResult> OnPostUploadAsync(long id, List<IFormFile> files, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var limits = attachmentOptions.Staff;
        int status;
        try
        {
            await attachments.CheckMayAttachAsync(id, actor, cancellationToken);
            var chosen = files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList(); // an empty field sends one nameless part
            limits.CheckCount(chosen.Count);
            var stored = new List<AttachedFile>();
            foreach (var file in chosen)
            {
                await using var content = file.OpenReadStream();
                stored.Add(await attachments.StoreAsync(content, file.FileName, limits, cancellationToken));
            }

            await attachments.AttachAsync(id, stored, actor, cancellationToken);
            return Redirect(Url.Page("/Matter", new { id }) + "#attachments");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (AttachmentRefusedException ex)
        {
            UploadError = ex.Message;
            status = ex.Reason switch
            {
                RefusalReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
                RefusalReason.ForbiddenType => StatusCodes.Status415UnsupportedMediaType,
                _ => StatusCodes.Status400BadRequest,
            };
        }
        catch (DomainException ex)
        {
            UploadError = ex.Message;
            status = ex is ForbiddenException ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        }

        Details = await queries.GetAsync(id, actor, cancellationToken);
        await LoadAttachmentsAsync(id, cancellationToken);
        Response.StatusCode = status;
        return Page();
    }

    private async Task LoadAttachmentsAsync(long id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Attachments = await attachments.ListAsync(id, actor, cancellationToken);
        MayAttach = await attachments.MayAttachAsync(id, actor, cancellationToken);
    }
}
