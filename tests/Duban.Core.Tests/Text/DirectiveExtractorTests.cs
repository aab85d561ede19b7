using Duban.Text;

namespace Duban.Tests.Text;

public sealed class DirectiveExtractorTests
{
    [Fact]
    public void Extract_NewspaperPage_FindsEveryMeetingsDemands_WithSpeakersInOrder()
    {
        var groups = DirectiveExtractor.Extract(Samples.NewspaperPage);

        Assert.Equal(["吕岩", "刘尚进", "秦保强", "刘尚进", "秦保强"], groups.Select(g => g.Speaker));
        Assert.Equal(["学深学透会议精神", "抓紧抓实年度工作", "谋准谋实明年工作"], Headings(groups[0]));
        Assert.Equal(["健全完善抓落实的工作机制", "大干四季度、全力冲目标", "全力抓好即期重点工作"], Headings(groups[1]));
        Assert.Equal(["牢树圆满收官意识", "认真贯彻落实好市第八次党代会精神", "抓好经济运行调度", "谋划推动重大项目", "持续深化“万人助万企”活动"], Headings(groups[2]));
        Assert.Equal(["创建为民、为民创建", "发动群众、组织群众", "既要见物、更要见人", "突出社区、着力社区", "以城带乡、抓好节点"], Headings(groups[3]));
        Assert.Equal(["对标对表查问题补短板", "精准精细抓整改见成效", "统筹协调做好各项工作"], Headings(groups[4]));
        Assert.All(groups, g => Assert.Equal(Enumerable.Range(1, g.Items.Count), g.Items.Select(i => i.Ordinal)));

        // Each item carries its whole text, up to the next item or the end of the paragraph.
        var first = groups[1].Items[0].Text;
        Assert.StartsWith("健全完善抓落实的工作机制。充分用好周例会、周交办、月讲评机制，", first, StringComparison.Ordinal);
        Assert.EndsWith("最大限度发挥好考核“指挥棒”“风向标”“助推器”作用。", first, StringComparison.Ordinal);
        Assert.EndsWith("确保以高质量的工作成效迎接国家和后评估验收。", groups[1].Items[2].Text, StringComparison.Ordinal);
        Assert.EndsWith("坚持问题导向，强化自身建设。", groups[0].Items[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_Speech_FindsTheFourDemands_WithNoSpeakerNamed()
    {
        var groups = DirectiveExtractor.Extract(Samples.Speech);

        var group = Assert.Single(groups);
        Assert.Null(group.Speaker);
        Assert.Equal(
            ["坚持把“六保”作为底线任务", "坚持把“六稳”作为政治责任", "着力保持“进”的态势", "着力厚植“蓄”的势能"],
            Headings(group));
        Assert.StartsWith("坚持把“六保”作为底线任务，坚决稳住经济基本盘。“六保”是我们当前", group.Items[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("托好就业“底线”。", group.Items[0].Text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string[]> Snippets => new()
    {
        { "刘涛强调，一要健全完善机制。把责任压实到人。二要夯实基层基础。三要强化督查问效。", "刘涛", ["健全完善机制", "夯实基层基础", "强化督查问效"] },
        { "会议要求，一是加强组织领导，明确责任分工；二是强化宣传引导。", null, ["加强组织领导", "强化宣传引导"] },
        { "市委书记王建国同志指出：\n（一）提高政治站位。\n（二）压实工作责任。\n（三）严格督查考核。", "王建国", ["提高政治站位", "压实工作责任", "严格督查考核"] },
        { "工作要求如下：\n1. 各单位于10月底前报送方案。\n2. 督查室每周通报进展。", null, ["各单位于10月底前报送方案", "督查室每周通报进展"] },
        { "李明强调，第一，要抓好安全生产。第二，要做好防汛准备。", "李明", ["要抓好安全生产", "要做好防汛准备"] },
        { "习近平总书记强调，一要坚持稳中求进。二要坚持新发展理念。", "习近平", ["坚持稳中求进", "坚持新发展理念"] },
        { "张华强调，要压实主体责任。各单位主要负责人亲自抓。要加强督促检查。要严肃追责问责。", "张华", ["压实主体责任", "加强督促检查", "严肃追责问责"] },
        { "会议强调，要压实主体责任。要加强督促检查。", null, ["压实主体责任", "加强督促检查"] },
        { "秦保强作安排部署。他指出，下一步，要抓好经济运行调度。要谋划推动重大项目。", "秦保强", ["抓好经济运行调度", "谋划推动重大项目"] },
        { "刘 涛 强 调 ， 一 要 健 全 完 善 机 制 。 二 要 夯 实 基 层 基 础 。", "刘涛", ["健全完善机制", "夯实基层基础"] },
    };

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Extract_Snippet_GivesOneGroup(string text, string? speaker, string[] headings)
    {
        var group = Assert.Single(DirectiveExtractor.Extract(text));
        Assert.Equal(speaker, group.Speaker);
        Assert.Equal(headings, Headings(group));
    }

    [Fact]
    public void Extract_NestedSeries_StaysInsideItsItem()
    {
        var groups = DirectiveExtractor.Extract("第一，抓好经济运行。一是稳投资；二是促消费。\n第二，抓好民生保障。");
        var group = Assert.Single(groups);
        Assert.Equal(2, group.Items.Count);
        Assert.Contains("二是促消费", group.Items[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("市政协七届三十二次主席会议召开。会议学习了有关精神，统一要求，一要素不缺。")]
    [InlineData("会议要求，一要抓好落实。")] // one item is not a series
    [InlineData("Hello world 👍 體制改革")]
    public void Extract_NoDirectives_GivesEmptyList(string text)
    {
        Assert.Empty(DirectiveExtractor.Extract(text));
    }

    [Fact]
    public void Extract_TwoMeetings_GiveTwoGroups()
    {
        var text = "吕岩要求，一要学深学透会议精神。二要抓紧抓实年度工作。\n市政协会议召开。\n刘尚进强调，一要健全完善抓落实的工作机制。二要大干四季度。";
        Assert.Equal(["吕岩", "刘尚进"], DirectiveExtractor.Extract(text).Select(g => g.Speaker));
    }

    private static string[] Headings(DirectiveGroup group) => group.Items.Select(i => i.Heading).ToArray();
}
