namespace Duban.Synthetic;

/// <summary>A campaign (专项行动) of a synthetic history: its name, its dates, and the share of the matters assigned
/// while it runs that it takes in.</summary>
public sealed record SyntheticCampaign(string Name, DateOnly From, DateOnly To, double Share)
{
    /// <summary>Whether a matter assigned on <paramref name="assigned"/> falls in this campaign's dates.</summary>
    public bool Runs(DateOnly assigned) => assigned >= From && assigned <= To;
}

/// <summary>
/// The campaigns of a synthetic history: two a year, each running two to six months and taking in a fifth to a third
/// of the matters assigned meanwhile, so an office's lists, filters and pickers meet tags in the proportions a city's
/// 专项行动 leave (about a quarter of all matters over three years). Names are real campaigns' names, with their year.
/// </summary>
public static class SyntheticCampaigns
{
    /// <summary>Campaigns a year.</summary>
    public const int PerYear = 2;

    private static readonly string[] Names =
    [
        "“万人助万企”优化营商环境专项行动", "安全生产大排查大整治专项行动", "信访积案化解攻坚行动", "城市管理“序化美化”专项整治",
        "农村人居环境整治提升专项行动", "拖欠企业账款清理专项行动", "燃气安全专项整治", "民生实事落实情况专项督查",
        "“能力作风建设年”专项督查", "群众急难愁盼问题集中攻坚",
    ];

    /// <summary>The campaigns of the years from <paramref name="start"/> to <paramref name="end"/>, in order of start,
    /// each starting within them; reproducible from <paramref name="random"/>.</summary>
    public static IReadOnlyList<SyntheticCampaign> Plan(Random random, DateOnly start, DateOnly end)
    {
        ArgumentNullException.ThrowIfNull(random);
        var campaigns = new List<SyntheticCampaign>();
        for (var year = start.Year; year <= end.Year; year++)
        {
            var first = year == start.Year ? start : new DateOnly(year, 1, 1);
            var last = year == end.Year ? end : new DateOnly(year, 12, 31);
            var days = last.DayNumber - first.DayNumber;
            if (days < 0)
            {
                continue;
            }

            var order = Enumerable.Range(0, Names.Length).ToArray();
            random.Shuffle(order);
            foreach (var name in order.Take(PerYear))
            {
                var from = first.AddDays(random.Next(days + 1));
                campaigns.Add(new SyntheticCampaign($"{year}年{Names[name]}", from, from.AddDays(60 + random.Next(121)), 0.2 + (random.NextDouble() * 0.15)));
            }
        }

        return [.. campaigns.OrderBy(c => c.From).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>The indexes of the campaigns that take in a matter assigned on <paramref name="assigned"/> (each
    /// running then, by its share).</summary>
    public static List<int> Tags(Random random, IReadOnlyList<SyntheticCampaign> campaigns, DateOnly assigned)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(campaigns);
        var tags = new List<int>();
        for (var i = 0; i < campaigns.Count; i++)
        {
            // Drawn for every campaign, running or not, so one matter's draws do not depend on the others' dates.
            var draw = random.NextDouble();
            if (campaigns[i].Runs(assigned) && draw < campaigns[i].Share)
            {
                tags.Add(i);
            }
        }

        return tags;
    }
}
