using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.Extensions.Configuration;

namespace Duban.Tests.Reviews;

public sealed class ReviewOptionsTests
{
    private static ReviewOptions Read(params (string Key, string Value)[] settings) => ReviewOptions.FromConfiguration(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Defaults_OneGroupPerLevel_AndTheDocumentedWeights()
    {
        var options = Read();
        Assert.Equal("乡镇（街道）", options.GroupOf("X", UnitLevel.Township));
        Assert.Equal(25, options.Scoring.Weights[Metric.SatisfactionRate]);
        Assert.Equal(3, options.Scoring.ListSize);
        Assert.Equal(0.5, options.Facts.SpeedUpShare);
    }

    [Fact]
    public void Groups_ByUnitCodeWinOverLevels_AndOthersFallIntoTheirOwnGroup()
    {
        var options = Read(("Reviews:Groups:0:Name", "重点部门"), ("Reviews:Groups:0:Units", "FGW，JXJ"),
            ("Reviews:Groups:1:Name", "县区"), ("Reviews:Groups:1:Levels", "county"));
        Assert.Equal("重点部门", options.GroupOf("jxj", UnitLevel.Department));
        Assert.Equal("县区", options.GroupOf("K1", UnitLevel.County));
        Assert.Equal(ReviewOptions.OtherGroup, options.GroupOf("T1", UnitLevel.Township));
    }

    [Theory]
    [InlineData("Reviews:Weights:Assigned", "10", "Reviews:Weights:Assigned")]
    [InlineData("Reviews:Weights:SatisfactionRate", "-1", "Reviews:Weights:SatisfactionRate")]
    [InlineData("Reviews:ListSize", "0", "Reviews:ListSize")]
    [InlineData("Reviews:SpeedUpShare", "2", "Reviews:SpeedUpShare")]
    [InlineData("Reviews:Groups:0:Name", "无级别", "Reviews:Groups:0")]
    public void BadValues_StopStartUp_NamingTheirKey(string key, string value, string named)
    {
        var error = Assert.Throws<FormatException>(() => Read((key, value)));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
