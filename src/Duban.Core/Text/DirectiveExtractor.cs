namespace Duban.Text;

/// <summary>One demand of a leader's speech (任务分解): its place in the series, a short heading that names it and
/// its full text, without the ordinal ("一要", "第一，").</summary>
public sealed record DirectiveItem(int Ordinal, string Heading, string Text);

/// <summary>A series of demands, with the person who made them (the one who 强调/要求/指出) when the text names one.</summary>
public sealed record DirectiveGroup(string? Speaker, IReadOnlyList<DirectiveItem> Items);

/// <summary>
/// Turns a meeting report or speech into task lists: enumerated series (一要…二要…, 一是…二是…, 第一，…第二，…,
/// （一）…（二）…, 1.… 2.…, 一、…二、…) and unnumbered series of sentences starting with "要" after
/// 强调 / 要求 / 指出. A document may hold several groups (one newspaper page reports several meetings); a series
/// nested inside an item of another is part of that item. Text without directives gives an empty list.
/// </summary>
public static class DirectiveExtractor
{
    private const int MaxHeading = 24;
    private const int SpeakerWindow = 400;

    private static readonly string[] Triggers = ["强调", "要求", "指出", "提出"];

    /// <summary>Titles that come between a person and a verb ("习近平总书记强调") or before a name ("市委书记刘尚进").</summary>
    private static readonly string[] Titles =
    [
        "总书记", "书记", "市长", "区长", "县长", "省长", "镇长", "乡长", "主席", "主任", "部长", "局长", "厅长", "处长", "科长", "委员",
        "总理", "同志", "组长", "队长", "院长", "校长", "行长", "秘书长", "常委", "代表",
    ];

    /// <summary>Subjects that are not people: "会议强调" names no speaker.</summary>
    private static readonly string[] NotPeople =
    [
        "会议", "会上", "文件", "通知", "方案", "意见", "大家", "我们", "他们", "上级", "中央", "报告", "讲话", "决定", "工作", "具体", "有关", "相关",
        "总体", "基本", "同时", "此外", "对此", "为此", "他", "她",
    ];

    private enum Family
    {
        NumeralYao, // 一要
        NumeralShi, // 一是
        Di,         // 第一，
        Bracketed,  // （一）
        Arabic,     // 1.
        NumeralDun, // 一、
    }

    private readonly record struct Marker(int Position, int Length, Family Family, int Ordinal);

    private sealed record Series(List<Marker> Markers, int End);

    /// <summary>The directive groups of a text, in document order. The text is cleaned first (<see cref="TextCleaner"/>).</summary>
    public static IReadOnlyList<DirectiveGroup> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = TextCleaner.Clean(text);
        if (s.Length == 0)
        {
            return [];
        }

        var names = KnownNames(s);
        var series = EnumeratedSeries(s);
        var found = new List<(int Start, DirectiveGroup Group)>();
        foreach (var one in series)
        {
            var items = new List<DirectiveItem>();
            for (var i = 0; i < one.Markers.Count; i++)
            {
                var m = one.Markers[i];
                var end = i + 1 < one.Markers.Count ? one.Markers[i + 1].Position : one.End;
                var body = s[(m.Position + m.Length)..end].Trim().TrimStart('，', '、', '：', ' ');
                if (body.Length > 0) // "二要" at the very end says nothing: no empty task (found by fuzzing)
                {
                    items.Add(new DirectiveItem(items.Count + 1, Heading(body), body));
                }
            }

            if (items.Count == 0)
            {
                continue;
            }

            found.Add((one.Markers[0].Position, new DirectiveGroup(Speaker(s, one.Markers[0].Position, names), items)));
        }

        var covered = series.Select(x => (Start: ParagraphStart(s, x.Markers[0].Position), x.End)).ToList();
        foreach (var (start, group) in UnnumberedSeries(s, covered, names))
        {
            found.Add((start, group));
        }

