using Duban.Data;
using Duban.Items;

namespace Duban.Tests.Items;

/// <summary>The 时间节点 and 报送周期 cells as offices write them.</summary>
public sealed class ItemImportParsingTests
{
    [Theory]
    [InlineData("立项 2027-03-31；开工 2027-06-30", "立项 2027-03-31|开工 2027-06-30")]
    [InlineData("立项 3月31日 ✓\n开工 6月30日（超期）", "立项 2026-03-31|开工 2026-06-30")]
    [InlineData("立项：2027年3月31日;主体 完工 2027/9/30", "立项 2027-03-31|主体 完工 2027-09-30")]
    [InlineData("3号楼封顶 2026.10.8", "3号楼封顶 2026-10-08")]
    public void Nodes_AreReadInTheUsualForms(string cell, string expected)
    {
        var nodes = ItemImport.ParseNodes(cell, 2026, out var error);
        Assert.Null(error);
        Assert.Equal(expected, string.Join("|", nodes.Select(n => $"{n.Name} {n.Date:yyyy-MM-dd}")));
    }

    [Theory]
    [InlineData("开工 六月底", "六月底")]
    [InlineData("2027-03-31", "没有节点名称")]
    [InlineData("开工 2027-02-30", "没有可识别的日期")]
    [InlineData(null, "请填写时间节点")]
    public void BadNodes_SayWhy(string? cell, string reason)
    {
        ItemImport.ParseNodes(cell, 2026, out var error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ADateCell_IsOneNode() =>
        Assert.Equal(new PlannedNode("完成", new DateOnly(2026, 6, 30)), Assert.Single(ItemImport.ParseNodes(new DateTime(2026, 6, 30), 2026, out _)));

    [Theory]
    [InlineData("每月25日", "monthly", 25)]
    [InlineData("每月 5 号", "monthly", 5)]
    [InlineData("每周五", "weekly", 5)]
    [InlineData("每周日", "weekly", 7)]
    [InlineData("每周3", "weekly", 3)]
    public void Cycles_AreRead(string text, string kind, int day)
    {
        Assert.True(ItemImport.TryParseCycle(text, out var cycle));
        Assert.Equal(kind, cycle!.Kind);
        Assert.Equal(day, cycle.Kind == "weekly" ? cycle.Weekday : cycle.Day);
    }

    [Fact]
    public void AQuarterlyCycle_IsNotOne() => Assert.False(ItemImport.TryParseCycle("每季度", out _));
}
