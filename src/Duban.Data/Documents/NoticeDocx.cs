using DocumentFormat.OpenXml;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Data;

/// <summary>
/// A 交办通知书 / 督办通知单 as Word (.docx), in the house shape of <see cref="ReviewBulletin"/> (A4, GB/T 9704 margins,
/// page numbers): the office's name in red as the 红头, the 文号 and a red rule, the title in 黑体 二号, the body in
/// 仿宋_GB2312 三号 on 28-point lines, 签发人, the office and date, and the 版记 (抄送, 印发).
/// </summary>
public static class NoticeDocx
{
    public const string ContentType = ReviewBulletin.ContentType;

    private const string Red = "C00000";

    /// <summary>e.g. 督交〔2026〕3号 关于交办“…”的通知.docx (a draft: 交办通知书（草稿）…).</summary>
    public static string FileName(NoticePaperView paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        var name = $"{paper.Number ?? paper.KindName + "（草稿）"} {paper.Title}.docx";
        return string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '/' or '\\' ? '_' : c));
    }

    /// <summary>Writes the paper as it prints.</summary>
    public static Task WriteAsync(Stream stream, NoticePaperView paper, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(paper);
        return ReviewBulletin.PackageAsync(stream, paper.Title, paper.Office, body => Compose(body, paper), cancellationToken);
    }

    private static void Compose(W.Body body, NoticePaperView paper)
    {
        body.Append(RedHead(paper.Office + paper.KindName));
        body.Append(ReviewBulletin.Para(paper.NumberText, ReviewBulletin.BodyFont, 32, W.JustificationValues.Center, indent: false, before: 240));
        body.Append(RedRule());
        body.Append(ReviewBulletin.Para(paper.Title, ReviewBulletin.HeadingFont, 44, W.JustificationValues.Center, indent: false, before: 240, after: 240, exactLine: 700));
        body.Append(ReviewBulletin.Para(paper.Salutation, ReviewBulletin.BodyFont, 32, W.JustificationValues.Left, indent: false));
        foreach (var paragraph in paper.Paragraphs)
        {
            body.Append(ReviewBulletin.Para(paragraph, ReviewBulletin.BodyFont, 32));
        }

        body.Append(ReviewBulletin.Para("", ReviewBulletin.BodyFont, 32, indent: false));
        body.Append(ReviewBulletin.Para("签发人：" + (paper.Signer ?? "　　　　"), ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
        body.Append(ReviewBulletin.Para(paper.Office, ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
        body.Append(ReviewBulletin.Para(paper.DateText, ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
        body.Append(ReviewBulletin.Para("", ReviewBulletin.BodyFont, 32, indent: false));
        body.Append(ReviewBulletin.Rule());
        if (!string.IsNullOrWhiteSpace(paper.CopyTo))
        {
            body.Append(ReviewBulletin.Para("抄送：" + paper.CopyTo, ReviewBulletin.BodyFont, 28, W.JustificationValues.Left, indent: false, exactLine: 480));
        }

        body.Append(ReviewBulletin.Para($"{paper.Office}　　{paper.DateText}印发", ReviewBulletin.BodyFont, 28, W.JustificationValues.Left, indent: false, exactLine: 480));
    }

    /// <summary>The 红头: the office's name, red, centred, large.</summary>
    private static W.Paragraph RedHead(string text)
    {
        // Run properties in the schema's order (fonts, bold, colour, size, language): Word refuses others.
        var run = new W.Run(
            new W.RunProperties(
                new W.RunFonts { Ascii = "宋体", HighAnsi = "宋体", EastAsia = "宋体", Hint = W.FontTypeHintValues.EastAsia },
                new W.Bold(),
                new W.Color { Val = Red },
                new W.FontSize { Val = "60" },
                new W.FontSizeComplexScript { Val = "60" },
                new W.Languages { Val = "en-US", EastAsia = "zh-CN" }),
            new W.Text(text) { Space = SpaceProcessingModeValues.Preserve });
        return new W.Paragraph(
            new W.ParagraphProperties(
                new W.SpacingBetweenLines { Before = "0", After = "120", Line = "900", LineRule = W.LineSpacingRuleValues.Exact },
                new W.Justification { Val = W.JustificationValues.Center }),
            run);
    }

    /// <summary>The red line under the 文号.</summary>
    private static W.Paragraph RedRule() => new(
        new W.ParagraphProperties(
            new W.ParagraphBorders(new W.BottomBorder { Val = W.BorderValues.Single, Size = 18, Space = 1, Color = Red }),
            new W.SpacingBetweenLines { Before = "0", After = "240", Line = "240", LineRule = W.LineSpacingRuleValues.Exact }));
}
