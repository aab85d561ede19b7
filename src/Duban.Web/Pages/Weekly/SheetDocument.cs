using System.Globalization;
using Duban.Data;
using Duban.Escalation;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Web.Pages.Weekly;

/// <summary>The 交办单 as a Word file: A4, the title in 黑体 二号, the text in 仿宋_GB2312 三号, one table per matter with the 四明确.</summary>
public static class SheetDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const string Heading = "黑体", Body = "仿宋_GB2312";

    /// <summary>e.g. 2024年第3次周交办交办单（人民路街道）.docx.</summary>
    public static string FileName(WeeklySheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        return $"{sheet.Session.FullTitle}交办单（{sheet.Unit.Name}）.docx";
    }

    public static void Write(Stream stream, WeeklySheet sheet)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sheet);
        var s = sheet.Session;
        var date = s.Date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        using var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        var body = new DocumentFormat.OpenXml.Wordprocessing.Body();
        body.Append(Paragraph($"{s.Title}交办单", Heading, 44, JustificationValues.Center));
        body.Append(Paragraph($"{sheet.Owner.Name} · {s.Meeting} · {date}", Body, 28, JustificationValues.Center));
        body.Append(Paragraph($"{sheet.Unit.Name}：", Body, 32, bold: true));
        body.Append(Paragraph(
            $"经{s.Meeting}研究，现将{s.FullTitle}涉及贵单位的 {sheet.Matters.Count.ToString(CultureInfo.InvariantCulture)} 项事项交办如下，请按目标任务、工作标准和完成时限抓好落实，按期反馈办理情况。",
            Body, 32, indent: true));
        for (var i = 0; i < sheet.Matters.Count; i++)
        {
            var m = sheet.Matters[i];
            var role = m.Lead.Id == sheet.Unit.Id ? "牵头" : "配合";
            body.Append(Paragraph($"{(i + 1).ToString(CultureInfo.InvariantCulture)}.{m.Title}（{role}）", Heading, 32));
            var units = "牵头：" + m.Lead.Name + (m.CoUnits.Count > 0 ? "；配合：" + string.Join("、", m.CoUnits.Select(c => c.Name)) : "");
            body.Append(Table(
                ("事项编号", m.Code),
                ("事项内容", m.Content),
                ("目标任务", m.Goal ?? "—"),
                ("工作标准", m.Standard ?? "—"),
                ("责任单位", units),
                ("完成时限", m.CompleteDueAt is { } due ? NoticeText.Deadline(due) : "—")));
        }

        body.Append(Paragraph(sheet.Owner.Name, Body, 32, JustificationValues.Right));
        body.Append(Paragraph(date, Body, 32, JustificationValues.Right));
        // A4 (twentieths of a point), margins as the 党政机关公文格式 asks: 37mm top, 28mm left, 26mm right, 35mm bottom.
        body.Append(new SectionProperties(
            new PageSize { Width = 11906U, Height = 16838U },
            new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U }));
        main.Document = new Document(body);
        main.Document.Save();
    }

    private static Paragraph Paragraph(string text, string font, int halfPoints, JustificationValues? align = null, bool bold = false, bool indent = false)
    {
        var properties = new ParagraphProperties(new SpacingBetweenLines { After = "120", Line = "560", LineRule = LineSpacingRuleValues.Exact });
        if (align is { } a)
        {
            properties.Append(new Justification { Val = a });
        }

        if (indent)
        {
            properties.Append(new Indentation { FirstLineChars = 200 });
        }

        return new Paragraph(properties, Run(text, font, halfPoints, bold));
    }

    private static Run Run(string text, string font, int halfPoints, bool bold = false)
    {
        var properties = new RunProperties(
            new RunFonts { EastAsia = font, Ascii = font, HighAnsi = font },
            new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) },
            new FontSizeComplexScript { Val = halfPoints.ToString(CultureInfo.InvariantCulture) });
        if (bold)
        {
            properties.Append(new Bold());
        }

        return new Run(properties, new DocumentFormat.OpenXml.Wordprocessing.Text(text) { Space = SpaceProcessingModeValues.Preserve });
    }

    private static Table Table(params (string Label, string Value)[] rows)
    {
        var border = new EnumValue<BorderValues>(BorderValues.Single);
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                new TopBorder { Val = border, Size = 4 }, new BottomBorder { Val = border, Size = 4 },
                new LeftBorder { Val = border, Size = 4 }, new RightBorder { Val = border, Size = 4 },
                new InsideHorizontalBorder { Val = border, Size = 4 }, new InsideVerticalBorder { Val = border, Size = 4 })));
        foreach (var (label, value) in rows)
        {
            table.Append(new TableRow(
                Cell(label, Heading, 1600),
                Cell(value, Body, null)));
        }

        return table;
    }

    private static TableCell Cell(string text, string font, int? width)
    {
        var properties = new TableCellProperties();
        if (width is { } w)
        {
            properties.Append(new TableCellWidth { Width = w.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa });
        }

        var paragraph = new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "40", After = "40" }), Run(text, font, 28));
        return new TableCell(properties, paragraph);
    }
}
