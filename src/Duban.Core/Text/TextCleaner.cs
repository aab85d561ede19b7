using System.Text;
using System.Text.RegularExpressions;

namespace Duban.Text;

/// <summary>
/// Repairs text extracted from PDF or OCR pages and from document-sharing sites (文稿清洗): spaces between Chinese
/// characters, lines broken mid-sentence in newspaper columns, half/full-width forms, and page furniture.
/// </summary>
/// <remarks>
/// What may go: page headers ("05 民生·社会"), continuation markers ("（下转第二版）", "▶22版"), page numbers, QR and
/// app prompts, photo credits ("本报记者 某某 摄") and the advertising header of a document-sharing site. Nothing
/// else is dropped: every other character of body text survives, in order.
/// Spaces are kept between Latin words and around numbers ("新签约亿元项目 10 个"), and as the word gap of a
/// headline ("大干四季度 全力冲目标"). The output is one paragraph per line.
/// </remarks>
public static partial class TextCleaner
{
    private const int MaxPasses = 6;
    private const int ColumnLineMax = 60;

    /// <summary>The cleaned text: paragraphs separated by a single line break, no blank lines. Idempotent.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A pass may uncover more to repair (two column lines joined into a marker, a paragraph that now reads as a
        // column line), and every change shortens the text, so repeating until nothing changes ends quickly and
        // makes cleaning idempotent by construction.
        var current = Pass(text);
        for (var i = 1; i < MaxPasses; i++)
        {
            var next = Pass(current);
            if (string.Equals(next, current, StringComparison.Ordinal))
            {
                break;
            }

            current = next;
        }

