namespace Duban.Synthetic;

/// <summary>
/// Titles and bodies varied from real appeals (e.g. 泰迪杯 2020 附件3): a text keeps its base's title and a random
/// selection of its sentences, in order, so vocabulary, length and phrasing follow the real data while no two
/// matters need read the same. Reproducible from the <see cref="Random"/> given.
/// </summary>
public sealed class SyntheticTexts
{
    private const int MaxContent = 2000;
    private readonly (string Title, string[] Sentences)[] _bases;

    /// <param name="bases">Real (title, body) pairs; empty titles or bodies are left out.</param>
    /// <exception cref="ArgumentException">No usable base.</exception>
    public SyntheticTexts(IEnumerable<(string Title, string Body)> bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        _bases = bases
            .Select(b => (Title: Clean(b.Title), Sentences: Sentences(Clean(b.Body))))
            .Where(b => b.Title.Length > 0 && b.Sentences.Length > 0)
            .ToArray();
        if (_bases.Length == 0)
        {
            throw new ArgumentException("No appeal with both a title and a body.", nameof(bases));
        }
    }

    /// <summary>How many real texts the variants are drawn from.</summary>
    public int Count => _bases.Length;

    /// <summary>A title (at most 200 characters) and a body (at most 2,000) made from one random base.</summary>
    public (string Title, string Content) Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (title, sentences) = _bases[random.Next(_bases.Length)];
        var kept = sentences.Where(_ => random.NextDouble() < 0.75).ToList();
        var content = kept.Count == 0 ? sentences[0] : string.Concat(kept);
        return (title.Length > 200 ? title[..200] : title, content.Length > MaxContent ? content[..MaxContent] : content);
    }

    /// <summary>One line, trimmed: the board's texts carry tabs, runs of spaces and zero-width spaces.</summary>
    private static string Clean(string? text) =>
        string.Join(' ', (text ?? string.Empty).Replace("\u200b", "", StringComparison.Ordinal).Split([' ', '\t', '\r', '\n', '\u3000'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The sentences of a body, each with its closing mark (。！？；).</summary>
    private static string[] Sentences(string body)
    {
        var list = new List<string>();
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] is '。' or '！' or '？' or '；' or '!' or '?')
            {
                list.Add(body[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < body.Length)
        {
            list.Add(body[start..]);
        }

        return [.. list.Where(s => s.Trim().Length > 0)];
    }
}
