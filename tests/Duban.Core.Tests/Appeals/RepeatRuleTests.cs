using Duban.Appeals;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Appeals;

public sealed class RepeatRuleTests
{
    [Theory]
    [InlineData("幸福路路灯坏了两周，晚上出行不安全", "幸福路的路灯坏了两周了，晚上出行很不安全！", true)]
    [InlineData("幸福路 12 号路灯不亮。", "幸福路12号路灯不亮", true)]
    [InlineData("ＡＢＣ小区停水", "abc小区停水", true)]
    [InlineData("幸福路路灯坏了", "孩子入学报名需要什么材料", false)]
    [InlineData("", "", false)]
    public void IsRepeat_ComparesNormalisedText(string earlier, string later, bool repeat) => Assert.Equal(repeat, RepeatRule.IsRepeat(earlier, later));

    [Property(MaxTest = 300)]
    public Property Similarity_IsSymmetric_InRange_AndOneForItself(NonEmptyString a, NonEmptyString b)
    {
        var ab = RepeatRule.Similarity(a.Get, b.Get);
        var self = RepeatRule.Normalize(a.Get).Length == 0 ? 0 : 1;
        return (ab == RepeatRule.Similarity(b.Get, a.Get) && ab is >= 0 and <= 1 && RepeatRule.Similarity(a.Get, a.Get) == self).ToProperty();
    }
}
