using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// The keyword index (FlatReads: SQLite's FTS5 table kept by triggers, PostgreSQL's GIN index over character pairs)
/// finds exactly what the substring test alone found: matters with random texts, searched for pieces of them, for
/// one-character keywords the index cannot narrow, and for words they do not hold; and after an edit, the new
/// words and not the old ones. Both engines.
/// </summary>
public sealed class MatterSearchTests
{
    private static readonly string[] Alphabet = ["小", "区", "物", "业", "停", "车", "噪", "音", "A", "a", "B", "b", "1", "2", "，", " ", "-", "𠀀"];

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task TheIndexFindsWhatTheSubstringTestFinds(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var random = new Random(7);
        string Text(int max) => string.Concat(Enumerable.Range(0, random.Next(1, max)).Select(_ => Alphabet[random.Next(Alphabet.Length)]));
        var stored = new List<(long Id, string Title, string Content, string Code)>();
        for (var i = 0; i < 40; i++)
        {
            var (title, content) = (i == 0 ? "旧标题" : "事" + Text(12), "内容" + Text(40));
            var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment() with { Title = title, Content = content }, s.Org.Supervisor));
            var code = (await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor))).Code;
            stored.Add((id, title, content, code));
        }

        // Pieces of the stored texts (most found), and random words (most not).
        var keywords = new List<string> { "小区", "12", "A", "b1", "噪音 ", "，", "业停车", stored[3].Code.ToLowerInvariant() };
        for (var i = 0; i < 40; i++)
        {
            var source = stored[random.Next(stored.Count)].Content;
            var start = random.Next(source.Length);
            var piece = source.Substring(start, Math.Min(source.Length - start, random.Next(1, 5)));
            keywords.Add(char.IsLowSurrogate(piece[0]) || char.IsHighSurrogate(piece[^1]) ? Text(4) : piece);
            keywords.Add(Text(4));
        }

        foreach (var keyword in keywords.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            var word = keyword.Trim();
            var expected = stored.Where(m => m.Title.Contains(word, StringComparison.Ordinal) || m.Content.Contains(word, StringComparison.Ordinal)
                    || m.Code.Contains(word.ToUpperInvariant(), StringComparison.Ordinal))
                .Select(m => m.Id).Order().ToList();
            Assert.True(expected.SequenceEqual(await FoundAsync(s, keyword)), $"「{keyword}」: expected {string.Join(",", expected)}");
        }

        // An edit of the title: the new words are found, the old ones no more.
        var edited = stored[0].Id;
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var matter = await db.Matters.SingleAsync(m => m.Id == edited);
            matter.Title = "雨污分流改造";
            matter.Content = "东片管网";
            await db.SaveChangesAsync();
        });
        Assert.Equal([edited], await FoundAsync(s, "雨污"));
        Assert.Equal([edited], await FoundAsync(s, "片管网"));
        Assert.DoesNotContain(edited, await FoundAsync(s, stored[0].Title));
    }

    private static async Task<List<long>> FoundAsync(Storage s, string keyword) =>
        (await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Keyword = keyword, PageSize = 200 }, s.Org.Supervisor)))
        .Items.Select(m => m.Id).Order().ToList();
}
