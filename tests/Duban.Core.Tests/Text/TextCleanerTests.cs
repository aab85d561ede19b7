using Duban.Text;

namespace Duban.Tests.Text;

public sealed class TextCleanerTests
{
    [Theory]
    // every-character spacing, digits included
    [InlineData("本 报 讯 （记 者 李 丹 丹 ） 1 0 月 1 1 日 上 午 ， 市 委 召 开 会 议 。", "本报讯（记者李丹丹）10月11日上午，市委召开会议。")]
    [InlineData("同 志 分 别 提 出 了 具 体 指 导 建 议 。", "同志分别提出了具体指导建议。")]
    // a stray space between Chinese characters; spaces beside numbers and between Latin words stay
    [InlineData("本报讯（记者 李 丹） 10月11日", "本报讯（记者李丹） 10月11日")]
    [InlineData("新签约亿元项目 10 个以上，降雨 50 毫米内路面无积水。", "新签约亿元项目 10 个以上，降雨 50 毫米内路面无积水。")]
    [InlineData("推进 Open Data 平台建设。", "推进 Open Data 平台建设。")]
    // a headline keeps its word gaps
    [InlineData("健全完善工作机制 大干四季度 全力冲目标", "健全完善工作机制 大干四季度 全力冲目标")]
    // widths: full-width letters and digits to half-width, half-width punctuation in Chinese to full-width
    [InlineData("完成１２３项，ＡＢＣ类", "完成123项，ABC类")]
    [InlineData("会议要求,一要落实;二要督办:三要问责!(试行)", "会议要求，一要落实；二要督办：三要问责！（试行）")]
    [InlineData("版本 1.5, 时间 10:30", "版本 1.5, 时间 10:30")]
    [InlineData("工作已完成.下一步继续推进", "工作已完成。下一步继续推进")]
    // continuation markers, QR prompts and photo credits go; the sentence around them stays
    [InlineData("提升企业满意率。（下转第二版）", "提升企业满意率。")]
    [InlineData("详见报道▶22版", "详见报道")]
    [InlineData("文明城市创建取得实效（微信扫码阅读详细报道）。", "文明城市创建取得实效。")]
    [InlineData("图为志愿者清扫街道。本报记者 王强 摄", "图为志愿者清扫街道。")]
    [InlineData("记者王强拍摄的照片获奖。", "记者王强拍摄的照片获奖。")]
    // control characters, zero-width marks and odd spaces
    [InlineData("进展\u0007说明\u200B完成\u3000情况。", "进展说明完成情况。")]
    public void Clean_RepairsOneLine(string input, string expected)
    {
        Assert.Equal(expected, TextCleaner.Clean(input));
    }

    [Theory]
    [InlineData("05 民生·社会")]
    [InlineData("02 要 闻")]
    [InlineData("- 3 -")]
    [InlineData("第 3 页 共 10 页")]
    [InlineData("（下转02版）")]
    [InlineData("扫一扫 下载")]
    [InlineData("扫码下载漯河发布客户端")]
    [InlineData("本 报 记 者  王 强  摄")]
    public void Clean_DropsFurnitureLines(string furniture)
    {
        var text = $"市政协召开主席会议。\n\n{furniture}\n\n会议审议了有关事项。";
        Assert.Equal("市政协召开主席会议。\n会议审议了有关事项。", TextCleaner.Clean(text));
    }

    [Fact]
    public void Clean_JoinsColumnLines_AcrossBlankLines_AndKeepsRealParagraphs()
    {
        const string column = """
            为深入贯彻落实市第八次党
            代会精神，加快推进经济技术开

            发区高质量发展，牢固树立“项
            目为王”理念，经济技术开发区
            决定开展“招商引资决战四季度”
            活动。
            为确保活动落到实处，经济

            技术开发区制订了工作方案。
            """;
        Assert.Equal(
            "为深入贯彻落实市第八次党代会精神，加快推进经济技术开发区高质量发展，牢固树立“项目为王”理念，经济技术开发区决定开展“招商引资决战四季度”活动。\n"
            + "为确保活动落到实处，经济技术开发区制订了工作方案。",
            TextCleaner.Clean(column));
    }

