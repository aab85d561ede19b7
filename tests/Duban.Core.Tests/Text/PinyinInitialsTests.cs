using Duban.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Text;

public sealed class PinyinInitialsTests
{
    [Theory]
    [InlineData("郑州市", "zzs")]
    [InlineData("漯河市", "lhs")] // 漯 and 濮 are outside GB2312's pinyin-ordered first level: a table, not code ranges.
    [InlineData("濮阳市住房和城乡建设局", "pyszfhcxjsj")]
    [InlineData("金水区人民政府", "jsqrmzf")]
    [InlineData("第3中学（南校区）", "d3zxnxq")]
    [InlineData("ABC 街道", "abcjd")]
    public void Of_CommonNames_GivesTheirInitials(string name, string expected) =>
        Assert.Contains(expected, PinyinInitials.Of(name).Split(' '));

    [Fact]
    public void Of_CharacterWithSeveralReadings_GivesEverySpelling()
    {
        Assert.Equal(["zq", "cq", "tq"], PinyinInitials.Of("重庆").Split(' '));
        Assert.Contains("cy", PinyinInitials.Of("长垣").Split(' '));
        Assert.Contains("yh", PinyinInitials.Of("银行").Split(' '));
    }

    [Fact]
    public void Of_EmptyOrSymbols_GivesNothing()
    {
        Assert.Equal("", PinyinInitials.Of(null));
        Assert.Equal("", PinyinInitials.Of(""));
        Assert.Equal("", PinyinInitials.Of("（）、。！—🙂"));
    }

    [Property]
    public Property Of_AnyText_GivesAtMostMaxSpellingsOfLowerLettersAndDigits(NonNull<string> text)
    {
        var spellings = PinyinInitials.Of(text.Get).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var letters = spellings.All(s => s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)));
        var sameLength = spellings.Select(s => s.Length).Distinct().Count() <= 1;
        return (spellings.Length <= PinyinInitials.MaxSpellings && letters && sameLength).ToProperty();
    }

    [Fact]
    public void Of_LongNameFullOfSeveralReadings_StaysWithinTheCap()
    {
        var spellings = PinyinInitials.Of("重重重重重重重重重重").Split(' ');
        Assert.InRange(spellings.Length, 2, PinyinInitials.MaxSpellings);
        Assert.All(spellings, s => Assert.Equal(10, s.Length));
    }
}