        return current;
    }

    private static string Pass(string text)
    {
        var lines = new List<string>();
        foreach (var raw in Normalise(text).Split('\n'))
        {
            lines.Add(Despace(ConvertPunctuation(raw)).Trim());
        }

        DropAdvertisingHeader(lines);
        var kept = DropFurnitureLines(lines);
        var paragraphs = Reflow(kept);
        var output = new StringBuilder(text.Length);
        foreach (var paragraph in paragraphs)
        {
            var p = paragraph;
            if (p.Contains('版', StringComparison.Ordinal))
            {
                p = ContinuationMarker().Replace(p, string.Empty);
            }

            if (p.Contains('扫', StringComparison.Ordinal) || p.Contains("二维码", StringComparison.Ordinal) || p.Contains("客户端", StringComparison.Ordinal))
            {
                p = QrPrompt().Replace(p, string.Empty);
            }

            if (!ReferenceEquals(p, paragraph))
            {
                p = Despace(p).Trim(); // a marker taken out of a line may leave a space between two characters
            }
            if (p.Length == 0)
            {
                continue;
            }

            if (output.Length > 0)
            {
                output.Append('\n');
            }

            output.Append(p);
        }

        return output.ToString();
    }

    // ---- characters --------------------------------------------------------------------------------------

    /// <summary>Line breaks to LF, tabs and odd spaces to a space, controls and zero-width marks dropped, full-width
    /// letters, digits and ASCII symbols to half-width (CJK punctuation stays full-width).</summary>
    private static string Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        continue;
                    }

                    sb.Append('\n');
                    continue;
                case '\n':
                    sb.Append('\n');
                    continue;
                case '\t' or '\u00A0' or '\u3000' or '\u2002' or '\u2003' or '\u2009' or '\u202F':
                    sb.Append(' ');
                    continue;
                case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD':
                    continue;
            }

            if (char.IsControl(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    sb.Append(c).Append(text[i + 1]);
                    i++;
                }
                else
                {
                    sb.Append('\uFFFD');
                }

                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                sb.Append('\uFFFD');
                continue;
            }

            if (c is >= '\uFF01' and <= '\uFF5E' && IsHalfWidthCandidate((char)(c - 0xFEE0)))
            {
                sb.Append((char)(c - 0xFEE0));
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Letters, digits and symbols that Chinese text writes half-width; sentence punctuation is not here.</summary>
    private static bool IsHalfWidthCandidate(char ascii) =>
        char.IsAsciiLetterOrDigit(ascii) || ascii is '%' or '+' or '=' or '@' or '#' or '&' or '*' or '/' or '<' or '>' or '_' or '|' or '~' or '$' or '.' or '-';

    /// <summary>Han ideographs (BMP), including the compatibility block.</summary>
    internal static bool IsHan(char c) => c is (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');

    /// <summary>CJK punctuation and quotes: a space beside one of these in Chinese text is damage.</summary>
    private static bool IsCjkPunctuation(char c) =>
        c is (>= '\u3001' and <= '\u303F') or (>= '\uFF01' and <= '\uFF0F') or (>= '\uFF1A' and <= '\uFF20') or (>= '\uFF3B' and <= '\uFF40')
            or (>= '\uFF5B' and <= '\uFF65') or '\u2018' or '\u2019' or '\u201C' or '\u201D' or '\u2026' or '\u2014' or '\u00B7' or '\u00D7'
            or '■' or '●' or '▶' or '◆' or '★' or '▲';

    private static bool IsCjk(char c) => IsHan(c) || IsCjkPunctuation(c);

    private static bool IsSentenceEnd(char c) => c is '。' or '！' or '？' or '!' or '?' or '…';

    private static bool IsClosing(char c) => c is '”' or '’' or '」' or '』' or '）' or ')' or '》';

    /// <summary>Half-width , ; : ? ! ( ) . written inside Chinese text become the full-width forms.</summary>
    private static string ConvertPunctuation(string line)
    {
        if (line.AsSpan().IndexOfAny(",;:?!().") < 0)
        {
            return line;
        }

        var chars = line.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c is not (',' or ';' or ':' or '?' or '!' or '(' or ')' or '.'))
            {
                continue;
            }

            var before = Neighbour(chars, i, -1);
            var after = Neighbour(chars, i, +1);
            var hanBefore = before is { } b && IsHan(b);
            var hanAfter = after is { } a && IsHan(a);
            chars[i] = c switch
            {
                ',' when hanBefore || (hanAfter && !(before is { } x && char.IsAsciiDigit(x))) => '，',
                ';' when hanBefore || hanAfter => '；',
                ':' when hanBefore => '：',
                '?' when hanBefore => '？',
                '!' when hanBefore => '！',
                '(' when hanAfter => '（',
                ')' when hanBefore || (before is { } y && IsCjkPunctuation(y)) => '）',
                '.' when hanBefore && (after is null || IsHan(after.Value)) => '。',
                _ => c,
            };
        }

        return new string(chars);
    }

    private static char? Neighbour(char[] chars, int i, int step)
    {
        for (var j = i + step; j >= 0 && j < chars.Length; j += step)
        {
            if (chars[j] != ' ')
            {
                return chars[j];
            }
        }

        return null;
    }

    // ---- spaces ------------------------------------------------------------------------------------------

    /// <summary>
    /// Removes spaces between Chinese characters. A line with a space after nearly every character (every-character
    /// spacing) is closed up entirely, digits and Latin letters too; elsewhere a space stays when a Latin letter or a
    /// digit is on either side, and as the word gap of a headline (a short line with no punctuation).
    /// </summary>
    private static string Despace(string line)
    {
        if (!line.Contains(' ', StringComparison.Ordinal))
        {
            return line;
        }

        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return string.Empty;
        }

        var singles = tokens.Count(t => t.Length == 1 || (t.Length == 2 && char.IsSurrogatePair(t[0], t[1])));
        var spaced = tokens.Length >= 4 && singles * 10 >= tokens.Length * 6;
        var headline = IsHeadlineLike(line);
        var sb = new StringBuilder(line.Length);
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c != ' ')
            {
                sb.Append(c);
                i++;
                continue;
            }

            var start = i;
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (sb.Length == 0 || i >= line.Length)
            {
                continue; // leading or trailing
            }

            var a = sb[^1];
            var b = line[i];
            var gap = i - start;
            bool keep;
            if (spaced)
            {
                keep = gap >= 2 && (headline || !(IsCjk(a) && IsCjk(b)));
            }
            else if (IsCjk(a) && IsCjk(b))
            {
                keep = headline && IsHan(a) && IsHan(b);
            }
            else
            {
                keep = true;
            }

            if (keep)
            {
                sb.Append(' ');
            }
        }

        return sb.ToString();
    }

    /// <summary>A headline or byline: short, Chinese, with no punctuation at all.</summary>
    private static bool IsHeadlineLike(string line)
    {
        var han = 0;
        var length = 0;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                continue;
            }

            length++;
            if (IsHan(c))
            {
                han++;
            }
            else if (IsCjkPunctuation(c) && c is not '·' || char.IsAsciiLetterOrDigit(c) is false && c < '\u0080')
            {
                return false;
            }
        }

        return han >= 4 && length <= 40;
    }

    /// <summary>A headline with its word gaps (<see cref="Despace"/> keeps them only in headline-like lines).</summary>
    private static bool IsHeadline(string line)
    {
        for (var i = line.IndexOf(' ', StringComparison.Ordinal); i > 0 && i < line.Length - 1; i = line.IndexOf(' ', i + 1))
        {
            if (IsHan(line[i - 1]) && IsHan(line[i + 1]))
            {
                return IsHeadlineLike(line);
            }
        }

        return false;
    }

    // ---- furniture ---------------------------------------------------------------------------------------

    /// <summary>Words that only the advertising header of a document-sharing site uses.</summary>
    private static readonly string[] AdvertisingWords =
    [
        "QQ群", "会员群", "禁止外传", "仅供学习", "倒卖", "订阅立享", "下载券", "VIP会员", "免费下载", "原创力文档", "道客巴巴", "豆丁网",
        "百度文库", "更多资料", "资料群", "微信公众号：", "会员材料", "会员资料",
    ];

    /// <summary>Drops the advertising header of a document-sharing site: the short lines at the top up to the last
    /// one naming membership, QQ groups or "仅供学习". A long line (body text) ends the header.</summary>
    private static void DropAdvertisingHeader(List<string> lines)
    {
        var last = -1;
        var seen = 0;
        for (var i = 0; i < lines.Count && seen < 20; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            seen++;
            if (lines[i].Length > ColumnLineMax)
            {
                break;
            }

            if (AdvertisingWords.Any(w => lines[i].Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                last = i;
            }
        }

        for (var i = 0; i <= last; i++)
        {
            lines[i] = string.Empty;
        }
    }

    /// <summary>One line as the reflow sees it: its text, and whether a continuation marker ended it (the article
    /// goes on elsewhere, so what follows is another text).</summary>
    private readonly record struct Line(string Text, bool Continued);

    private static List<Line> DropFurnitureLines(List<string> lines)
    {
        var kept = new List<Line>(lines.Count);
        var blank = true;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                blank = true;
                continue;
            }

            if (IsPageNumber(line) || IsQrLine(line) || IsPageHeader(line, kept, lines, i, blank))
            {
                continue; // a furniture line between two column lines does not end a paragraph
            }

            var continued = false;
            if (line.Contains('版', StringComparison.Ordinal) && ContinuationMarker().Match(line) is { Success: true } marker
                && marker.Index + marker.Length == line.Length)
            {
                line = line[..marker.Index].TrimEnd();
                continued = true;
                if (line.Length == 0)
                {
                    continue;
                }
            }

            if (line.Contains('摄', StringComparison.Ordinal))
            {
                line = PhotoCredit().Replace(line, string.Empty).TrimEnd();
                if (line.Length == 0)
                {
                    continue;
                }
            }

            kept.Add(new Line(line, continued));
            blank = false;
        }

        return kept;
    }

    private static bool IsPageNumber(string line) => line.Length <= 20 && PageNumber().IsMatch(line);

    private static bool IsQrLine(string line) =>
        line.Length <= 40 && !line.Contains('。', StringComparison.Ordinal)
        && (line.Contains("扫码", StringComparison.Ordinal) || line.Contains("扫一扫", StringComparison.Ordinal)
            || line.Contains("二维码", StringComparison.Ordinal) || line.Contains("客户端", StringComparison.Ordinal)
            || line.Contains("下载APP", StringComparison.OrdinalIgnoreCase) || line.Contains("APP下载", StringComparison.OrdinalIgnoreCase));

    /// <summary>"05 民生·社会", "02 要闻": a page number and a section name on a line of their own. A column line can
    /// look the same ("10 个以"), so it counts only where a paragraph can end: after a blank line or a finished
    /// sentence, or before a blank line.</summary>
    private static bool IsPageHeader(string line, List<Line> kept, List<string> lines, int index, bool afterBlank)
    {
        if (line.Length > 16 || !PageHeader().IsMatch(line))
        {
            return false;
        }

        var previousEnds = kept.Count == 0 || afterBlank || EndsSentence(kept[^1].Text) || kept[^1].Continued;
        var nextBlank = index + 1 >= lines.Count || lines[index + 1].Length == 0;
        return previousEnds || nextBlank;
    }

    // ---- paragraphs --------------------------------------------------------------------------------------

    /// <summary>
    /// Joins column lines into paragraphs. A break is real after a finished sentence, after a short line (a headline,
    /// a byline, the end of a paragraph that stops early in its column), around a headline, and before a dateline
    /// ("本报讯"); blank lines alone prove nothing, since PDF column order puts them inside paragraphs.
    /// Text whose lines are mostly long is already one paragraph per line and is not joined.
    /// </summary>
    private static List<string> Reflow(List<Line> lines)
    {
        var paragraphs = new List<string>();
        if (lines.Count == 0)
        {
            return paragraphs;
        }

        var columnLines = lines.Where(l => l.Text.Length <= ColumnLineMax).Select(l => l.Text.Length).Order().ToList();
        var columnar = columnLines.Count >= 5 && columnLines.Count * 10 >= lines.Count * 6;
        var width = columnar ? columnLines[columnLines.Count / 2] : 0;
        var current = new StringBuilder(lines[0].Text);
        for (var i = 1; i < lines.Count; i++)
        {
            var previous = lines[i - 1].Text;
            var next = lines[i].Text;
            var join = columnar
                && !lines[i - 1].Continued
                && !EndsSentence(previous)
                && previous.Length * 10 >= width * 6
                && !IsHeadline(previous) && !IsHeadline(next)
                && !StartsParagraph(next);
            if (join)
            {
                var a = current[^1];
                if (char.IsAsciiLetter(a) && char.IsAsciiLetter(next[0]))
                {
                    current.Append(' ');
                }

                current.Append(next);
            }
            else
            {
                paragraphs.Add(current.ToString());
                current.Clear().Append(next);
            }
        }

        paragraphs.Add(current.ToString());
        return paragraphs;
    }

    /// <summary>Ends with 。！？… (perhaps inside closing quotes), or is a short salutation such as "同志们：".</summary>
    private static bool EndsSentence(string line)
    {
        var i = line.Length - 1;
        while (i > 0 && IsClosing(line[i]))
        {
            i--;
        }

        return i >= 0 && (IsSentenceEnd(line[i]) || (line[i] is '：' or ':' && line.Length <= 12));
    }

    private static bool StartsParagraph(string line) =>
        line.StartsWith("本报讯", StringComparison.Ordinal) || line.StartsWith("新华社", StringComparison.Ordinal)
        || line[0] is '■' or '●' or '◆' or '★' or '▲' or '【';

    [GeneratedRegex(@"^(?:[-—－–~\s]*\d{1,4}[-—－–~\s]*|第\s*\d{1,4}\s*页(?:\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")]
    private static partial Regex PageNumber();

    [GeneratedRegex(@"^(?:第?[A-Z]?\d{1,2}版?)\s+[\u4e00-\u9fff][\u4e00-\u9fff·•\s]{1,10}$")]
    private static partial Regex PageHeader();

    [GeneratedRegex(@"[（(]\s*(?:下转|上接|转|接|详见|见)\s*第?\s*[A-Z]?[0-9一二三四五六七八九十〇]{1,3}\s*版\s*[）)]|▶+\s*(?:详见|见)?\s*第?\s*[A-Z]?[0-9]{1,3}\s*版")]
    private static partial Regex ContinuationMarker();

    [GeneratedRegex(@"[（(][^（）()。]{0,30}?(?:扫码|扫一扫|二维码|客户端)[^（）()。]{0,30}?[）)]")]
    private static partial Regex QrPrompt();

    [GeneratedRegex(@"(?:^|(?<=[。！？!?\s）)]))[（(]?\s*(?:图\s*[/／：:]\s*)?(?:本报|新华社)?\s*(?:记者|通讯员|特约摄影|摄影)\s*[\u4e00-\u9fff][\u4e00-\u9fff、\s]{1,20}?\s*摄\s*[）)]?$")]
    private static partial Regex PhotoCredit();
}
