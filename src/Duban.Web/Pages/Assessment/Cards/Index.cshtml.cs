using System.Globalization;
using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Cards;

/// <summary>红黄牌: the cards of a month and its quarter, issuing them by the rules (the office), revoking with a reason,
/// and the rules themselves.</summary>
public sealed class IndexModel(CardBook cards, TimeProvider clock) : CardsPageModel
{
    /// <summary>Blank rule rows offered for new rules.</summary>
    public const int BlankRules = 2;

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    public ReviewPeriod Month { get; private set; } = null!;
    public IReadOnlyList<CardView> Cards { get; private set; } = [];
    public IReadOnlyList<CardRuleView> Rules { get; private set; } = [];

    [BindProperty]
    public List<RuleRow> RuleRows { get; set; } = [];

    [BindProperty]
    public string? RevokeReason { get; set; }

    /// <summary>The card whose revoke form failed, to open it again.</summary>
    public long? RevokeFailed { get; private set; }

    public static IReadOnlyList<(string Value, string Name)> Triggers { get; } =
    [
        .. new[] { PointEvent.OverdueMilestone, PointEvent.Accountability, PointEvent.Dissatisfied, PointEvent.Rebound, PointEvent.Criticism }
            .Select(e => (CardRule.TriggerName(e), Scoring.Label(e))),
        (CardRule.YellowCardTrigger, "黄牌张数"),
    ];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken)
    {
        var made = await cards.IssueAsync(Period, User.ToActor(), cancellationToken);
        var red = made.Count(c => c.Colour == CardColour.Red);
        TempData["done"] = made.Count == 0
            ? "没有新的应发红黄牌（已发过的不会重复发放）。"
            : string.Create(CultureInfo.InvariantCulture, $"已发放 {made.Count - red} 张黄牌、{red} 张红牌，并通知相关单位{(red > 0 ? "；红牌单位已列入约谈名单" : "")}。");
        return Redirect($"/Assessment/Cards?period={Uri.EscapeDataString(Period ?? "")}");
    }

    public async Task<IActionResult> OnPostRevokeAsync(long card, CancellationToken cancellationToken)
    {
        RevokeFailed = card;
        await cards.RevokeAsync(card, RevokeReason, User.ToActor(), cancellationToken);
        TempData["done"] = "已撤销，撤销理由已记录。";
        return Redirect($"/Assessment/Cards?period={Uri.EscapeDataString(Period ?? "")}");
    }

    public async Task<IActionResult> OnPostRulesAsync(CancellationToken cancellationToken)
    {
        var rows = RuleRows.Where(r => !r.Remove && !string.IsNullOrWhiteSpace(r.Trigger)).ToList();
        await cards.SaveRulesAsync(rows.Select(r => new CardRuleInput(r.Id, r.Trigger, r.Threshold, r.Window, r.Colour)).ToList(), User.ToActor(), cancellationToken);
        TempData["done"] = "已保存红黄牌规则。";
        return Redirect($"/Assessment/Cards?period={Uri.EscapeDataString(Period ?? "")}#rules");
    }

    protected override string FieldKey(string field) => field switch
    {
        "reason" => nameof(RevokeReason),
        "period" => nameof(Period),
        _ when field.StartsWith("rules[", StringComparison.Ordinal) => "RuleRows",
        _ => string.Empty,
    };

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = Reader();
        var today = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow());
        try
        {
            Month = ReviewPeriod.ParseMonth(string.IsNullOrWhiteSpace(Period) ? ThisMonth(today) : Period, today);
        }
        catch (ValidationFailedException)
        {
            Month = ReviewPeriod.ParseMonth(ThisMonth(today), today); // ParseMonth(null) refuses: the menu's link gave a 400
            ModelState.AddModelError(nameof(Period), "月份格式应为 2024-03。");
        }

        Period = Month.Key;
        Cards = await cards.ListAsync(Period, actor, cancellationToken);
        Rules = await cards.RulesAsync(cancellationToken);
        if (RuleRows.Count == 0)
        {
            RuleRows = [.. Rules.Select(r => new RuleRow { Id = r.Id, Trigger = r.Trigger, Threshold = r.Threshold, Window = Name(r.Window), Colour = Name(r.Colour) })];
        }

        while (RuleRows.Count(r => r.Id is null && string.IsNullOrWhiteSpace(r.Trigger)) < BlankRules)
        {
            RuleRows.Add(new RuleRow());
        }
    }

    private static string ThisMonth(DateOnly today) => today.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Name(CardWindow window) => window == CardWindow.Month ? "month" : "quarter";

    public static string Name(CardColour colour) => colour == CardColour.Yellow ? "yellow" : "red";

    public sealed class RuleRow
    {
        public long? Id { get; set; }
        public string? Trigger { get; set; }
        public int? Threshold { get; set; } = 3;
        public string Window { get; set; } = "month";
        public string Colour { get; set; } = "yellow";
        public bool Remove { get; set; }
    }
}
