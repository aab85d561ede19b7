using System.Text;
using Duban.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Text;

/// <summary>A page as PDF extraction delivers it, and the body text it was made from.</summary>
public sealed record DamagedPage(string Page, string Body)
{
    public override string ToString() => $"page:\n{Page}\n---\nbody:\n{Body}";
}

/// <summary>
/// Damaged pages: body sentences cut into column lines of random width, blank lines inside paragraphs, some lines
/// spaced after every character, and furniture lines (page headers, continuation markers, page numbers, QR prompts,
/// photo credits) between them. Furniture is the only thing the cleaner may drop.
/// </summary>
public static class DamagedPages
{
    private static readonly string[] Sentences =
    [
        "市委书记刘尚进主持并讲话。", "要合理安排交办事项的工作周期，讲求工作时效，推动阶段性任务高效落实。", "统筹推进、再掀热潮，",
        "城建工程要加快实施、乡村振兴要有序推进、民生实事要坚决兑现。", "一要健全完善抓落实的工作机制。", "二要大干四季度、全力冲目标。",
        "确保招商引资工作保持全市先进位次。", "在学习中把握大局，在学习中找准方位，在学习中担当作为；", "“我们将高树目标，提速提质。”",
        "坚持问题导向，强化自身建设。", "市政协副主席田冠亭、胡新峰、赵改焕出席会议。", "秦保强强调，要对标对表查问题补短板。",
    ];

    private static readonly string[] Furniture =
    [
        "05 民生·社会", "02 要 闻", "（下转第二版）", "▶22版", "- 3 -", "第 2 页", "（微信扫码阅读详细报道）", "扫一扫 下载", "本报记者 王强 摄",
    ];

    public static Arbitrary<DamagedPage> Pages()
    {
        var piece =
            from isFurniture in Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true)))
            from furniture in Gen.Elements(Furniture)
            from spaced in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            from blank in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (isFurniture, furniture, spaced, blank);
        return Arb.From(
            from count in Gen.Choose(1, 20)
            from sentences in Gen.ArrayOf(Gen.Elements(Sentences), count)
            from width in Gen.Choose(10, 22)
            from pieces in Gen.ArrayOf(piece, 60)
            select Build(string.Concat(sentences), width, pieces));
    }

    /// <summary>Cuts the body into column lines of one width (as a newspaper column is), with the pieces' damage.</summary>
    private static DamagedPage Build(string body, int width, (bool IsFurniture, string Furniture, bool Spaced, bool Blank)[] pieces)
    {
        var page = new StringBuilder();
        var at = 0;
        var i = 0;
        while (at < body.Length)
        {
            var p = pieces[i++ % pieces.Length];
            if (p.IsFurniture)
            {
                page.Append('\n').Append(p.Furniture).Append("\n\n");
                continue;
            }

            var line = body.Substring(at, Math.Min(width, body.Length - at));
            at += line.Length;
            page.Append(p.Spaced ? string.Join(' ', line.ToCharArray()) : line).Append('\n');
            if (p.Blank)
            {
                page.Append('\n');
            }
        }

        return new DamagedPage(page.ToString(), body);
    }
}

public sealed class TextPropertyTests
{
    [Property(Arbitrary = [typeof(DamagedPages)], MaxTest = 300)]
    public void Clean_KeepsEveryHanCharacterOfTheBody_InOrder_AndDropsOnlyFurniture(DamagedPage page)
    {
        Assert.Equal(Han(page.Body), Han(TextCleaner.Clean(page.Page)));
    }

    [Property(Arbitrary = [typeof(DamagedPages)], MaxTest = 300)]
    public void Clean_IsIdempotent_OnDamagedPages(DamagedPage page)
    {
        var once = TextCleaner.Clean(page.Page);
        Assert.Equal(once, TextCleaner.Clean(once));
    }

    [Property(MaxTest = 500)]
    public void Clean_IsIdempotent_AndInventsNoHan_OnAnyString(string? text)
    {
        text ??= string.Empty;
        var once = TextCleaner.Clean(text);
        Assert.Equal(once, TextCleaner.Clean(once));
        Assert.True(IsSubsequence(Han(once), Han(text)));
    }

    [Property(MaxTest = 500)]
    public void Extract_NeverThrows_OnAnyString(string? text)
    {
        var groups = DirectiveExtractor.Extract(text ?? string.Empty);
        Assert.All(groups, g => Assert.True(g.Items.Count >= 2));
    }

    [Property(Arbitrary = [typeof(DamagedPages)], MaxTest = 200)]
    public void Extract_NeverThrows_AndNumbersItemsFromOne_OnDamagedPages(DamagedPage page)
    {
        foreach (var group in DirectiveExtractor.Extract(page.Page))
        {
            Assert.Equal(Enumerable.Range(1, group.Items.Count), group.Items.Select(i => i.Ordinal));
            Assert.All(group.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Text)));
        }
    }

    private static string Han(string text) => string.Concat(text.Where(TextCleaner.IsHan));

    private static bool IsSubsequence(string part, string whole)
    {
        var j = 0;
        foreach (var c in whole)
        {
            if (j < part.Length && part[j] == c)
            {
                j++;
            }
        }

        return j == part.Length;
    }
}
