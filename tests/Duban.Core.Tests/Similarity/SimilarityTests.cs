using Duban.Similarity;
using Duban.Tabular;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Similarity;

/// <summary>Short appeal-like texts built from real fragments, so that random cases share words as appeals do.</summary>
public static class AppealTextArbitrary
{
    private static readonly string[] Fragments =
    [
        "丽发新城", "搅拌站", "噪音扰民", "尊敬的领导，", "请相关部门尽快处理。", "A市A2区", "小区门口", "垃圾站", "车位捆绑销售",
        "伊景园滨河苑", "205路公交车", "经常不按时发车", "夜间施工", "严重影响休息", "希望政府重视", "！", "，", " ", "１２３", "ABC",
    ];

    public static Arbitrary<string[]> Texts() => Arb.From(
        Gen.ArrayOf(Gen.Elements(Fragments).ArrayOf().Select(parts => string.Concat(parts))).Select(a => a.Take(40).ToArray()));
}

[Properties(Arbitrary = [typeof(AppealTextArbitrary)], MaxTest = 200)]
public sealed class SimilarityPropertyTests
{
    private static List<ShingledItem> Items(string[] texts) =>
        texts.Select((t, i) => new ShingledItem(1000 + i, ShingleSet.FromText(t))).ToList();

    [Property]
    public bool TopSimilar_TextIsItsOwnTopOne(string[] texts)
    {
        var index = new SimilarityIndex();
        var items = Items(texts).Where(i => i.Shingles.Count > 0).ToList();
        foreach (var item in items)
        {
            index.Add(item.Id, MinHash.Of(item.Shingles)!);
        }

        var byId = items.ToDictionary(i => i.Id, i => i.Shingles);
        return items.All(item =>
        {
            var top = index.TopSimilar(MinHash.Of(item.Shingles)!, 1, queryShingles: item.Shingles, exact: id => byId[id]);
            return top.Count == 1 && top[0].Exact == 1.0 && ShingleSet.Jaccard(byId[top[0].Id], item.Shingles) == 1.0;
        });
    }

    [Property]
    public bool Scores_AreBetweenZeroAndOne(string[] texts)
    {
        var items = Items(texts);
        var index = new SimilarityIndex();
        foreach (var item in items.Where(i => i.Shingles.Count > 0))
        {
            index.Add(item.Id, MinHash.Of(item.Shingles)!);
        }

        return items.Where(i => i.Shingles.Count > 0).All(item =>
            index.TopSimilar(MinHash.Of(item.Shingles)!, 5).All(s => s.Estimate is > 0 and <= 1)
            && items.All(o => ShingleSet.Jaccard(item.Shingles, o.Shingles) is >= 0 and <= 1));
    }

    [Property]
    public bool Group_IsAPartitionOfGroupsOfTwoOrMore(string[] texts)
    {
        var items = Items(texts);
        var groups = NearDuplicates.Group(items);
        var members = groups.SelectMany(g => g.Members).ToList();
        return members.Count == members.Distinct().Count()
            && members.All(id => items.Any(i => i.Id == id))
            && groups.All(g => g.Members.Count >= 2 && g.Members.Contains(g.Typical));
    }

    [Property]
    public bool Group_EveryMemberIsNearItsTypicalItem(string[] texts)
    {
        var items = Items(texts);
        var byId = items.ToDictionary(i => i.Id, i => i.Shingles);
        var options = new GroupingOptions();
        return NearDuplicates.Group(items, options).All(g =>
            g.Members.All(m => m == g.Typical || ShingleSet.Jaccard(byId[m], byId[g.Typical]) >= options.MemberThreshold));
    }

    [Property]
    public bool Group_DoesNotDependOnOrder(string[] texts, int seed)
    {
        var items = Items(texts);
        var random = new Random(seed);
        var shuffled = items.Select(i => (Key: random.Next(), Item: i)).OrderBy(p => p.Key).Select(p => p.Item).ToList();
        var a = NearDuplicates.Group(items);
        var b = NearDuplicates.Group(shuffled);
        return a.Count == b.Count && a.Zip(b).All(p => p.First.Typical == p.Second.Typical && p.First.Members.SequenceEqual(p.Second.Members));
    }

    [Property]
    public bool Signature_SurvivesStorage(string[] texts) =>
        Items(texts).Select(i => MinHash.Of(i.Shingles)).OfType<MinHashSignature>()
            .All(s => MinHashSignature.FromBytes(s.ToBytes()).Values.SequenceEqual(s.Values));
}

public sealed class SimilarityTests
{
    [Theory]
    [InlineData("投诉：丽发新城  搅拌站！", "投诉丽发新城搅拌站")]
    [InlineData("Ａ市２０１９年", "a市2019年")]
    [InlineData("205路，\r\n公交车", "205路公交车")]
    [InlineData("𠮷野家 👍", "𠮷野家")]
    [InlineData("  ", "")]
    [InlineData(null, "")]
    public void Normalize_KeepsLettersAndDigitsFolded(string? text, string expected) =>
        Assert.Equal(expected, SimilarityText.Normalize(text));

