using Duban.Text;

namespace Duban.Tests;

public sealed class UserTextTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("   ", null)]
    [InlineData("\u0000\u0007", null)]
    [InlineData("  路灯整改  ", "路灯整改")]
    [InlineData("进展\u0000说明", "进展说明")]
    [InlineData("第一行\r\n第二行\t制表", "第一行\r\n第二行\t制表")]
    [InlineData("响\u001b[31m铃", "响[31m铃")]
    [InlineData("𠮷野家 👍", "𠮷野家 👍")]
    public void Clean_DropsControlsAndBrokenSurrogates_KeepsEverythingElse(string? input, string? expected)
    {
        Assert.Equal(expected, UserText.Clean(input));
    }

    [Fact]
    public void Clean_ReplacesBrokenSurrogateHalves()
    {
        // Built from char codes: xUnit's InlineData cannot carry a lone surrogate intact.
        Assert.Equal("半\uFFFD个", UserText.Clean("半" + (char)0xD800 + "个"));
        Assert.Equal("尾\uFFFD", UserText.Clean("尾" + (char)0xDC00));
        Assert.Equal("\uFFFD\uFFFD", UserText.Clean(new string([(char)0xDC00, (char)0xD800])));
    }
}
