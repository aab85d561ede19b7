using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class MatterStorageTests
{
    private static Task<long> AssignAsync(Storage s, Actor actor, NewMatter input) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(input, actor));

    private static Task ActAsync(Storage s, long id, Actor actor, MatterCommand command, string? unit = null) =>
        s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, unit, actor));

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Assign_StoresMilestonesOnTheSpringFestivalCalendar_InShanghaiTime(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00");
        var id = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment());

        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor));

        Assert.Equal("DB-2024-000001", details.Code);
        Assert.Equal(MatterStatus.Assigned, details.Status);
        // 02-09 is the 1st working day; 02-10…17 Spring Festival; Sunday 02-18 make-up is the 2nd; then 19, 20, 21, 22, 23.
        Assert.Equal(At("2024-02-10T00:00:00+08:00"), details.Milestones[0].DueAt);
        Assert.Equal(At("2024-02-20T00:00:00+08:00"), details.Milestones[1].DueAt);
        Assert.Equal(At("2024-02-24T00:00:00+08:00"), details.Milestones[2].DueAt);
        Assert.All(details.Milestones, m => Assert.Equal(TimeSpan.FromHours(8), m.DueAt.Offset));
        Assert.Equal(MatterAction.Assign, Assert.Single(details.Events).Action);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task FullLifecycle_StoredStateAlwaysEqualsTheReplayOfStoredEvents(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment("K-T", "C-ZJ"));
        var steps = new (Actor Actor, MatterCommand Command, int Hours)[]
        {
            (s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge), 2),
            (s.Org.TownshipHandler, new MatterCommand(MatterAction.Feedback) { Note = "已排查" }, 20),
            (s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已修复" }, 30),
            (s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "仍有暗点" }, 5),
            (s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "全部修复" }, 30),
            (s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true }, 5),
            (s.Org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Dissatisfied, Note = "群众不满意" }, 5),
            (s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "再次整改" }, 30),
            (s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true }, 5),
            (s.Org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Satisfied }, 5),
            (s.Org.Supervisor, new MatterCommand(MatterAction.Close), 1),
        };

        foreach (var (actor, command, hours) in steps)
        {
            s.Clock.Advance(TimeSpan.FromHours(hours));
            await ActAsync(s, id, actor, command);
            await s.RunAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                var matter = await db.Matters.AsNoTracking().Include(m => m.CoUnits).Include(m => m.Milestones).SingleAsync(m => m.Id == id);
                var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == id).OrderBy(e => e.Sequence).ToListAsync();
                Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Sequence));
                Assert.Equal(MatterState.Replay(events.Select(e => e.ToEvent())), matter.ToState());
            });
        }

        var closed = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor));
        Assert.Equal(MatterStatus.Closed, closed.Status);
        Assert.Equal(12, closed.Version);
        Assert.Equal(1, closed.ReopenCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task TwoConcurrentEdits_TheSecondGetsAConflictAndNothingIsHalfWritten(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment());

        // Two requests read version 1; both try to write version 2.
        await using var first = s.Services.CreateAsyncScope();
        await using var second = s.Services.CreateAsyncScope();
        var firstDb = first.ServiceProvider.GetRequiredService<DubanDbContext>();
        var secondDb = second.ServiceProvider.GetRequiredService<DubanDbContext>();
        var firstMatter = await firstDb.Matters.Include(m => m.CoUnits).Include(m => m.Milestones).SingleAsync(m => m.Id == id);
        var secondMatter = await secondDb.Matters.Include(m => m.CoUnits).Include(m => m.Milestones).SingleAsync(m => m.Id == id);
        var lifecycle = first.ServiceProvider.GetRequiredService<Rules>().Lifecycle();
        var tree = await UnitTree.LoadAsync(firstDb, s.Org.UnitIds.Values, CancellationToken.None);
        foreach (var (db, matter, command) in new[]
                 {
                     (firstDb, firstMatter, new MatterCommand(MatterAction.Acknowledge)),
                     (secondDb, secondMatter, new MatterCommand(MatterAction.Return) { Note = "不属于本单位职责" }),
                 })
        {
            var state = matter.ToState();
            var next = lifecycle.Decide(state, command, s.Org.TownshipHandler, s.Clock.GetUtcNow(), tree);
            matter.Store(state.Apply(next), first.ServiceProvider.GetRequiredService<Rules>());
            matter.Events.Add(MatterEventRow.From(next));
        }

        await firstDb.SaveChangesAsync();
        // Caught by the version check or by the unique (matter, event number): whichever the engine hits first.
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => secondDb.SaveChangesAsync());

        // Through the command class the loser gets the domain's 409, and only the winner's event is stored.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            ActAsync(s, id, s.Org.TownshipHandler, new MatterCommand(MatterAction.Feedback) { Note = "进展", ExpectedVersion = 1 }));
        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor));
        Assert.Equal(MatterStatus.Acknowledged, details.Status);
        Assert.Equal([MatterAction.Assign, MatterAction.Acknowledge], details.Events.Select(e => e.Action));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ParallelAssignments_GetDistinctConsecutiveCodes(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment())));

        var codes = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Select(m => m.Code).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"DB-2024-{n:D6}").Order(), codes.Order());
        Assert.Equal(8, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task OverdueFilter_FollowsTheClock_AndReturnedMattersStopTheirClock(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00"); // Monday
        var late = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment());
        var returned = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment());
        await ActAsync(s, returned, s.Org.TownshipHandler, new MatterCommand(MatterAction.Return) { Note = "职责不符" });
        var queries = (Func<MatterFilter, Task<MatterPage>>)(f => s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(f, s.Org.Supervisor)));

        Assert.Empty((await queries(new MatterFilter { Overdue = true })).Items);

        s.Clock.SetUtcNow(At("2024-03-06T00:00:01+08:00")); // acknowledge was due at 24:00 on Tuesday
        var overdue = await queries(new MatterFilter { Overdue = true });
        Assert.Equal([late], overdue.Items.Select(m => m.Id));
        Assert.Equal(MilestoneStatus.Overdue, overdue.Items[0].Milestones[0].Status);

        await ActAsync(s, late, s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        Assert.Empty((await queries(new MatterFilter { Overdue = true })).Items);
        var dueSoon = await queries(new MatterFilter { DueBefore = At("2024-03-08T00:00:01+08:00") });
        Assert.Equal([late], dueSoon.Items.Select(m => m.Id)); // first feedback due Thursday 24:00
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Lists_AreNewestFirst_ButOverdueListsAreMostOverdueFirst(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var monday = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment());
        s.Clock.SetUtcNow(At("2024-03-05T09:00:00+08:00"));
        var tuesday = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment());
        s.Clock.SetUtcNow(At("2024-03-08T09:00:00+08:00"));

        var all = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter(), s.Org.Supervisor));
        var overdue = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Overdue = true }, s.Org.Supervisor));
        var secondPage = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Overdue = true, PageSize = 1, Page = 2 }, s.Org.Supervisor));

        Assert.Equal([tuesday, monday], all.Items.Select(m => m.Id));
        Assert.Equal([monday, tuesday], overdue.Items.Select(m => m.Id));
        Assert.Equal([tuesday], secondPage.Items.Select(m => m.Id));
        Assert.Equal(2, secondPage.Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Visibility_HandlersSeeTheirOwn_SupervisorsAndLeadersTheirSubtree(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var township = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment("K-T"));
        var department = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment("C-ZJ", "K-T-V"));

        async Task<long[]> Visible(Actor actor) =>
            (await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter(), actor))).Items.Select(m => m.Id).Order().ToArray();

        Assert.Equal([township], await Visible(s.Org.TownshipHandler));
        Assert.Equal([department], await Visible(s.Org.CityDepartmentHandler));
        Assert.Equal([department], await Visible(s.Org.VillageHandler)); // co-handling unit
        Assert.Equal(new[] { township, department }.Order(), await Visible(s.Org.Supervisor));
        Assert.Equal(new[] { township, department }.Order(), await Visible(s.Org.CityLeader));

        await Assert.ThrowsAsync<NotFoundException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(department, s.Org.TownshipHandler)));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            ActAsync(s, department, s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge)));
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            ActAsync(s, department, s.Org.VillageHandler, new MatterCommand(MatterAction.Acknowledge)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Assign_Refuses_MissingFourClarities_UnknownUnits_AndWritesNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var bad = TestMatters.Assignment("NOPE", "C-ZJ", "ALSO-NOPE") with { Goal = " ", Standard = null, DueAt = "2023-01-01" };

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => AssignAsync(s, s.Org.Supervisor, bad));

        Assert.Equal(["coUnits", "dueAt", "goal", "leadUnit", "standard"], error.Errors.Keys.Order());
        Assert.Contains("ALSO-NOPE", error.Errors["coUnits"][0], StringComparison.Ordinal);
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().CodeCounters.CountAsync()));

        var past = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment() with { DueAt = "2023-01-01" }));
        Assert.Equal(["dueAt"], past.Errors.Keys);
        await Assert.ThrowsAsync<ForbiddenException>(() => AssignAsync(s, s.Org.TownshipHandler, TestMatters.Assignment()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Transfer_MovesTheMatterToTheNewUnit_AndKeepsItsHistory(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment("C-ZJ"));
        await ActAsync(s, id, s.Org.CityDepartmentHandler, new MatterCommand(MatterAction.Return) { Note = "属地管理事项" });
        s.Clock.Advance(TimeSpan.FromDays(1));
        await ActAsync(s, id, s.Org.Supervisor, new MatterCommand(MatterAction.Transfer) { Note = "转属地办理" }, unit: "K-T");

        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.TownshipHandler));
        Assert.Equal("K-T", details.LeadUnit.Code);
        Assert.Equal(MatterStatus.Assigned, details.Status);
        Assert.Equal([MatterAction.Assign, MatterAction.Return, MatterAction.Transfer], details.Events.Select(e => e.Action));
        // Each event names its actor's unit, the unit that returned it too, though it no longer leads the matter.
        Assert.Equal(["C-DC", "C-ZJ", "C-DC"], details.Events.Select(e => e.ActorUnit?.Code));
        Assert.Contains(MatterAction.Acknowledge, details.AllowedActions);
        await Assert.ThrowsAsync<NotFoundException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.CityDepartmentHandler)));
        var unknown = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            ActAsync(s, id, s.Org.Supervisor, new MatterCommand(MatterAction.Transfer) { Note = "再转" }, unit: "NOPE"));
        Assert.Equal(["unit"], unknown.Errors.Keys);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task CalendarYearsAddedToTheDatabase_AreUsedAfterReload(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var notice = new Calendar.HolidayNotice(2027, [], [new Calendar.NoticeDay(new DateOnly(2027, 1, 1), "元旦", true)]);
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            db.CalendarYears.Add(new CalendarYear { Year = 2027, NoticeJson = notice.ToJson(), AddedAt = s.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        var rules = s.Services.GetRequiredService<Rules>();
        Assert.False(rules.Calendar.IsCertain(new DateOnly(2027, 3, 1)));

        await s.RunAsync(sp => rules.ReloadCalendarAsync(sp.GetRequiredService<DubanDbContext>()));

        Assert.True(rules.Calendar.IsCertain(new DateOnly(2027, 3, 1)));
        Assert.False(rules.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Contains(2027, rules.Calendar.Years);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task TabCounts_EqualEachTabsListTotal_ForEachViewer(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await AssignAsync(s, s.Org.Supervisor, TestMatters.Assignment(i % 3 == 2 ? "C-ZJ" : "K-T")));
        }

        var handler = s.Org.TownshipHandler;
        await ActAsync(s, ids[1], handler, new MatterCommand(MatterAction.Acknowledge));
        foreach (var id in new[] { ids[3], ids[4] })
        {
            await ActAsync(s, id, handler, new MatterCommand(MatterAction.Acknowledge));
            await ActAsync(s, id, handler, new MatterCommand(MatterAction.Feedback) { Note = "已排查" });
            await ActAsync(s, id, handler, new MatterCommand(MatterAction.Complete) { Note = "已修复" });
        }

        await ActAsync(s, ids[4], s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });

        // Two days on (Wednesday 09:00): acknowledging was due by Tuesday 24:00, so the unacknowledged are overdue.
        s.Clock.Advance(TimeSpan.FromHours(48));
        var tabs = Enum.GetValues<InboxTab>();
        foreach (var viewer in new[] { s.Org.Supervisor, handler, s.Org.CityDepartmentHandler, s.Org.Admin })
        {
            var counts = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().TabCountsAsync(viewer));
            foreach (var tab in tabs)
            {
                var list = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Tab = tab }, viewer));
                Assert.True(list.Total == counts[tab], $"{viewer.Name}: tab {tab} counts {counts[tab]}, its list holds {list.Total}");
            }
        }

        var supervisor = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().TabCountsAsync(s.Org.Supervisor));
        Assert.Equal((1, 1, 1), (supervisor[InboxTab.InProgress], supervisor[InboxTab.Reported], supervisor[InboxTab.Done]));
        Assert.True(supervisor[InboxTab.Overdue] >= 3, "the three unacknowledged matters are overdue");
    }
}