    [Fact]
    public void Jaccard_IgnoresPunctuationAndWidth()
    {
        Assert.Equal(1.0, ShingleSet.Jaccard(ShingleSet.FromText("A市205路公交车，经常不按时发车！"), ShingleSet.FromText("Ａ市２０５路公交车 经常不按时发车")));
        Assert.Equal(0.0, ShingleSet.Jaccard(ShingleSet.Empty, ShingleSet.Empty));
    }

    [Fact]
    public void HotIssues_RankRepeatedAndLikedAppealsFirst_WithinPeriodAndRegion()
    {
        var at = new DateTimeOffset(2019, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));
        const string Noise = "暮云街道丽发新城小区边上建了大型搅拌站，白天晚上噪音很大，扬尘污染严重，请相关部门尽快处理。";
        HotIssueItem Item(long id, string text, int likes, int days = 0, string region = "A2") =>
            new(id, at.AddDays(days), region, likes, ShingleSet.FromText(text));
        var items = new[]
        {
            Item(1, Noise, 3), Item(2, "丽发新城小区边上建了大型搅拌站，噪音很大，扬尘污染严重，请尽快处理。", 10), Item(3, Noise + "再次投诉！", 0),
            Item(4, "205路公交车经常不按时发车，早上等了半小时。", 40),
            Item(5, Noise, 9, days: 40), Item(6, Noise, 9, region: "A3"),
        };

        var ranked = HotIssues.Rank(items, at.AddDays(-1), at.AddDays(30), "A2");

        Assert.Equal([1L, 2, 3], ranked[0].Members);
        Assert.Equal(13, ranked[0].Likes);
        Assert.Equal([4L], ranked[1].Members);
        Assert.Equal(2, ranked.Count);
    }

    /// <summary>The real appeals (泰迪杯 2020, 附件3): rows sharing a title are known repeats. Grouping on the body
    /// text alone must put ≥ 95 % of those pairs together without a catch-all group.</summary>
    [Fact]
    public void Group_RecoversKnownRepeatsInRealAppeals()
    {
        using var reader = new StreamReader(RealAppeals());
        var rows = Csv.Read(reader).Skip(1).Select(r => r.Fields).ToList();
        var items = rows.Select((r, i) => new ShingledItem(i, ShingleSet.FromText(r[4]))).ToList();
        var groups = NearDuplicates.Group(items);

        var report = GroupingReport.Of(groups, Enumerable.Range(0, rows.Count).ToDictionary(i => (long)i, i => rows[i][2]));

        Assert.Equal(133, report.KnownPairs);
        Assert.True(report.Recovery >= 0.95, $"recovered {report.RecoveredPairs} of {report.KnownPairs}");
        Assert.True(groups[0].Members.Count <= 60, $"largest group {groups[0].Members.Count}");
        Assert.True(groups.Sum(g => g.Members.Count) <= rows.Count * 0.35, $"{groups.Sum(g => g.Members.Count)} appeals in groups");
        AssertStars(items, groups, new GroupingOptions());
    }

    /// <summary>No chaining: every member is similar to its group's typical item, and a group past
    /// <see cref="GroupingOptions.LargeGroup"/> has at most that many members below the stricter similarity.</summary>
    internal static void AssertStars(IReadOnlyList<ShingledItem> items, IReadOnlyList<NearDuplicateGroup> groups, GroupingOptions options)
    {
        var byId = items.ToDictionary(i => i.Id, i => i.Shingles);
        foreach (var group in groups)
        {
            var similarity = group.Members.Where(m => m != group.Typical).Select(m => ShingleSet.Jaccard(byId[m], byId[group.Typical])).ToList();
            Assert.All(similarity, s => Assert.True(s >= options.MemberThreshold, $"a member at {s:0.000} in the group of {group.Typical}"));
            Assert.True(similarity.Count(s => s < options.LargeMemberThreshold) < options.LargeGroup, $"group of {group.Typical}");
        }
    }

    [Fact]
    public void Group_DoesNotChain_ThroughASeriesOfOverlappingTexts()
    {
        // Each text overlaps the next by most of its characters, the first and the last not at all: a chain.
        const string Run = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星天地玄黄宇宙洪荒";
        var items = Enumerable.Range(0, 9).Select(i => new ShingledItem(i, ShingleSet.FromText(Run.Substring(i * 4, 16)))).ToList();
        Assert.True(ShingleSet.Jaccard(items[0].Shingles, items[1].Shingles) > 0.5);
        Assert.Equal(0, ShingleSet.Jaccard(items[0].Shingles, items[8].Shingles));

        var groups = NearDuplicates.Group(items);

        Assert.True(groups.Count > 1, "the chain is cut into several groups");
        AssertStars(items, groups, new GroupingOptions());
    }

    /// <summary>../shared/data beside the repository (the data is third-party and not redistributed with it).</summary>
    private static string RealAppeals()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "data", "appeals-taidi2020", "hot_issue_messages.csv");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("shared/data/appeals-taidi2020/hot_issue_messages.csv not found above " + AppContext.BaseDirectory);
    }
}
