using Duban.Calendar;
using Duban.Instructions;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Data;

/// <summary>
/// The 办理结果报告 (or 阶段性报告) in Word (.docx), in the house's document style (<see cref="ReviewBulletin"/>): the
/// instruction's number in 楷体, the title in 黑体 二号, the salutation and body in 仿宋_GB2312 三号 on 28-point lines, the
/// office and the date (in Chinese) at the end, page numbers in the footer.
/// </summary>
public static class InstructionReportDocument
{
    /// <summary>The title: 关于落实李市长同志批示的办理结果报告.</summary>
    public static string Title(InstructionDetails instruction, InstructionReportView report)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(report);
        return $"关于落实{instruction.Summary.LeaderName}同志批示的{(report.Partial ? "阶段性办理情况报告" : "办理结果报告")}";
    }

    /// <summary>The download's file name: 批示〔2026〕12号办理结果报告.docx.</summary>
    public static string FileName(InstructionDetails instruction, InstructionReportView report)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(report);
        return $"{instruction.Summary.Number}{(report.Partial ? "阶段性报告" : "办理结果报告")}.docx";
    }

    /// <summary>The report's date: when it was sent, else approved, else drafted.</summary>
    public static DateOnly DateOf(InstructionReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ChinaTime.DateOf(report.SentAt ?? report.ApprovedAt ?? report.DraftedAt);
    }

    /// <summary>The report's paragraphs: its text split on line ends, blank lines dropped.</summary>
    public static IReadOnlyList<string> Paragraphs(InstructionReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Text.ReplaceLineEndings("\n").Split('\n').Select(p => p.Trim().TrimStart('　')).Where(p => p.Length > 0).ToList();
    }

    /// <summary>Writes the report as a .docx to <paramref name="stream"/>.</summary>
    public static Task WriteAsync(Stream stream, InstructionDetails instruction, InstructionReportView report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(report);
        var title = Title(instruction, report);
        return ReviewBulletin.PackageAsync(stream, title, instruction.OfficeName, body => Compose(body, instruction, report, title), cancellationToken);
    }

    private static void Compose(W.Body body, InstructionDetails instruction, InstructionReportView report, string title)
    {
        body.Append(ReviewBulletin.Para(instruction.Summary.Number, ReviewBulletin.NumberLineFont, 32, W.JustificationValues.Center, indent: false));
        body.Append(ReviewBulletin.Rule());
        body.Append(ReviewBulletin.Para(title, ReviewBulletin.HeadingFont, 44, W.JustificationValues.Center, indent: false, before: 240, after: 240, exactLine: 700));
        var paragraphs = Paragraphs(report);
        for (var i = 0; i < paragraphs.Count; i++)
        {
            // The salutation (李市长同志：) starts at the margin; the rest are indented two characters.
            var salutation = i == 0 && paragraphs[i].EndsWith('：');
            body.Append(ReviewBulletin.Para(paragraphs[i], ReviewBulletin.BodyFont, 32, W.JustificationValues.Both, indent: !salutation));
        }

        body.Append(ReviewBulletin.Para("", ReviewBulletin.BodyFont, 32, indent: false));
        body.Append(ReviewBulletin.Para(instruction.OfficeName, ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
        body.Append(ReviewBulletin.Para(ReviewBulletin.ChineseDate(DateOf(report)), ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
        if (report.Stage != ReportStage.Sent)
        {
            body.Append(ReviewBulletin.Para($"（{report.StageName}，未报送）", ReviewBulletin.NumberLineFont, 28, W.JustificationValues.Left, indent: false, before: 240));
        }
    }
}
