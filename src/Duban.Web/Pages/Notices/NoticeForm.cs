using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Notices;

/// <summary>The words the office types for a paper (拟制 and 修改 share it, with <c>_Fields</c>).</summary>
public sealed class NoticeForm
{
    public string? Title { get; set; }
    public string? Requirements { get; set; }
    public string? Contact { get; set; }
    public string? Phone { get; set; }
    public string? CopyTo { get; set; }

    public NoticeDraftInput ToInput(string? kind) => new(kind, Title, Requirements, Contact, Phone, CopyTo ?? "");
}

/// <summary>The pages that write a paper's words (拟制, 修改): one form, its errors beside its fields, and a refusal
/// (a step out of order, say) above it; a paper the person may not see is a 404 as anywhere else.</summary>
public abstract class NoticeFormPage : FormPageModel
{
    [BindProperty]
    public NoticeForm Form { get; set; } = new();

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field);

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is NotFoundException or ForbiddenException)
        {
            return false;
        }

        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }
}