        return found.OrderBy(f => f.Start).Select(f => f.Group).ToList();
    }

    // ---- enumerated series ---------------------------------------------------------------------------------

    private static List<Series> EnumeratedSeries(string s)
    {
        var markers = Markers(s);
        var all = new List<Series>();
        foreach (var family in Enum.GetValues<Family>())
        {
            List<Marker>? current = null;
            foreach (var m in markers.Where(m => m.Family == family))
            {
                if (m.Ordinal == 1)
                {
                    Close(current);
                    current = [m];
                }
                else if (current is not null && m.Ordinal == current[^1].Ordinal + 1)
                {
                    current.Add(m);
                }
            }

            Close(current);
        }

        // A series inside an item of another (一是…二是… within 第一，…) belongs to that item.
        all.Sort((a, b) => a.Markers[0].Position.CompareTo(b.Markers[0].Position));
        var outer = new List<Series>();
        foreach (var one in all)
        {
            if (outer.Count > 0 && one.Markers[0].Position < outer[^1].End)
            {
                continue;
            }

            outer.Add(one);
        }

        return outer;

        void Close(List<Marker>? series)
        {
            if (series is { Count: >= 2 })
            {
                // The last item runs to the end of its paragraph, or of the next one when the marker ends a paragraph.
                var last = series[^1];
                var end = ParagraphEnd(s, last.Position);
                while (end - (last.Position + last.Length) < 2 && end < s.Length)
                {
                    end = ParagraphEnd(s, end + 1);
                }

                all.Add(new Series(series, end));
            }
        }
    }

    private static List<Marker> Markers(string s)
    {
        var markers = new List<Marker>();
        for (var i = 0; i < s.Length; i++)
        {
            var afterClause = i == 0 || s[i - 1] is '\n' or '。' or '！' or '？' or '；' or '：' or '，';
            var afterSentence = i == 0 || s[i - 1] is '\n' or '。' or '！' or '？' or '：';
            if (!afterClause)
            {
                continue;
            }

            var c = s[i];
            if (c == '第' && Numeral(s, i + 1) is var (n, len) && n > 0 && i + 1 + len < s.Length && s[i + 1 + len] is '，' or '、' or '：')
            {
                markers.Add(new Marker(i, 2 + len, Family.Di, n));
            }
            else if (c is '（' or '(' && Numeral(s, i + 1) is var (bn, blen) && bn > 0 && i + 1 + blen < s.Length && s[i + 1 + blen] is '）' or ')')
            {
                markers.Add(new Marker(i, blen + 2, Family.Bracketed, bn));
            }
            else if (Numeral(s, i) is var (cn, clen) && cn > 0 && i + clen < s.Length)
            {
                var next = s[i + clen];
                if (next == '要' && !(i + clen + 1 < s.Length && s[i + clen + 1] is '求' or '素' or '点' or '闻' or '务'))
                {
                    markers.Add(new Marker(i, clen + 1, Family.NumeralYao, cn));
                }
                else if (next == '是')
                {
                    markers.Add(new Marker(i, clen + 1, Family.NumeralShi, cn));
                }
                else if (next == '、' && afterSentence)
                {
                    markers.Add(new Marker(i, clen + 1, Family.NumeralDun, cn));
                }
            }
            else if (afterSentence && char.IsAsciiDigit(c))
            {
                var j = i;
                while (j < s.Length && j - i < 2 && char.IsAsciiDigit(s[j]))
                {
                    j++;
                }

                if (j < s.Length && s[j] is '.' or '、' && (j + 1 >= s.Length || !char.IsAsciiDigit(s[j + 1])))
                {
                    markers.Add(new Marker(i, j - i + 1, Family.Arabic, int.Parse(s.AsSpan(i, j - i), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        return markers;
    }

    /// <summary>一 to 二十 written in Chinese numerals at <paramref name="at"/>: (value, length), or (0, 0).</summary>
    private static (int Value, int Length) Numeral(string s, int at)
    {
        const string digits = "一二三四五六七八九";
        if (at >= s.Length)
        {
            return (0, 0);
        }

        var first = digits.IndexOf(s[at], StringComparison.Ordinal) + 1;
        if (s[at] == '十')
        {
            var unit = at + 1 < s.Length ? digits.IndexOf(s[at + 1], StringComparison.Ordinal) + 1 : 0;
            return unit > 0 ? (10 + unit, 2) : (10, 1);
        }

        if (first == 0)
        {
            return (0, 0);
        }

        if (first == 2 && at + 1 < s.Length && s[at + 1] == '十')
        {
            return (20, 2);
        }

        return (first, 1);
    }

    // ---- unnumbered series ---------------------------------------------------------------------------------

    /// <summary>"秦保强强调，要对标对表查问题补短板。…要精准精细抓整改见成效。…": after a trigger verb, each sentence that
    /// starts with 要 (perhaps after a short lead such as "下一步，") opens an item; other sentences belong to the
    /// item before them. One series per paragraph, of two items or more.</summary>
    private static IEnumerable<(int Start, DirectiveGroup Group)> UnnumberedSeries(string s, List<(int Start, int End)> covered, HashSet<string> names)
    {
        var start = 0;
        while (start < s.Length)
        {
            var end = s.IndexOf('\n', start);
            if (end < 0)
            {
                end = s.Length;
            }

            var paragraphStart = start;
            start = end + 1;
            if (covered.Any(c => c.Start < end && paragraphStart < c.End))
            {
                continue;
            }

            var trigger = FirstTrigger(s, paragraphStart, end);
            if (trigger < 0)
            {
                continue;
            }

            var items = new List<DirectiveItem>();
            var sentenceStart = trigger;
            var currentStart = -1;
            while (sentenceStart < end)
            {
                var sentenceEnd = SentenceEnd(s, sentenceStart, end);
                var sentence = s[sentenceStart..sentenceEnd];
                var lead = DemandStart(sentence, sentenceStart == trigger);
                if (lead >= 0)
                {
                    if (currentStart >= 0)
                    {
                        items.Add(Item(s, currentStart, sentenceStart, items.Count + 1));
                    }

                    currentStart = sentenceStart + lead;
                }

                sentenceStart = sentenceEnd;
            }

            if (currentStart >= 0)
            {
                items.Add(Item(s, currentStart, end, items.Count + 1));
            }

            if (items.Count >= 2)
            {
                yield return (trigger, new DirectiveGroup(Speaker(s, trigger, names), items));
            }
        }
    }

    private static DirectiveItem Item(string s, int from, int to, int ordinal)
    {
        var text = s[from..to].Trim();
        var body = text.StartsWith('要') ? text[1..] : text;
        return new DirectiveItem(ordinal, Heading(body), text);
    }

    /// <summary>Where a trigger verb ("强调，", "要求：") first occurs in the paragraph, as the index just after its
    /// punctuation; -1 if none.</summary>
    private static int FirstTrigger(string s, int from, int to)
    {
        var best = -1;
        foreach (var trigger in Triggers)
        {
            var at = s.IndexOf(trigger, from, to - from, StringComparison.Ordinal);
            while (at >= 0)
            {
                var after = at + trigger.Length;
                if (after < to && s[after] is '，' or '：')
                {
                    if (best < 0 || after + 1 < best)
                    {
                        best = after + 1;
                    }

                    break;
                }

                at = after < to ? s.IndexOf(trigger, after, to - after, StringComparison.Ordinal) : -1;
            }
        }

        return best;
    }

    /// <summary>Where the demand starts inside a sentence that opens with 要, possibly after a short lead
    /// ("下一步，要…"); -1 if the sentence is not a demand. The trigger's own sentence starts right after "强调，".</summary>
    private static int DemandStart(string sentence, bool first)
    {
        if (sentence.StartsWith('要') && (first || !sentence.StartsWith("要求", StringComparison.Ordinal)))
        {
            return 0;
        }

        var comma = sentence.IndexOf('，', StringComparison.Ordinal);
        if (comma is > 0 and <= 4 && comma + 1 < sentence.Length && sentence[comma + 1] == '要')
        {
            return comma + 1;
        }

        return -1;
    }

    private static int SentenceEnd(string s, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (s[i] is '。' or '！' or '？')
            {
                var j = i + 1;
                while (j < to && s[j] is '”' or '’' or '）')
                {
                    j++;
                }

                return j;
            }
        }

        return to;
    }

    // ---- headings and speakers -------------------------------------------------------------------------------

    /// <summary>The phrase that names the demand: its first clause ("加强组织领导，明确责任分工" → "加强组织领导"),
    /// or the first sentence when that clause is too short to name anything, cut at 24 characters.</summary>
    private static string Heading(string body)
    {
        var clause = body.IndexOfAny(['，', '：', '；', '。', '！', '？', '\n']);
        var sentence = body.IndexOfAny(['；', '。', '！', '？', '\n']);
        var first = (clause >= 4 ? body[..clause] : sentence >= 0 ? body[..sentence] : body).Trim();
        return first.Length <= MaxHeading ? first : first[..MaxHeading] + "…";
    }

    /// <summary>The person who made the demands: the subject of the last trigger verb before the series in its
    /// paragraph (or in the paragraph before, when that one ends with a colon). "他/她" resolves to the nearest
    /// person named before it; "会议强调" names nobody.</summary>
    private static string? Speaker(string s, int position, HashSet<string> names)
    {
        var from = ParagraphStart(s, position);
        if (from == position && from >= 2 && s[from - 2] is '：' or ':')
        {
            from = ParagraphStart(s, from - 1);
        }

        from = Math.Max(from, position - SpeakerWindow);
        var best = -1;
        foreach (var trigger in Triggers)
        {
            for (var at = position > from ? s.LastIndexOf(trigger, position - 1, position - from, StringComparison.Ordinal) : -1;
                 at >= from;
                 at = at > from ? s.LastIndexOf(trigger, at - 1, at - from, StringComparison.Ordinal) : -1)
            {
                // "刘涛强调，" and "王建国同志指出：" say something; "工作要求如下" does not.
                if (at + trigger.Length < s.Length && s[at + trigger.Length] is '，' or '：')
                {
                    best = Math.Max(best, at);
                    break;
                }
            }
        }

        return best < 0 ? null : Subject(s, best, names);
    }

    private static string? Subject(string s, int verb, HashSet<string> names)
    {
        var start = verb;
        while (start > 0 && verb - start < 16 && TextCleaner.IsHan(s[start - 1]))
        {
            start--;
        }

        var run = s[start..verb];
        if (run.EndsWith('他') || run.EndsWith('她'))
        {
            return NearestName(s, verb, names);
        }

        if (run.EndsWith("同志", StringComparison.Ordinal))
        {
            run = run[..^2];
        }

        // A title between the name and the verb ("习近平总书记强调"), or before the name ("市委书记刘尚进强调").
        if (Titles.Where(t => run.EndsWith(t, StringComparison.Ordinal)).MaxBy(t => t.Length) is { } suffix)
        {
            run = run[..^suffix.Length];
        }

        run = AfterLastTitle(run);
        if (run.Length > 4)
        {
            return names.Where(n => run.EndsWith(n, StringComparison.Ordinal)).MaxBy(n => n.Length);
        }

        return run.Length < 2 || NotPeople.Any(n => run.EndsWith(n, StringComparison.Ordinal)) ? null : run;
    }

    private static string AfterLastTitle(string run)
    {
        var cut = 0;
        foreach (var title in Titles)
        {
            var at = run.LastIndexOf(title, StringComparison.Ordinal);
            if (at >= 0)
            {
                cut = Math.Max(cut, at + title.Length);
            }
        }

        return run[cut..];
    }

    /// <summary>People the text names as subjects of a verb of speech: "刘尚进强调", "吕岩要求".</summary>
    private static HashSet<string> KnownNames(string s)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var verb in Triggers.Concat(["主持", "讲话", "表示"]))
        {
            for (var at = s.IndexOf(verb, StringComparison.Ordinal); at > 0; at = s.IndexOf(verb, at + verb.Length, StringComparison.Ordinal))
            {
                var start = at;
                while (start > 0 && at - start < 16 && TextCleaner.IsHan(s[start - 1]))
                {
                    start--;
                }

                var run = AfterLastTitle(s[start..at]);

                if (run.Length is >= 2 and <= 3 && !NotPeople.Any(n => run.Contains(n, StringComparison.Ordinal)) && run[^1] is not ('他' or '她'))
                {
                    names.Add(run);
                }
            }
        }

        // "秦保强对更好发挥……进行总结点评": a sentence that opens with a name and a verb of action.
        foreach (var verb in (string[])["对", "作", "就", "安排"])
        {
            for (var at = s.IndexOf(verb, StringComparison.Ordinal); at > 0; at = s.IndexOf(verb, at + verb.Length, StringComparison.Ordinal))
            {
                var start = at;
                while (start > 0 && at - start < 4 && TextCleaner.IsHan(s[start - 1]))
                {
                    start--;
                }

                var opensSentence = start == 0 || s[start - 1] is '\n' or '。' or '！' or '？';
                var run = s[start..at];
                if (opensSentence && run.Length is >= 2 and <= 3 && !NotPeople.Any(n => run.Contains(n, StringComparison.Ordinal)))
                {
                    names.Add(run);
                }
            }
        }

        return names;
    }

    private static string? NearestName(string s, int before, HashSet<string> names)
    {
        string? best = null;
        var bestAt = -1;
        var from = Math.Max(0, before - SpeakerWindow);
        foreach (var name in names)
        {
            var at = s.LastIndexOf(name, before - 1, before - from, StringComparison.Ordinal);
            if (at > bestAt)
            {
                bestAt = at;
                best = name;
            }
        }

        return best;
    }

    private static int ParagraphStart(string s, int position)
    {
        var at = position > 0 ? s.LastIndexOf('\n', position - 1) : -1;
        return at + 1;
    }

    private static int ParagraphEnd(string s, int position)
    {
        var at = s.IndexOf('\n', position);
        return at < 0 ? s.Length : at;
    }
}
