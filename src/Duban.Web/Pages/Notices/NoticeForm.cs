using Duban.Data;

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
