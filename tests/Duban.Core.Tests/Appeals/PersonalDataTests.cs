using Duban.Appeals;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Appeals;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("13812341234", "13812341234")]
    [InlineData("+86 138-1234-1234", "13812341234")]
    [InlineData("0086 13812341234", "13812341234")]
    [InlineData("１３８１２３４１２３４", "13812341234")]
    [InlineData("0371-12345678", "0371-12345678")]
    [InlineData("(010) 1234 5678", "010-12345678")]
    [InlineData("12345", "12345")]
    public void NormalizePhone_AcceptsMobilesLandlinesAndServiceNumbers(string typed, string stored) =>
        Assert.Equal(stored, PersonalData.NormalizePhone(typed));

    [Theory]
    [InlineData("1381234123")]
    [InlineData("23812341234")]
    [InlineData("12345abc")]
    [InlineData("1234")]
    [InlineData("0000-1234567")]
    [InlineData("<script>")]
    public void NormalizePhone_RefusesWhatIsNotAPhone(string typed) => Assert.Null(PersonalData.NormalizePhone(typed));

    [Theory]
    [InlineData("13812341234", "138****1234")]
    [InlineData("0371-12345678", "0371-****5678")]
    [InlineData("12345", "***45")]
    [InlineData(null, null)]
    public void MaskPhone_KeepsThePrefixAndLastFour(string? phone, string? masked) => Assert.Equal(masked, PersonalData.MaskPhone(phone));

    [Fact]
    public void MaskIdNumber_KeepsRegionAndLastFour() => Assert.Equal("410102********123X", PersonalData.MaskIdNumber("41010219900101123X"));

    [Fact]
    public void MaskInText_MasksMobilesAndIdNumbers_LeavesOtherNumbers()
    {
        var text = "我叫王五，电话13812341234，身份证41010219900101123X，房号 1201，订单号 202401011234567890123。";

        Assert.Equal("我叫王五，电话138****1234，身份证410102********123X，房号 1201，订单号 202401011234567890123。", PersonalData.MaskInText(text));
    }

    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("110105194912310021", false)]
    [InlineData("11010519491231002", false)]
    public void IsIdNumber_ChecksTheCheckCharacter(string id, bool valid) => Assert.Equal(valid, PersonalData.IsIdNumber(id));

    private static readonly Gen<string> Mobiles =
        from second in Gen.Elements('3', '4', '5', '6', '7', '8', '9')
        from rest in Gen.ArrayOf(Gen.Choose(0, 9), 9)
        select "1" + second + string.Concat(rest);

    [Property(MaxTest = 300)]
    public Property MaskPhone_KeepsLengthAndLastFour_HidesTheMiddle_AndIsIdempotent() => Prop.ForAll(Arb.From(Mobiles), phone =>
    {
        var masked = PersonalData.MaskPhone(phone)!;
        return masked.Length == phone.Length && masked[..3] == phone[..3] && masked[^4..] == phone[^4..]
            && masked[3..7] == "****" && PersonalData.MaskPhone(masked) == masked;
    });

    [Property(MaxTest = 300)]
    public Property MaskInText_LeavesNoMobileBehind() => Prop.ForAll(Arb.From(Mobiles), Arb.From(Gen.Elements("电话", "手机：", " tel ", "")), (phone, prefix) =>
        !PersonalData.MaskInText($"{prefix}{phone}，谢谢")!.Contains(phone, StringComparison.Ordinal));
}
