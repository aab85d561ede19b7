using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Cards;

/// <summary>通报: the citations this person may see, and for the office the form to make one from a ranking or by
/// picking units with their reasons.</summary>
public sealed class CitationsModel(CitationBook book, UnitDirectory units, TimeProvider clock) : CardsPageModel
{
    /// <summary>Rows of unit pickers on the form.</summary>
    public const int PickRows = 6;

    public IReadOnlyList<CitationView> Citations { get; private set; } = [];
    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    [BindProperty]
    public CitationForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.Period = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow()).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await ReloadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var fromRanking = Form.From == "ranking";
        var input = new NewCitation(Form.Kind,
            fromRanking ? null : Form.UnitIds.Select((u, i) => (u, i)).Where(x => x.u is not null || !string.IsNullOrWhiteSpace(Form.Reasons.ElementAtOrDefault(x.i)))
                .Select(x => new CitationUnitInput(x.u, Form.Reasons.ElementAtOrDefault(x.i))).ToList(),
            fromRanking ? Form.Period : null);
        var id = await book.CreateAsync(input, User.ToActor(), cancellationToken);
        TempData["done"] = "已生成通报草稿，请核对正文后发布。";
        return Redirect(CitationBook.Link(id));
    }

    protected override string FieldKey(string field) => field.StartsWith("units[", StringComparison.Ordinal)
        ? PropertyKey(nameof(Form), "units")
        : PropertyKey(nameof(Form), field);

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = Reader();
        Citations = await book.ListAsync(actor, cancellationToken);
        Units = CanManage ? (await units.ListAsync(cancellationToken)).Where(u => u.Active).ToList() : [];
    }

    public sealed class CitationForm
    {
        public string Kind { get; set; } = "commendation";

        /// <summary>ranking (讲评榜单) or units (选择单位).</summary>
        public string From { get; set; } = "units";
        public string? Period { get; set; }
        public List<long?> UnitIds { get; set; } = [];
        public List<string?> Reasons { get; set; } = [];
        public string? Units { get; set; }
    }
}
