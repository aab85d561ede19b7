using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// The keyword index (SQLite's FTS5 table, PostgreSQL's GIN index over a table of words; both filled beside the writes)
/// finds exactly what the substring test alone found, whether the matters are in the index yet or not: matters with random texts, searched for pieces of them, for
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
            if (i == 19)
            {
                // Half the matters in the index, half still to be added to it (MatterSearch.CatchUpAsync).
                Assert.Equal(20, await CatchUpAsync(s, 1_000));
            }
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

        async Task AllFoundAsync(string when)
        {
            foreach (var keyword in keywords.Where(k => !string.IsNullOrWhiteSpace(k)))
            {
                var word = keyword.Trim();
                var expected = stored.Where(m => m.Title.Contains(word, StringComparison.Ordinal) || m.Content.Contains(word, StringComparison.Ordinal)
                        || m.Code.Contains(word.ToUpperInvariant(), StringComparison.Ordinal))
                    .Select(m => m.Id).Order().ToList();
                Assert.True(expected.SequenceEqual(await FoundAsync(s, keyword)), $"{when}「{keyword}」: expected {string.Join(",", expected)}");
            }
        }

        await AllFoundAsync("half indexed: ");

        // Edits of the titles of an indexed matter and of one not yet indexed: the new words are found, the old ones no
        // more, before the catch-up and after it.
        foreach (var (k, title, content) in new[] { (0, "雨污分流改造", "东片管网"), (30, "老旧小区加装电梯", "西区楼栋") })
        {
            var edited = stored[k].Id;
            await s.RunAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                var matter = await db.Matters.SingleAsync(m => m.Id == edited);
                matter.Title = title;
                matter.Content = content;
                await db.SaveChangesAsync();
            });
            Assert.Equal([edited], await FoundAsync(s, title[..2]));
            Assert.Equal([edited], await FoundAsync(s, content[1..]));
            Assert.DoesNotContain(edited, await FoundAsync(s, stored[k].Title));
            stored[k] = (edited, title, content, stored[k].Code);
        }

        Assert.Equal(15, await CatchUpAsync(s, 15));
        Assert.Equal(5, await CatchUpAsync(s, 1_000));
        Assert.Equal(0, await CatchUpAsync(s, 1_000));
        await AllFoundAsync("all indexed: ");
        Assert.Equal([stored[30].Id], await FoundAsync(s, "加装电梯"));
    }

    /// <summary>
    /// A word in at least as many matters as make it common is judged common, and then found by the substring test:
    /// on SQLite by the index's count, on PostgreSQL by the statistics ANALYZE keeps of the index (reading a common
    /// word's candidates means reading their rows). Statistics are a sample of the past, so on PostgreSQL a word the
    /// statistics still count as common is judged so after the matters holding it changed, and the list still shows
    /// exactly the matters that hold it.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task A_common_word_is_judged_without_reading_its_candidates_on_PostgreSQL(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var ids = new List<long>();
        for (var i = 0; i < 64; i++)
        {
            var title = i < 56 ? $"小区停车难{i}" : $"道路破损{i}";
            ids.Add(await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment() with { Title = title, Content = "群众反映" }, s.Org.Supervisor)));
        }

        await CatchUpAsync(s, 1_000);
        if (engine == TestDatabase.Postgres)
        {
            await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Database.ExecuteSqlRawAsync("ANALYZE matter_search"));
        }

        var (found, common, _) = await FindAsync(s, "小区", 50);
        Assert.True(common);
        Assert.Null(found);
        (found, common, _) = await FindAsync(s, "道路", 50);
        Assert.False(common);
        Assert.Equal(ids[56..], found);

        // 50 of the 56 matters about 小区 are now about 道路; PostgreSQL's statistics are not refreshed. The index learns
        // of the edits at its next catch-up; search is right before it (edited matters are candidates).
        await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Where(m => ids.Take(50).Contains(m.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Title, "道路积水")));
        Assert.Equal(ids[50..56], await FoundAsync(s, "小区"));
        Assert.Equal([.. ids[..50], .. ids[56..]], await FoundAsync(s, "道路"));
        Assert.Equal(0, await CatchUpAsync(s, 1_000)); // no new matter; the edits applied
        (found, common, _) = await FindAsync(s, "小区", 50);
        Assert.Equal(engine == TestDatabase.Postgres, common);
        Assert.Equal(engine == TestDatabase.Sqlite ? ids[50..56] : null, found);
        Assert.Equal(ids[50..56], await FoundAsync(s, "小区"));
        Assert.Equal([.. ids[..50], .. ids[56..]], await FoundAsync(s, "道路"));
    }

    /// <summary>SQLite's index file is derived data: one made for another database, or for a later state of this one
    /// (a backup restored under it), is not trusted and is made again; a deleted matter leaves it.</summary>
    [Fact]
    public async Task SQLites_index_file_follows_its_database_and_nothing_else()
    {
        await using var s = await Storage.CreateAsync(TestDatabase.Sqlite, "2024-03-04T09:00:00+08:00");
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment() with { Title = $"雨污分流{i}", Content = "群众反映" }, s.Org.Supervisor)));
        }

        Assert.Equal(10, await CatchUpAsync(s, 1_000));
        Assert.Equal(ids, (await FindAsync(s, "雨污分流", 50)).Candidates);

        // A deleted matter (Duban deletes none; an operator might, by hand): a candidate no more once the deletion is applied.
        await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Database.ExecuteSqlAsync(
            $"PRAGMA foreign_keys = OFF; DELETE FROM matters WHERE \"Id\" = {ids[0]}; PRAGMA foreign_keys = ON"));
        Assert.Equal(0, await CatchUpAsync(s, 1_000));
        Assert.Equal(ids[1..], (await FindAsync(s, "雨污分流", 50)).Candidates);

        // Another database's index (its id differs): not read, and made again from this one's matters.
        await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Database.ExecuteSqlRawAsync("""UPDATE matter_search_source SET "Source" = 'other'"""));
        Assert.Null((await FindAsync(s, "雨污分流", 50)).Candidates);
        Assert.Equal(9, await CatchUpAsync(s, 1_000));
        Assert.Equal(ids[1..], (await FindAsync(s, "雨污分流", 50)).Candidates);

        // An index further on than the database's ids ever went (an older backup restored under it): made again.
        await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Database.ExecuteSqlAsync(
            $"PRAGMA foreign_keys = OFF; DELETE FROM matters WHERE \"Id\" > {ids[2]}; UPDATE sqlite_sequence SET seq = {ids[2]} WHERE name = 'matters'; PRAGMA foreign_keys = ON"));
        Assert.Equal(2, await CatchUpAsync(s, 1_000));
        Assert.Equal(ids[1..3], (await FindAsync(s, "雨污分流", 50)).Candidates);
        Assert.Equal(ids[2], await s.RunAsync(sp => MatterSearch.IndexedThroughAsync(sp.GetRequiredService<DubanDbContext>(), CancellationToken.None)));
    }

    /// <summary>PostgreSQL's log of matters to index is applied by one instance at a time, in order: a catch-up that finds
    /// another one running leaves the log to it; once applied, the log is empty and the matters are answered by the
    /// index alone; an edit committed after a catch-up that applied later ones stays for the next.</summary>
    [Fact]
    public async Task PostgreSQLs_log_is_applied_once_by_one_instance_at_a_time()
    {
        await using var s = await Storage.CreateAsync(TestDatabase.Postgres, "2024-03-04T09:00:00+08:00");
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment() with { Title = $"雨污分流{i}", Content = "群众反映" }, s.Org.Supervisor)));
        }

        var (found, _, unindexed) = await FindAsync(s, "雨污分流", 50);
        Assert.Equal(ids, found);
        Assert.True(unindexed); // not yet indexed: candidates from the log

        // One instance applies the log in a transaction it has not committed; another finds it at work and leaves it.
        await using (var first = s.Services.CreateAsyncScope())
        {
            var db = first.ServiceProvider.GetRequiredService<DubanDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(10, await MatterSearch.CatchUpAsync(db, 1_000, CancellationToken.None));
            Assert.Equal(0, await CatchUpAsync(s, 1_000));
            await transaction.CommitAsync();
        }

        Assert.Equal(0, await LoggedAsync(s));
        (found, _, unindexed) = await FindAsync(s, "雨污分流", 50);
        Assert.Equal(ids, found);
        Assert.False(unindexed);

        // An edit logged first but committed last (its log row's number is below one a catch-up applied): not lost.
        await using (var editor = s.Services.CreateAsyncScope())
        {
            var db = editor.ServiceProvider.GetRequiredService<DubanDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Matters.Where(m => m.Id == ids[1]).ExecuteUpdateAsync(u => u.SetProperty(m => m.Title, "道路积水"));
            await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Where(m => m.Id == ids[0])
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Title, "雨污分流改造")));
            Assert.Equal(0, await CatchUpAsync(s, 1_000)); // the later edit applied
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await LoggedAsync(s));
        Assert.Contains(ids[1], (await FindAsync(s, "道路积水", 50)).Candidates!);
        Assert.Equal(0, await CatchUpAsync(s, 1_000));
        Assert.Equal(0, await LoggedAsync(s));
        Assert.Equal([ids[1]], (await FindAsync(s, "道路积水", 50)).Candidates);
        Assert.Equal(ids.Where(id => id != ids[1]), (await FindAsync(s, "雨污分流", 50)).Candidates);
    }

    private static Task<int> LoggedAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Database.SqlQuery<int>($"""SELECT count(*)::int AS "Value" FROM matter_search_changes""").SingleAsync());

    private static async Task<(List<long>? Candidates, bool Common, bool Unindexed)> FindAsync(Storage s, string keyword, int many)
    {
        var (found, common, unindexed) = await s.RunAsync(sp => MatterSearch.FindAsync(sp.GetRequiredService<DubanDbContext>(), keyword, many, CancellationToken.None));
        return (found?.Order().ToList(), common, unindexed);
    }

    private static Task<int> CatchUpAsync(Storage s, int most) =>
        s.RunAsync(sp => MatterSearch.CatchUpAsync(sp.GetRequiredService<DubanDbContext>(), most, CancellationToken.None));

    private static async Task<List<long>> FoundAsync(Storage s, string keyword) =>
        (await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Keyword = keyword, PageSize = 200 }, s.Org.Supervisor)))
        .Items.Select(m => m.Id).Order().ToList();
}
