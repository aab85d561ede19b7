using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment;

/// <summary>A 指标分项 row as typed: the weight and, for rates, the floor and target as percentages.</summary>
public sealed class ComponentRow
{
    public string? Metric { get; set; }
    public string? Weight { get; set; }
    public string? Mapping { get; set; }
    public string? Floor { get; set; }
    public string? Target { get; set; }

    internal bool IsBlank => string.IsNullOrWhiteSpace(Metric) && string.IsNullOrWhiteSpace(Weight);
}

/// <summary>A 积分规则 row as typed.</summary>
public sealed class RuleRow
{
    public string? Event { get; set; }
    public string? Points { get; set; }
    public string? Cap { get; set; }

    internal bool IsBlank => string.IsNullOrWhiteSpace(Event) && string.IsNullOrWhiteSpace(Points) && string.IsNullOrWhiteSpace(Cap);
}

/// <summary>A 评分项 row as typed.</summary>
public sealed class CriterionRow
{
    public string? Name { get; set; }
    public string? Max { get; set; }

    internal bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Max);
}

/// <summary>The scheme form as posted: every number as typed, so a mistyped one is answered beside its field.</summary>
public sealed class SchemeForm
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Period { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Base { get; set; }
    public List<ComponentRow> Components { get; set; } = [];
    public List<RuleRow> PointRules { get; set; } = [];
    public bool HasJudging { get; set; }
    public string? JudgingWeight { get; set; }
    public List<CriterionRow> Criteria { get; set; } = [];
    public string? Combination { get; set; }
    public string? Note { get; set; }
    public int? Version { get; set; }
}

