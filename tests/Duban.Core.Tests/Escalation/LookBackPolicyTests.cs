using Duban.Escalation;
using Duban.Matters;

namespace Duban.Tests.Escalation;

public sealed class LookBackPolicyTests
{
    [Fact]
    public void Assignments_AreAllRechecked_ThirtyDaysAfterClosing()
    {
        var closed = Parse.Instant("2024-03-12T11:00:00+08:00");

        Assert.Equal(Parse.Instant("2024-04-11T11:00:00+08:00"), LookBackPolicy.Default.DueFor(42, MatterKind.Assignment, closed));
    }

    [Fact]
    public void ASample_IsCloseToItsShare_AndTheSameEveryTime()
    {
        var closed = Parse.Instant("2024-03-12T11:00:00+08:00");
        var chosen = Enumerable.Range(1, 10_000).Where(id => LookBackPolicy.Default.DueFor(id, MatterKind.Appeal, closed) is not null).ToList();
        var again = Enumerable.Range(1, 10_000).Where(id => LookBackPolicy.Default.DueFor(id, MatterKind.Appeal, closed) is not null).ToList();

        Assert.InRange(chosen.Count, 1_850, 2_150); // 20% ± 1.5 points over 10,000 ids
        Assert.Equal(chosen, again);
        Assert.InRange(Enumerable.Range(1, 1000).Count(id => chosen.Contains(id)), 150, 250); // consecutive ids are spread, not clustered
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(100, true)]
    public void NoneOrAll(int percent, bool chosen)
    {
        var policy = new LookBackPolicy(new Dictionary<MatterKind, LookBackRule> { [MatterKind.Petition] = new(10, percent) });

        Assert.Equal(chosen, Enumerable.Range(1, 500).All(id => policy.DueFor(id, MatterKind.Petition, DateTimeOffset.UnixEpoch) is not null));
        Assert.Null(policy.DueFor(1, MatterKind.Appeal, DateTimeOffset.UnixEpoch)); // a kind without a rule is not re-checked
    }

    [Theory]
    [InlineData("30d/20%", 30, 20)]
    [InlineData("7d/100%", 7, 100)]
    [InlineData("30d/0%", 30, 0)]
    public void TryParseRule_ReadsDaysAndShare(string text, int days, int percent)
    {
        Assert.True(LookBackPolicy.TryParseRule(text, out var rule));
        Assert.Equal(new LookBackRule(days, percent), rule);
    }

    [Theory]
    [InlineData("30/20")]
    [InlineData("0d/20%")]
    [InlineData("30d/120%")]
    [InlineData("")]
    public void TryParseRule_RefusesNonsense(string text) => Assert.False(LookBackPolicy.TryParseRule(text, out _));
}
