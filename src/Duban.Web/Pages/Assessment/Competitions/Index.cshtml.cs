using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Competitions;

/// <summary>比拼: every competition, and for the office a new one — name, group, stages picked among the schemes'
/// periods with weights typed as percentages (一季度 10 … 年终 60), award levels, 公示 days.</summary>
public sealed class IndexModel(AssessmentCompetitions competitions, AssessmentSchemes schemes, TimeProvider clock) : FormPageModel
{
    public const int StageRows = 5, AwardRows = 3;

    /// <summary>A stage row of the form: the picked scheme period ("12|2024-Q1"), a label, the weight in %.</summary>
    public sealed class StageRow
    {
        public string? Choice { get; set; }
        public string? Label { get; set; }
        public string? Weight { get; set; }
    }

    /// <summary>An award row: its name and places.</summary>
    public sealed class AwardRow
    {
        public string? Name { get; set; }
        public string? Count { get; set; }
    }

    public IReadOnlyList<(long Id, string Name, string Group, CompetitionStatus Status)> List { get; private set; } = [];

    public IReadOnlyList<string> Groups { get; private set; } = [];

    /// <summary>The stages one may pick: each scheme's periods within its dates (to the end of next year at most).</summary>
    public IReadOnlyList<(string Value, string Group, string Text)> Choices { get; private set; } = [];

    public bool Manages { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Group { get; set; }

    [BindProperty]
    public string? PublicityDays { get; set; } = "5";

    [BindProperty]
    public List<StageRow> Stages { get; set; } = [];

    [BindProperty]
    public List<AwardRow> Awards { get; set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var stages = new List<StageInput>();
        var rows = Stages.Select((row, i) => (row, i)).Where(x => !string.IsNullOrWhiteSpace(x.row.Choice) || !string.IsNullOrWhiteSpace(x.row.Weight)).ToList();
        foreach (var (row, i) in rows)
        {
            var parts = (row.Choice ?? "").Split('|', 2);
            long? scheme = parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            var weight = AssessmentUi.Number(row.Weight);
            if (weight is null || double.IsNaN(weight.Value))
            {
                errors[$"stages[{i}].weight"] = ["请填写权重（百分数，如 40）。"];
            }

            stages.Add(new StageInput(parts.Length == 2 ? parts[1] : null, row.Label, weight / 100, scheme));
        }

        var awards = new List<AwardInput>();
        foreach (var (row, i) in Awards.Select((row, i) => (row, i)).Where(x => !string.IsNullOrWhiteSpace(x.row.Name) || !string.IsNullOrWhiteSpace(x.row.Count)))
        {
            var count = AssessmentUi.Number(row.Count);
            if (count is not { } c || double.IsNaN(c) || c != Math.Floor(c))
            {
                errors["awards"] = ["名额须是整数。"];
                continue;
            }

            awards.Add(new AwardInput(row.Name, (int)c));
        }

        var days = AssessmentUi.Number(PublicityDays);
        if (days is { } d && (double.IsNaN(d) || d != Math.Floor(d)))
        {
            errors["publicityDays"] = ["公示期须为 1 至 30 天。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        // The engine numbers the stages it was given; the form's rows are numbered as shown.
        try
        {
            var created = await competitions.CreateAsync(new CompetitionInput(Name, Group, stages, awards, days is { } n ? (int)n : null), User.ToActor(), cancellationToken);
            TempData["done"] = $"已新建比拼「{Name?.Trim()}」。";
            return Redirect(CompetitionModel.Link(created));
        }
        catch (ValidationFailedException ex)
        {
            throw new ValidationFailedException(ex.Errors.ToDictionary(e => Renumber(e.Key, rows.Select(r => r.i).ToList()), e => e.Value, StringComparer.Ordinal));
        }
    }

    private static string Renumber(string key, List<int> rows)
    {
        if (!key.StartsWith("stages[", StringComparison.Ordinal))
        {
            return key;
        }

        var close = key.IndexOf(']', StringComparison.Ordinal);
        return int.TryParse(key[7..close], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < rows.Count
            ? string.Create(CultureInfo.InvariantCulture, $"stages[{rows[n]}]{key[(close + 1)..]}")
            : key;
    }

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (field, messages) in error.Errors)
        {
            Errors[field] = string.Join(" ", messages);
        }
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manages = actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        List = await competitions.ListAsync(cancellationToken);
        Groups = schemes.Groups;
        var today = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow());
        var horizon = new DateOnly(today.Year + 1, 12, 31);
        var choices = new List<(string, string, string)>();
        foreach (var s in (await schemes.ListAsync(cancellationToken)).OrderBy(s => s.Group, StringComparer.Ordinal).ThenBy(s => s.Id))
        {
            var last = s.To is { } to && to < horizon ? to : horizon;
            var periods = new List<ReviewPeriod>();
            for (var p = ReviewPeriod.Holding(s.PeriodKind, last); p.To >= s.From && periods.Count < 36; p = p.Previous())
            {
                periods.Add(p);
            }

            periods.Reverse();
            choices.AddRange(periods.Select(p => (string.Create(CultureInfo.InvariantCulture, $"{s.Id}|{p.Key}"), s.Group, $"{p.Label} · {s.Name}")));
        }

        Choices = choices;
        while (Stages.Count < StageRows)
        {
            Stages.Add(new StageRow());
        }

        while (Awards.Count < AwardRows)
        {
            Awards.Add(new AwardRow());
        }
    }
}
