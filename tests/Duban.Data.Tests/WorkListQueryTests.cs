using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Duban.Tests;

/// <summary>The work list's search and filters (issue 16): keyword, unit, status, kind, source, assigned dates and
/// person, the 已退回 and 全部 tabs, the orders, the filtered Excel export and the form submission keys, on both engines.</summary>
public sealed class WorkListQueryTests
{
    private static Task<long> AssignAsync(Storage s, NewMatter input) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(input, s.Org.Supervisor));

    private static Task ActAsync(Storage s, long id, Actor actor, MatterCommand command) =>
        s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor));

    private static async Task<IReadOnlyList<string>> TitlesAsync(Storage s, MatterFilter filter, Actor? actor = null) =>
        (await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(filter with { PageSize = 200 }, actor ?? s.Org.Supervisor)))
        .Items.Select(m => m.Title).ToList();

    /// <summary>Five matters, each set apart by one field; the clock moves a day between them.</summary>
    private static async Task<Dictionary<string, long>> ScenarioAsync(Storage s)
    {
        var ids = new Dictionary<string, long>();
        async Task Add(string key, NewMatter input)
        {
            ids[key] = await AssignAsync(s, input with { Title = key });
            s.Clock.Advance(TimeSpan.FromDays(1));
        }

        await Add("路灯整改", TestMatters.Assignment("K-T"));
        await Add("污水管网", TestMatters.Assignment("C-ZJ") with { Content = "城区东片雨污分流改造进度滞后，请住建局倒排工期。" });
        await Add("噪音投诉", TestMatters.Assignment("K-T") with { Kind = "appeal", Source = "hotline", Content = "夜间施工噪音扰民，请核查处理。" });
        await Add("信访件", TestMatters.Assignment("K-T") with
        {
            Kind = "petition",
            Source = "offline",
            Content = "群众反映征地补偿款未发放到位。",
            People = [new PersonInput { Role = "responsible", Name = "王建国" }],
        });
        await Add("退回件", TestMatters.Assignment("K-T") with { Content = "不属于本镇职责范围的事项。" });
        await ActAsync(s, ids["退回件"], s.Org.TownshipHandler, new MatterCommand(MatterAction.Return) { Note = "不属本镇职责。" });
        await ActAsync(s, ids["路灯整改"], s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        return ids;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Filters_NarrowByKeywordUnitStatusKindSourceDatesAndPerson(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var ids = await ScenarioAsync(s);
        var code = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(ids["污水管网"], s.Org.Supervisor));

        Assert.Equal(["污水管网"], await TitlesAsync(s, new MatterFilter { Keyword = "雨污分流" })); // in the content
        Assert.Equal(["噪音投诉"], await TitlesAsync(s, new MatterFilter { Keyword = "噪音" })); // in the title
        Assert.Equal(["污水管网"], await TitlesAsync(s, new MatterFilter { Keyword = code.Code.ToLowerInvariant() })); // the code, any case
        Assert.Equal(["污水管网"], await TitlesAsync(s, new MatterFilter { Unit = "C-ZJ" }));
        Assert.Equal(["退回件"], await TitlesAsync(s, new MatterFilter { Status = MatterStatus.Returned }));
        Assert.Equal(["噪音投诉"], await TitlesAsync(s, new MatterFilter { Kind = MatterKind.Appeal }));
        Assert.Equal(["信访件"], await TitlesAsync(s, new MatterFilter { Source = MatterSource.Offline }));
        Assert.Equal(["信访件"], await TitlesAsync(s, new MatterFilter { Person = "王建国" }));

        // Assigned 03-04, 05, 06, 07, 08 (Beijing days): from 05 to 06 holds the second and third, both ends included.
        Assert.Equal(["噪音投诉", "污水管网"], await TitlesAsync(s, new MatterFilter
        {
            AssignedFrom = new DateOnly(2024, 3, 5), AssignedTo = new DateOnly(2024, 3, 6),
        }));

        // Conditions add up, and the reader still sees only their own: the township has no 污水管网.
        Assert.Equal(["噪音投诉"], await TitlesAsync(s, new MatterFilter { Unit = "K-T", Keyword = "施工" }));
        Assert.Empty(await TitlesAsync(s, new MatterFilter { Keyword = "雨污分流" }, s.Org.TownshipHandler));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ReturnedAndAllTabs_CountWhatTheyList_AndTheBoardKeepsTheReturned(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var ids = await ScenarioAsync(s);
        var queries = (IServiceProvider sp) => sp.GetRequiredService<MatterQueries>();

        foreach (var viewer in new[] { s.Org.Supervisor, s.Org.TownshipHandler })
        {
            var counts = await s.RunAsync(sp => queries(sp).TabCountsAsync(viewer));
            foreach (var tab in Enum.GetValues<InboxTab>())
            {
                var list = await s.RunAsync(sp => queries(sp).ListAsync(new MatterFilter { Tab = tab }, viewer));
                Assert.True(list.Total == counts[tab], $"{viewer.Name}: tab {tab} counts {counts[tab]}, its list holds {list.Total}");
            }
        }

        Assert.Equal(["退回件"], await TitlesAsync(s, new MatterFilter { Tab = InboxTab.Returned }));
        Assert.Equal(5, (await TitlesAsync(s, new MatterFilter { Tab = InboxTab.All })).Count);
        Assert.Equal(4, (await TitlesAsync(s, new MatterFilter { Tab = InboxTab.All }, s.Org.TownshipHandler)).Count);

        // A filter narrows the counts too (the tabs say how many of the found are in each).
        var filtered = await s.RunAsync(sp => queries(sp).TabCountsAsync(s.Org.Supervisor, default, new MatterFilter { Unit = "K-T" }));
        Assert.Equal((4, 1), (filtered[InboxTab.All], filtered[InboxTab.Returned]));

        // The supervision board (Attention) lists the returned matter, waiting to be routed again, though nothing is due.
        Assert.Contains("退回件", await TitlesAsync(s, new MatterFilter { Attention = true }));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AUnitsTabCounts_CountWhatItsListsHold_AsItsDeadlinesComeAndPass(string engine)
    {
        // The township's own matters reach it three ways (led, co-led, assigned by it; one both led and assigned); its
        // counts are read from the unit indexes alone, its lists from the matters in parts (VisibleMatters.OwnParts):
        // they must agree on every tab, at every instant, and list each matter once.
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var townshipLeader = new Actor("test:镇领导", "镇领导", s.Org.UnitIds["K-T"], new HashSet<Role> { Role.Leader });
        var led = await AssignAsync(s, TestMatters.Assignment("K-T") with { Title = "牵头一" });
        await AssignAsync(s, TestMatters.Assignment("K-T") with { Title = "牵头二" });
        s.Clock.Advance(TimeSpan.FromDays(3));
        await AssignAsync(s, TestMatters.Assignment("K-T") with { Title = "牵头三" });
        await AssignAsync(s, TestMatters.Assignment("C-ZJ", "K-T") with { Title = "协办" });
        await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T-V") with { Title = "镇交办" }, townshipLeader));
        // Assigned and led by the township (首接首办): one of its matters, once.
        await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T") with { Title = "镇自办" }, townshipLeader));
        await AssignAsync(s, TestMatters.Assignment("C-ZJ") with { Title = "别人的" });
        await ActAsync(s, led, s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));

        var seen = new HashSet<InboxTab>();
        for (var day = 0; day < 40; day += 2)
        {
            var counts = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().TabCountsAsync(s.Org.TownshipHandler));
            foreach (var tab in Enum.GetValues<InboxTab>())
            {
                var list = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Tab = tab }, s.Org.TownshipHandler));
                Assert.True(list.Total == counts[tab], $"day {day}: tab {tab} counts {counts[tab]}, its list holds {list.Total}");
                if (counts[tab] > 0)
                {
                    seen.Add(tab);
                }
            }

            Assert.Equal(6, counts[InboxTab.All]);
            var everyOne = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Tab = InboxTab.All }, s.Org.TownshipHandler));
            Assert.Equal(6, everyOne.Items.Select(m => m.Id).Distinct().Count());
            s.Clock.Advance(TimeSpan.FromDays(2));
        }

        // The deadlines came (临期) and passed (超期) within the days walked: the flags that test them were exercised.
        Assert.Superset(new HashSet<InboxTab> { InboxTab.Unacknowledged, InboxTab.InProgress, InboxTab.DueSoon, InboxTab.Overdue, InboxTab.All }, seen);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Sorts_ByDueAssignedAndCode_EitherWay_NoDeadlineLast(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        await ScenarioAsync(s);
        var byAssigned = await TitlesAsync(s, new MatterFilter { Sort = MatterSort.Assigned });
        Assert.Equal(["路灯整改", "污水管网", "噪音投诉", "信访件", "退回件"], byAssigned);
        Assert.Equal(byAssigned.Reverse(), await TitlesAsync(s, new MatterFilter { Sort = MatterSort.Assigned, Descending = true }));
        Assert.Equal(byAssigned, await TitlesAsync(s, new MatterFilter { Sort = MatterSort.Code }));
        Assert.Equal(byAssigned.Reverse(), await TitlesAsync(s, new MatterFilter { Sort = MatterSort.Code, Descending = true }));

        // The returned matter's clock is stopped (no next deadline): last, whichever way the due dates run.
        foreach (var descending in new[] { false, true })
        {
            var page = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Sort = MatterSort.Due, Descending = descending }, s.Org.Supervisor));
            Assert.Equal("退回件", page.Items[^1].Title);
            var dues = page.Items.SkipLast(1).Select(m => m.NextDueAt!.Value).ToList();
            Assert.Equal(descending ? dues.OrderDescending() : dues.Order(), dues);
            Assert.True(dues.Distinct().Count() > 1, "the order is tested on different due dates");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task KeysetPages_ByIdAndDue_EitherWay_ListEveryMatterOnceInOrder(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        await ScenarioAsync(s);
        // Five more assigned at one instant: equal due dates, their order by id; two returned, so three have no
        // deadline. Pages of three then end inside the ties (due order) and between two without a deadline.
        var same = new List<long>();
        foreach (var title in new[] { "同刻一", "同刻二", "同刻三", "同刻四", "同刻五" })
        {
            same.Add(await AssignAsync(s, TestMatters.Assignment("K-T") with { Title = title }));
        }

        foreach (var id in same.TakeLast(2))
        {
            await ActAsync(s, id, s.Org.TownshipHandler, new MatterCommand(MatterAction.Return) { Note = "不属本镇职责。" });
        }

        var queries = (IServiceProvider sp) => sp.GetRequiredService<MatterQueries>();
        foreach (var (sort, descending) in new[] { (MatterSort.Due, false), (MatterSort.Due, true), (MatterSort.Newest, false), (MatterSort.Newest, true) })
        {
            var filter = new MatterFilter { Sort = sort, Descending = descending, PageSize = 3 };
            var whole = (await s.RunAsync(sp => queries(sp).ListAsync(filter with { PageSize = 200 }, s.Org.Supervisor))).Items.Select(m => m.Id).ToList();
            var paged = new List<long>();
            var pages = 0;
            MatterKey? after = null;
            do
            {
                var page = await s.RunAsync(sp => queries(sp).ListAsync(filter with { After = after, Page = pages + 1 }, s.Org.Supervisor));
                paged.AddRange(page.Items.Select(m => m.Id));
                Assert.Equal(page.HasMore, page.Next is not null);
                after = page.Next;
                pages++;
            }
            while (after is not null && pages < 10);

            Assert.Equal(10, whole.Count);
            Assert.True(pages == 4, $"{sort} {descending}: {pages} pages");
            Assert.Equal(whole, paged); // every matter once, in the list's order, across the due and no-deadline parts
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Export_WritesTheMattersTheFilterKeeps_AllKinds(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        await ScenarioAsync(s);

        async Task<List<IDictionary<string, object?>>> ExportAsync(MatterFilter filter)
        {
            using var stream = new MemoryStream();
            var count = await s.RunAsync(sp => sp.GetRequiredService<MatterLedger>().WriteFilteredAsync(stream, filter, s.Org.Supervisor));
            stream.Position = 0;
            var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: MatterLedger.SheetName).Cast<IDictionary<string, object?>>()
                .Where(r => (string?)r["标题"] != MatterLedger.NothingNote).ToList();
            Assert.Equal(count, rows.Count);
            return rows;
        }

        var townAppealsAndPetitions = await ExportAsync(new MatterFilter { Unit = "K-T", Keyword = "补偿款" });
        Assert.Equal(["信访件"], townAppealsAndPetitions.Select(r => (string)r["标题"]!));
        Assert.Equal("信访", townAppealsAndPetitions[0]["类型"]);
        Assert.Equal("线下", townAppealsAndPetitions[0]["来源"]);

        var all = await ExportAsync(new MatterFilter { Tab = InboxTab.All });
        Assert.Equal(["交办事项", "交办事项", "诉求", "信访", "交办事项"], all.Select(r => (string)r["类型"]!));
        Assert.Equal(["已退回"], (await ExportAsync(new MatterFilter { Tab = InboxTab.Returned })).Select(r => (string)r["状态"]!));
        Assert.Empty(await ExportAsync(new MatterFilter { Keyword = "没有这个词" }));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task SubmissionKey_MakesOnce_RepeatsGetTheFirstOutcome_ARefusalOrNothingMadeFreesTheKey(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var key = FormSubmissions.NewKey();
        var made = 0;
        Task<SubmissionOutcome?> Send(Actor actor, string? k, Func<Task<string?>> create) =>
            s.RunAsync(sp => sp.GetRequiredService<FormSubmissions>().OnceAsync(actor, k, create));

        // Refused (it throws) and "nothing made" (null) leave the key free for the corrected form.
        await Assert.ThrowsAsync<ValidationFailedException>(() => Send(s.Org.Supervisor, key, () => throw ValidationFailedException.For("title", "不能为空。")));
        Assert.Null(await Send(s.Org.Supervisor, key, () => Task.FromResult<string?>(null)));

        // Two at once (two requests, two contexts): the second waits for the first and gets its outcome.
        var gate = new TaskCompletionSource();
        async Task<string?> Create()
        {
            Interlocked.Increment(ref made);
            await gate.Task;
            return "/matters/7";
        }

        var first = Send(s.Org.Supervisor, key, Create);
        while (Volatile.Read(ref made) == 0)
        {
            await Task.Delay(10);
        }

        var second = Send(s.Org.Supervisor, key, Create);
        await Task.Delay(300);
        Assert.False(second.IsCompleted);
        gate.SetResult();
        var (a, b) = (await first, await second);
        Assert.Equal(1, made);
        Assert.Equal(new SubmissionOutcome("/matters/7", false), a);
        Assert.Equal(new SubmissionOutcome("/matters/7", true), b);

        // Later resends too; another person's same key is theirs; no key at all simply runs.
        Assert.Equal(new SubmissionOutcome("/matters/7", true), await Send(s.Org.Supervisor, key, Create));
        Assert.Equal(new SubmissionOutcome("/matters/8", false), await Send(s.Org.CityLeader, key, () => Task.FromResult<string?>("/matters/8")));
        Assert.Equal(new SubmissionOutcome("/x", false), await Send(s.Org.Supervisor, null, () => Task.FromResult<string?>("/x")));
        Assert.Equal(new SubmissionOutcome("/x", false), await Send(s.Org.Supervisor, null, () => Task.FromResult<string?>("/x")));
        Assert.Equal(1, made);
    }
}
