using Duban.Synthetic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Synthetic;

public sealed class SyntheticCampaignsTests
{
    /// <summary>Any seed and any span of history from a day to five years: two campaigns each year the history
    /// touches, each starting within it, running two to six months, named once with its year, in order of start.</summary>
    [Property(MaxTest = 200)]
    public Property Plan_TwoAYear_StartingWithinTheHistory_UniqueNames() => Prop.ForAll(
        Arb.From(Gen.Choose(0, 100_000)), Arb.From(Gen.Choose(0, 5 * 366)), (seed, days) =>
    {
        var end = new DateOnly(2026, 12, 1);
        var start = end.AddDays(-days);
        var plan = SyntheticCampaigns.Plan(new Random(seed), start, end);
        return plan.Count == SyntheticCampaigns.PerYear * (end.Year - start.Year + 1)
            && plan.All(c => c.From >= start && c.From <= end && c.To.DayNumber - c.From.DayNumber is >= 60 and <= 180
                && c.Name.StartsWith($"{c.From.Year}年", StringComparison.Ordinal) && c.Share is >= 0.2 and < 0.35)
            && plan.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() == plan.Count
            && plan.Zip(plan.Skip(1)).All(p => p.First.From <= p.Second.From);
    });

    [Fact]
    public void Plan_IsReproducibleFromItsRandom()
    {
        var (start, end) = (new DateOnly(2023, 12, 1), new DateOnly(2026, 12, 1));
        Assert.Equal(SyntheticCampaigns.Plan(new Random(42), start, end), SyntheticCampaigns.Plan(new Random(42), start, end));
        Assert.NotEqual(SyntheticCampaigns.Plan(new Random(42), start, end), SyntheticCampaigns.Plan(new Random(43), start, end));
    }

    /// <summary>A matter is tagged only by campaigns running on the day it was assigned, each taking about its share of
    /// them; over three years about a sixth of the matters carry a tag.</summary>
    [Fact]
    public void Tags_OnlyRunningCampaigns_ByTheirShare()
    {
        var (start, end) = (new DateOnly(2023, 12, 1), new DateOnly(2026, 12, 1));
        var plan = SyntheticCampaigns.Plan(new Random(42), start, end);
        var random = new Random(7);
        var taken = new int[plan.Count];
        var running = new int[plan.Count];
        var tagged = 0;
        const int Matters = 100_000;
        for (var i = 0; i < Matters; i++)
        {
            var assigned = start.AddDays(random.Next(end.DayNumber - start.DayNumber + 1));
            var tags = SyntheticCampaigns.Tags(random, plan, assigned);
            Assert.All(tags, t => Assert.True(plan[t].Runs(assigned), $"{plan[t].Name} {assigned}"));
            tagged += tags.Count > 0 ? 1 : 0;
            for (var c = 0; c < plan.Count; c++)
            {
                running[c] += plan[c].Runs(assigned) ? 1 : 0;
                taken[c] += tags.Contains(c) ? 1 : 0;
            }
        }

        for (var c = 0; c < plan.Count; c++)
        {
            if (running[c] > 1_000)
            {
                Assert.InRange((double)taken[c] / running[c], plan[c].Share - 0.04, plan[c].Share + 0.04);
            }
        }

        Assert.InRange((double)tagged / Matters, 0.08, 0.3);
    }
}
