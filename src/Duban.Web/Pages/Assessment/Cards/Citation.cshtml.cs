using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Cards;

/// <summary>One 通报: its text as it will print, the office's edits while a draft, publishing, the Word download.</summary>
public sealed class CitationModel(CitationBook book) : CardsPageModel
{
    [FromRoute]
    public long Id { get; set; }

    public CitationView Citation { get; private set; } = null!;

    [BindProperty]
    public EditForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        Form = new EditForm
        {
            Title = Citation.Title,
            Body = Citation.Body,
            Issuer = Citation.Issuer,
            Date = Citation.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public async Task<IActionResult> OnGetDocxAsync(CancellationToken cancellationToken)
    {
        var citation = await book.GetAsync(Id, User.ToActor(), cancellationToken);
        var file = new MemoryStream();
        await CitationBook.WriteDocxAsync(file, citation, cancellationToken);
        return File(file.ToArray(), ReviewBulletin.ContentType, CitationBook.FileName(citation));
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken cancellationToken)
    {
        await book.EditAsync(Id, Form.Title ?? "", Form.Body ?? "", Form.Date ?? "", Form.Issuer ?? "", User.ToActor(), cancellationToken);
        TempData["done"] = "已保存修改。";
        return Redirect(CitationBook.Link(Id));
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        await book.PublishAsync(Id, User.ToActor(), cancellationToken);
        TempData["done"] = "已发布，各被通报单位已收到站内通知。";
        return Redirect(CitationBook.Link(Id));
    }

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field);

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = Reader();
        Citation = await book.GetAsync(Id, actor, cancellationToken);
    }

    public sealed class EditForm
    {
        public string? Title { get; set; }
        public string? Body { get; set; }
        public string? Issuer { get; set; }
        public string? Date { get; set; }
    }
}