/// <summary>
/// 制定 / 修订考评办法: name, 考评对象, 周期, dates; 指标分项 (weights typed as percentages, summed live), 积分规则,
/// 评委打分 and 修订说明. Rows are added and removed by a little script, or by posting (「再加一行」, an emptied row
/// is left out). The engine's field keys (<c>components[2].weight</c>) are mapped back to the rows as shown.
/// </summary>
public sealed partial class SchemeModel(AssessmentSchemes schemes, TimeProvider clock) : FormPageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public SchemeForm Form { get; set; } = new();

    /// <summary>Which list gets one more row when the form is posted without script (components, pointRules, criteria).</summary>
    [BindProperty]
    public string? More { get; set; }

    /// <summary>The scheme being revised, with its versions; null for a new one.</summary>
    public SchemeView? Scheme { get; private set; }

    public IReadOnlyList<string> Groups => schemes.Groups;

    public bool Manages { get; private set; }

    /// <summary>Messages by the form's own keys (<c>components[1].weight</c> as the row is shown).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<int, int> _components = [], _rules = [], _criteria = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        if (Scheme is { } s)
        {
            Form = FormOf(s);
        }
        else
        {
            Form = new SchemeForm { Period = "month", From = string.Create(CultureInfo.InvariantCulture, $"{Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow()).Year}-01-01"), Base = "0" };
            Form.Components.AddRange([new ComponentRow { Metric = "onTimeCompleteRate", Weight = "" }]);
        }

        Pad();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!string.IsNullOrEmpty(More))
        {
            await ReloadAsync(cancellationToken);
            switch (More)
            {
                case "pointRules": Form.PointRules.Add(new RuleRow()); break;
                case "criteria": Form.Criteria.Add(new CriterionRow()); break;
                default: Form.Components.Add(new ComponentRow()); break;
            }

            ModelState.Clear();
            return Page();
        }

        var input = Input();
        if (Errors.Count > 0)
        {
            await ReloadAsync(cancellationToken);
            Pad();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Id is { } id)
        {
            var version = await schemes.ReviseAsync(id, input, Form.Version, actor, cancellationToken);
            TempData["done"] = $"已修订「{input.Name}」，现为第 {version} 版。";
        }
        else
        {
            id = await schemes.CreateAsync(input, actor, cancellationToken);
            TempData["done"] = $"已制定考评办法「{input.Name}」。";
        }

        return Redirect("/Assessment");
    }

    /// <summary>The message for a field of the form, if any.</summary>
    public string? Error(string key) => Errors.GetValueOrDefault(key);

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (field, messages) in error.Errors)
        {
            var key = FormKey(field);
            Errors[key] = Errors.TryGetValue(key, out var earlier) ? earlier + " " + string.Join(" ", messages) : string.Join(" ", messages);
        }
    }

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is NotFoundException or ForbiddenException)
        {
            return false;
        }

        Errors[""] = error.Message;
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manages = actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        Scheme = Id is { } id ? await schemes.GetAsync(id, cancellationToken) : null;
        if (!Manages && Scheme is null)
        {
            throw new ForbiddenException("考评办法由督查室制定和修改。");
        }

        if (Request.Method == HttpMethods.Post)
        {
            Pad();
        }
    }

    /// <summary>One empty row after the filled ones, for adding without script.</summary>
    private void Pad()
    {
        if (Form.Components.Count == 0 || !Form.Components[^1].IsBlank)
        {
            Form.Components.Add(new ComponentRow());
        }

        if (Form.PointRules.Count == 0 || !Form.PointRules[^1].IsBlank)
        {
            Form.PointRules.Add(new RuleRow());
        }

        if (Form.Criteria.Count == 0 || !Form.Criteria[^1].IsBlank)
        {
            Form.Criteria.Add(new CriterionRow());
        }
    }

    [GeneratedRegex(@"^(components|pointRules|judging\.criteria)\[(\d+)\](.*)$")]
    private static partial Regex Indexed();

    /// <summary>The engine's key as the form shows it: the rows left out (empty ones) shift the indexes.</summary>
    private string FormKey(string field)
    {
        var m = Indexed().Match(field);
        if (!m.Success)
        {
            return field;
        }

        var (list, map) = m.Groups[1].Value switch
        {
            "components" => ("components", _components),
            "pointRules" => ("pointRules", _rules),
            _ => ("criteria", _criteria),
        };
        var i = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{list}[{map.GetValueOrDefault(i, i)}]{m.Groups[3].Value}");
    }

    /// <summary>The form as the engine's input: percentages become shares, empty rows are left out, numbers that are
    /// not numbers are answered here.</summary>
    private SchemeInput Input()
    {
        double? Read(string? text, string key, string what)
        {
            var v = AssessmentUi.Number(text);
            if (v is { } n && double.IsNaN(n))
            {
                Errors[key] = $"{what}须是数字。";
                return null;
            }

            return v;
        }

        DateOnly? Day(string? text, string key)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (Calendar.ChinaTime.TryParseDate(text.Trim(), out var d))
            {
                return d;
            }

            Errors[key] = "请选择日期。";
            return null;
        }

        var components = new List<ComponentInput>();
        for (var i = 0; i < Form.Components.Count; i++)
        {
            var row = Form.Components[i];
            if (row.IsBlank)
            {
                continue;
            }

            var at = string.Create(CultureInfo.InvariantCulture, $"components[{i}]");
            var rate = Metrics.ByKey(row.Metric) is { } metric && Metrics.IsRate(metric);
            if (string.IsNullOrWhiteSpace(row.Metric))
            {
                Errors[$"{at}.metric"] = "请选择指标。";
            }

            var weight = Read(row.Weight, $"{at}.weight", "权重");
            var floor = Read(row.Floor, $"{at}.floor", "起评值");
            var target = Read(row.Target, $"{at}.target", "目标值");
            _components[components.Count] = i;
            components.Add(new ComponentInput(row.Metric, weight / 100, row.Mapping, rate ? floor / 100 : floor, rate ? target / 100 : target));
        }

        var rules = new List<PointRuleInput>();
        for (var i = 0; i < Form.PointRules.Count; i++)
        {
            var row = Form.PointRules[i];
            if (row.IsBlank)
            {
                continue;
            }

            var at = string.Create(CultureInfo.InvariantCulture, $"pointRules[{i}]");
            if (string.IsNullOrWhiteSpace(row.Event))
            {
                Errors[$"{at}.event"] = "请选择积分事项。";
            }

            _rules[rules.Count] = i;
            rules.Add(new PointRuleInput(row.Event, Read(row.Points, $"{at}.points", "每次分值"), Read(row.Cap, $"{at}.cap", "封顶分值")));
        }

        JudgingInput? judging = null;
        if (Form.HasJudging)
        {
            var criteria = new List<CriterionInput>();
            for (var i = 0; i < Form.Criteria.Count; i++)
            {
                var row = Form.Criteria[i];
                if (row.IsBlank)
                {
                    continue;
                }

                _criteria[criteria.Count] = i;
                criteria.Add(new CriterionInput(row.Name, Read(row.Max, string.Create(CultureInfo.InvariantCulture, $"criteria[{i}].max"), "满分")));
            }

            judging = new JudgingInput(Read(Form.JudgingWeight, "judging.weight", "权重") / 100, criteria, Form.Combination);
        }

        return new SchemeInput
        {
            Name = Form.Name, Group = Form.Group, Period = Form.Period, From = Day(Form.From, "from"), To = Day(Form.To, "to"),
            Base = Read(Form.Base, "base", "基础分"), Components = components, PointRules = rules, Judging = judging, Note = Form.Note,
        };
    }

    private static SchemeForm FormOf(SchemeView s)
    {
        var r = s.Rules;
        return new SchemeForm
        {
            Name = s.Name, Group = s.Group, Period = SchemeJson.Key(s.PeriodKind),
            From = s.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), To = s.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Base = AssessmentUi.Plain(r.Base), Version = s.Version,
            Components = r.Components.Select(c => new ComponentRow
            {
                Metric = Metrics.Key(c.Metric), Weight = AssessmentUi.Percent(c.Weight), Mapping = c.Mapping == PointMapping.Rank ? "rank" : "linear",
                Floor = c.Mapping == PointMapping.Rank ? null : Metrics.IsRate(c.Metric) ? AssessmentUi.Percent(c.Floor) : AssessmentUi.Plain(c.Floor),
                Target = c.Mapping == PointMapping.Rank ? null : Metrics.IsRate(c.Metric) ? AssessmentUi.Percent(c.Target) : AssessmentUi.Plain(c.Target),
            }).ToList(),
            PointRules = r.PointRules.Select(p => new RuleRow
            {
                Event = SchemeJson.Key(p.Event), Points = AssessmentUi.Plain(p.Points), Cap = p.Cap is { } cap ? AssessmentUi.Plain(cap) : null,
            }).ToList(),
            HasJudging = r.Judging is not null,
            JudgingWeight = r.Judging is { } j ? AssessmentUi.Percent(j.Weight) : null,
            Criteria = r.Judging?.Criteria.Select(c => new CriterionRow { Name = c.Name, Max = AssessmentUi.Plain(c.Max) }).ToList() ?? [],
            Combination = r.Judging?.Combination == JudgeCombination.Mean ? "mean" : "dropHighestAndLowest",
        };
    }
}
