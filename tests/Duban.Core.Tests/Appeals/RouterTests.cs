using Duban.Appeals;
using Duban.Tests.Matters;

namespace Duban.Tests.Appeals;

public sealed class RouterTests
{
    private static readonly RouteFacts Noise = new("环境保护", TestUnitTree.Township, "工地夜间施工噪音扰民", null);

    [Fact]
    public void Pick_NoRuleMatches_IsNull_SoTheReceivingUnitKeepsIt() =>
        Assert.Null(Router.Pick([new RouteRule(1, 0, "教育文体", null, [], null, TestUnitTree.Department)], Noise, TestUnitTree.Instance));

    [Fact]
    public void Pick_RegionMatchesItsSubtree_AndKeywordsAnyOne()
    {
        var county = new RouteRule(1, 0, null, TestUnitTree.County, ["噪音", "油烟"], null, TestUnitTree.County);

        Assert.Equal(1, Router.Pick([county], Noise, TestUnitTree.Instance)?.Id);
        Assert.Null(Router.Pick([county], Noise with { RegionUnitId = TestUnitTree.Department }, TestUnitTree.Instance));
        Assert.Null(Router.Pick([county], Noise with { RegionUnitId = null }, TestUnitTree.Instance));
        Assert.Null(Router.Pick([county], Noise with { Text = "道路破损" }, TestUnitTree.Instance));
    }

    [Fact]
    public void Pick_HigherPriorityWins_ThenMoreConditions_ThenTheOlderRule()
    {
        var general = new RouteRule(1, 0, "环境保护", null, [], null, TestUnitTree.Department);
        var specific = new RouteRule(2, 0, "环境保护", TestUnitTree.County, [], null, TestUnitTree.County);
        var urgent = new RouteRule(3, 5, null, null, ["噪音"], null, TestUnitTree.Township);
        var twin = new RouteRule(4, 0, "环境保护", TestUnitTree.County, [], null, TestUnitTree.Township);

        Assert.Equal(2, Router.Pick([general, specific, twin], Noise, TestUnitTree.Instance)?.Id);
        Assert.Equal(3, Router.Pick([general, specific, urgent], Noise, TestUnitTree.Instance)?.Id);
    }

    [Fact]
    public void Pick_EnterpriseCode_MatchesThatEnterpriseOnly()
    {
        var rule = new RouteRule(1, 0, null, null, [], "91410100MA44XXXX1A", TestUnitTree.Department);

        Assert.Equal(1, Router.Pick([rule], Noise with { EnterpriseCode = "91410100ma44xxxx1a" }, TestUnitTree.Instance)?.Id);
        Assert.Null(Router.Pick([rule], Noise, TestUnitTree.Instance));
    }
}
