using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Duban.Assessment;
using Duban.Reviews;

namespace Duban.Data;

/// <summary>A metric component as entered: the metric's key (<c>onTimeCompleteRate</c>) and numbers.</summary>
public sealed record ComponentInput(string? Metric, double? Weight, string? Mapping = null, double? Floor = null, double? Target = null);

/// <summary>A point rule as entered: the event's key (<c>overdueMilestone</c>), the points per event, the cap.</summary>
public sealed record PointRuleInput(string? Event, double? Points, double? Cap = null);

/// <summary>A judging criterion as entered.</summary>
public sealed record CriterionInput(string? Name, double? Max);

/// <summary>Judging as entered.</summary>
public sealed record JudgingInput(double? Weight, IReadOnlyList<CriterionInput>? Criteria, string? Combination = null);

/// <summary>
/// A scheme as the office enters it (page or API): its name, peer group, kind of period and dates, and its rules. Keys
/// are those of the API (<see cref="Metrics.Key"/>, <see cref="SchemeJson.Key(PointEvent)"/>); the Chinese names are
/// accepted too.
/// </summary>
public sealed record SchemeInput
{
    public string? Name { get; init; }
    public string? Group { get; init; }

    /// <summary><c>month</c>, <c>quarter</c> or <c>year</c> (月度, 季度, 年度).</summary>
    public string? Period { get; init; }

    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public double? Base { get; init; }
    public IReadOnlyList<ComponentInput>? Components { get; init; }
    public IReadOnlyList<PointRuleInput>? PointRules { get; init; }
    public JudgingInput? Judging { get; init; }

    /// <summary>修订说明, for a new version.</summary>
    public string? Note { get; init; }
}

/// <summary>Scheme rules to and from JSON and entered text: the one mapping between keys and the pure types.</summary>
public static class SchemeJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The rules as stored in a version.</summary>
    public static string Write(SchemeRules rules) => JsonSerializer.Serialize(rules, Options);

    /// <summary>The rules of a stored version.</summary>
    public static SchemeRules Read(string json) =>
        JsonSerializer.Deserialize<SchemeRules>(json, Options) ?? throw new InvalidOperationException("A scheme version holds no rules.");

    /// <summary>Any value as the API writes it (enums in camelCase).</summary>
    public static JsonSerializerOptions Api => Options;

    /// <summary>An event's key: <c>overdueMilestone</c>.</summary>
    public static string Key(PointEvent e) => JsonNamingPolicy.CamelCase.ConvertName(e.ToString());

    /// <summary>A kind of period's key: <c>month</c>.</summary>
    public static string Key(PeriodKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    /// <summary>月度, 季度, 年度.</summary>
    public static string Label(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => "月度",
        PeriodKind.Quarter => "季度",
        PeriodKind.Year => "年度",
        PeriodKind.Week => "每周",
        _ => "自定时段",
    };

    /// <summary>按区间折算 or 按名次折算.</summary>
    public static string Label(PointMapping mapping) => mapping == PointMapping.Rank ? "按名次折算" : "按区间折算";

    /// <summary>The kinds of period a scheme may have.</summary>
    public static IReadOnlyList<PeriodKind> SchemePeriods { get; } = [PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Year];

    /// <summary>The rules an input describes, with every problem by field (the pure checks of
    /// <see cref="SchemeRules.Problems"/> included).</summary>
    public static SchemeRules Rules(SchemeInput input, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var components = new List<MetricComponent>();
        var list = input.Components ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var c = list[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"components[{i}]");
            var metric = Metrics.ByKey(c.Metric) ?? Enum.GetValues<Metric>().Cast<Metric?>().FirstOrDefault(m => Metrics.Label(m!.Value) == c.Metric?.Trim());
            if (metric is null)
            {
                errors[$"{at}.metric"] = [$"没有指标「{c.Metric}」。"];
                continue;
            }

            PointMapping mapping;
            switch (c.Mapping?.Trim())
            {
                case null or "" or "linear" or "按区间折算":
                    mapping = PointMapping.Linear;
                    break;
                case "rank" or "按名次折算":
                    mapping = PointMapping.Rank;
                    break;
                default:
                    errors[$"{at}.mapping"] = ["折算方式只能是按区间（linear）或按名次（rank）。"];
                    continue;
            }

            components.Add(new MetricComponent(metric.Value, c.Weight ?? double.NaN, mapping,
                c.Floor ?? 0, c.Target ?? (Metrics.IsRate(metric.Value) ? 1 : double.NaN)));
        }

        var rules = new List<PointRule>();
        var ruleList = input.PointRules ?? [];
        for (var i = 0; i < ruleList.Count; i++)
        {
            var r = ruleList[i];
            var e = Enum.GetValues<PointEvent>().Cast<PointEvent?>()
                .FirstOrDefault(x => string.Equals(Key(x!.Value), r.Event?.Trim(), StringComparison.OrdinalIgnoreCase) || Scoring.Label(x!.Value) == r.Event?.Trim());
            if (e is null)
            {
                errors[string.Create(CultureInfo.InvariantCulture, $"pointRules[{i}].event")] = [$"没有积分事项「{r.Event}」。"];
                continue;
            }

            rules.Add(new PointRule(e.Value, r.Points ?? double.NaN, r.Cap));
        }

        JudgingRules? judging = null;
        if (input.Judging is { } j)
        {
            var combination = j.Combination?.Trim() switch
            {
                null or "" or "dropHighestAndLowest" or "去掉最高最低分" => JudgeCombination.DropHighestAndLowest,
                "mean" or "平均" => JudgeCombination.Mean,
                _ => (JudgeCombination)(-1),
            };
            judging = new JudgingRules(j.Weight ?? double.NaN,
                (j.Criteria ?? []).Select(c => new Criterion(c.Name?.Trim() ?? "", c.Max ?? double.NaN)).ToList(), combination);
        }

        var result = new SchemeRules(components, input.Base ?? 0, rules, judging);
        foreach (var (field, messages) in result.Problems())
        {
            errors[field] = errors.TryGetValue(field, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        return result;
    }

    /// <summary>A period of a scheme's kind (2024-03, 2024-Q1, 2024); <paramref name="today"/> as
    /// <see cref="ReviewPeriod"/> takes it (<see cref="DateOnly.MaxValue"/> lets any future period through).</summary>
    /// <exception cref="Duban.Matters.ValidationFailedException">The key is not a period of that kind, or lies after today.</exception>
    public static ReviewPeriod PeriodOf(PeriodKind kind, string? key, DateOnly today) => kind switch
    {
        PeriodKind.Month => ReviewPeriod.ParseMonth(key, today),
        PeriodKind.Quarter => ReviewPeriod.ParseQuarter(key, today),
        _ => ReviewPeriod.ParseYear(key, today),
    };

    /// <summary>A kind of period from its key or Chinese name; null when unknown.</summary>
    public static PeriodKind? PeriodKindOf(string? text) => text?.Trim() switch
    {
        "month" or "月度" or "月" => PeriodKind.Month,
        "quarter" or "季度" => PeriodKind.Quarter,
        "year" or "年度" or "年" => PeriodKind.Year,
        _ => null,
    };
}
