using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Portal;

/// <summary>进度查询 by tracking code, and the citizen's rating once the appeal is completed. Never shows personal data.</summary>
[AllowAnonymous]
[RequestSizeLimit(64 * 1024)]
public sealed class TrackModel(AppealQueries queries, RateAppeal rate) : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? Satisfaction { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public PublicAppealView? Appeal { get; private set; }
    public string? Error { get; private set; }
    public string? RatingError { get; private set; }
    public bool Rated { get; private set; }

    public async Task OnGetAsync(bool rated, CancellationToken cancellationToken)
    {
        Rated = rated;
        if (!string.IsNullOrWhiteSpace(Code))
        {
            await LoadAsync(cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostRateAsync(CancellationToken cancellationToken)
    {
        if (!WireEnum.TryParse<Satisfaction>(Satisfaction, out var rating))
        {
            throw ValidationFailedException.For("satisfaction", "请选择满意度。");
        }

        await rate.ExecuteAsync(Code ?? string.Empty, rating, Note, cancellationToken);
        return RedirectToPage("/Portal/Track", new { code = Code, rated = true });
    }

    protected override void ShowInvalid(ValidationFailedException error) =>
        RatingError = string.Join(" ", error.Errors.Values.SelectMany(m => m));

    protected override bool ShowRefusal(DomainException error)
    {
        if (error is InvalidTransitionException)
        {
            RatingError = "这件诉求目前不在待评价状态，或已经评价过。";
        }

        return error is InvalidTransitionException;
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>The public page is drawn again with 200: its message is the answer.</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Appeal = await queries.PublicAsync(Code ?? string.Empty, cancellationToken);
        }
        catch (NotFoundException e)
        {
            // Page-specific: on the public lookup an unknown code is an answer, shown beside the box, not a 404.
            Error = e.Message;
        }
    }
}