    [Fact]
    public void Clean_KeepsShortHeadlinesAndBylinesAsTheirOwnParagraphs()
    {
        const string page = """
            “我们就是要通过开展这样
            的活动，以大招商促大发展，千
            方百计抓招商、抢项目。”经济
            技术开发区党工委书记吴玉培的
            讲话掷地有声。

            曲从俊

            吕岩主持并讲话
            本报讯（记者 张晓甫） 10月
            11日上午，市委市政府重点工作
            视频会议召开。
            """;
        var paragraphs = TextCleaner.Clean(page).Split('\n');
        Assert.Equal(
            ["“我们就是要通过开展这样的活动，以大招商促大发展，千方百计抓招商、抢项目。”经济技术开发区党工委书记吴玉培的讲话掷地有声。",
             "曲从俊", "吕岩主持并讲话", "本报讯（记者张晓甫） 10月11日上午，市委市政府重点工作视频会议召开。"],
            paragraphs);
    }

    [Fact]
    public void Clean_EveryCharacterSpacedColumns_AreClosedUpAndJoined()
    {
        const string page = """
            本 报 讯 （记 者 李 丹） 1 0 月 1 1 日
            上 午 ， 我 市 创 建 更 高 水 平 全 国 文 明 城
            市 工 作 推 进 会 议 以 电 视 电 话 会 议 形 式
            召 开 。 市 委 书 记 刘 尚 进 主 持 并 讲 话 。
            刘 尚 进 强 调 ， 要 把 创 建 更 高 水 平
            """;
        Assert.Equal("本报讯（记者李丹）10月11日上午，我市创建更高水平全国文明城市工作推进会议以电视电话会议形式召开。市委书记刘尚进主持并讲话。\n刘尚进强调，要把创建更高水平",
            TextCleaner.Clean(page));
    }

    [Fact]
    public void Clean_DropsTheAdvertisingHeaderOfADocumentSite_AndKeepsTheSpeech()
    {
        var cleaned = TextCleaner.Clean(Samples.Speech);
        Assert.StartsWith("在区重点工作推进会上的讲话\n同志们：\n做好下步工作，", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("QQ", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("会员", cleaned, StringComparison.Ordinal);
        Assert.EndsWith("打造支撑×城市群高质量发展的新增长极。", cleaned, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_NewspaperPage_DropsFurniture_KeepsArticlesAndHeadlines()
    {
        var cleaned = TextCleaner.Clean(Samples.NewspaperPage);
        var paragraphs = cleaned.Split('\n');
        Assert.DoesNotContain(paragraphs, p => p.Contains("民生·社会", StringComparison.Ordinal) || p.Contains("小记者", StringComparison.Ordinal)
            || p.Contains("下转", StringComparison.Ordinal) || p is "02 要闻" or "03 综合新闻");
        Assert.Contains("吕岩要求，一要学深学透会议精神。把学习贯彻市第八次党代会精神作为当前和今后一段时期的重要政治任务抓紧抓好，", cleaned, StringComparison.Ordinal);
        Assert.Contains(paragraphs, p => p.EndsWith("省教育厅相关处室负责同志分别提出了具体指导建议。", StringComparison.Ordinal));
        Assert.Contains("健全完善工作机制 大干四季度 全力冲目标", paragraphs);
        Assert.Contains("曲从俊", paragraphs);
        Assert.Contains("项目库", cleaned, StringComparison.Ordinal);
        Assert.Contains("谋划储备 2 万亿元以上项目库", cleaned, StringComparison.Ordinal);
        // The article cut by "（下转02版）" ends there; the next headline is not glued to it.
        Assert.Contains(paragraphs, p => p.EndsWith("提升问题解决率、倍增提速率、企业满意率，", StringComparison.Ordinal));
    }

    [Fact]
    public void Clean_SampleDocuments_IsIdempotent()
    {
        foreach (var sample in (string[])[Samples.Speech, Samples.NewspaperPage])
        {
            var once = TextCleaner.Clean(sample);
            Assert.Equal(once, TextCleaner.Clean(once));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n  \t ")]
    [InlineData("\u0000\u0001\u0002")]
    public void Clean_NothingLeft_GivesEmpty(string input)
    {
        Assert.Equal(string.Empty, TextCleaner.Clean(input));
    }

    [Fact]
    public void Clean_MixedScriptsEmojiAndBrokenSurrogates_NeverThrow()
    {
        Assert.Equal("體制改革与体制改革 👍 𠮷野家", TextCleaner.Clean("體制改革与体制改革 👍 𠮷野家"));
        Assert.Equal("半\uFFFD个", TextCleaner.Clean("半" + (char)0xD800 + "个"));
    }
}
