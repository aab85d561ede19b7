using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>周交办 on both engines: numbering, one session per matter, sending with notices, the previous-session report.</summary>
public sealed class WeeklySessionTests
{
    private static Task<long> CreateAsync(Storage s, Actor actor, string date = "2024-02-05", string meeting = "市委市政府重点工作周例会") =>
        s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().CreateAsync(new NewWeeklySession(date, meeting, null), actor));

    private static Task<long> AssignAsync(Storage s, string lead = "K-T", params string[] co) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead, co), s.Org.Supervisor));

    private static Task AddAsync(Storage s, long session, Actor actor, params long[] matters) =>
        s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().AddMattersAsync(session, matters, actor));

    private static Task SendAsync(Storage s, long session, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().SendAsync(session, actor ?? s.Org.Supervisor));

    private static Task<WeeklySessionDetails> GetAsync(Storage s, long session, Actor actor) =>
        s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().GetAsync(session, actor));

    private static Task ActAsync(Storage s, long matter, Actor actor, MatterCommand command) =>
        s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(matter, command, null, actor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task SessionsCreatedAtOnce_GetDistinctConsecutiveNumbers(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => CreateAsync(s, s.Org.Supervisor))));

        var numbers = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().WeeklySessions.Select(w => w.Number).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 8), numbers.Order());
        Assert.Equal(8, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Numbers_CountPerYearOfTheMeeting_AndTheLeaderSharesTheOfficesNumbering(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var first = await CreateAsync(s, s.Org.Supervisor, "2024-12-30");
        var nextYear = await CreateAsync(s, s.Org.Supervisor, "2025-01-06");
        var byLeader = await CreateAsync(s, s.Org.CityLeader, "2024-12-31"); // the leader of C: the same government as C-DC

        Assert.Equal("2024年第1次周交办", (await GetAsync(s, first, s.Org.Supervisor)).Session.FullTitle);
        Assert.Equal("2025年第1次周交办", (await GetAsync(s, nextYear, s.Org.Supervisor)).Session.FullTitle);
        Assert.Equal("2024年第2次周交办", (await GetAsync(s, byLeader, s.Org.Supervisor)).Session.FullTitle);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Create_ChecksFields_AndRefusesAHandler(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().CreateAsync(new NewWeeklySession("2024/02/05", " ", null), s.Org.Supervisor)));
        Assert.Equal(["date", "meeting"], invalid.Errors.Keys.Order());
        await Assert.ThrowsAsync<ForbiddenException>(() => CreateAsync(s, s.Org.TownshipHandler));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AMatter_JoinsOneSessionOnly(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);
        var first = await CreateAsync(s, s.Org.Supervisor);
        var second = await CreateAsync(s, s.Org.Supervisor);
        await AddAsync(s, first, s.Org.Supervisor, matter);
        await AddAsync(s, first, s.Org.Supervisor, matter); // again in the same session: nothing changes

        var refusal = await Assert.ThrowsAsync<RuleConflictException>(() => AddAsync(s, second, s.Org.Supervisor, matter));

        Assert.Contains("第1次周交办", refusal.Message, StringComparison.Ordinal);
        Assert.Equal([first], await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().WeeklySessionMatters
            .Where(x => x.MatterId == matter).Select(x => x.SessionId).ToListAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AMatterAddedToTwoSessionsAtOnce_LandsInOne(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);
        var sessions = new[] { await CreateAsync(s, s.Org.Supervisor), await CreateAsync(s, s.Org.Supervisor) };

        var results = await Task.WhenAll(sessions.Select(id => Task.Run(async () =>
        {
            try
            {
                await AddAsync(s, id, s.Org.Supervisor, matter);
                return true;
            }
            catch (RuleConflictException)
            {
                return false;
            }
        })));

        Assert.Single(results, r => r);
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().WeeklySessionMatters.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Add_RefusesUnknownAndFinishedMatters(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        var matter = await AssignAsync(s);
        await ActAsync(s, matter, s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        await ActAsync(s, matter, s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已修复" });
        await ActAsync(s, matter, s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });

        await Assert.ThrowsAsync<NotFoundException>(() => AddAsync(s, session, s.Org.Supervisor, 999_999));
        var finished = await Assert.ThrowsAsync<RuleConflictException>(() => AddAsync(s, session, s.Org.Supervisor, matter));
        Assert.Contains("已审核", finished.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationFailedException>(() => AddAsync(s, session, s.Org.Supervisor));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Send_GivesEachLeadAndCoUnitOneNoticeLinkingItsSheet(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        var both = await AssignAsync(s, "K-T", "C-ZJ");
        var township = await AssignAsync(s, "K-T");
        var department = await AssignAsync(s, "C-ZJ");
        await AddAsync(s, session, s.Org.Supervisor, both, township, department);

        await SendAsync(s, session);

        var notices = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.OrderBy(n => n.UnitId).ToListAsync());
        Assert.Equal([s.Org.UnitIds["C-ZJ"], s.Org.UnitIds["K-T"]], notices.Select(n => n.UnitId).Order());
        var forTownship = notices.Single(n => n.UnitId == s.Org.UnitIds["K-T"]);
        Assert.Equal($"/Weekly/{session}/Sheet?unit=K-T", forTownship.Link);
        Assert.Contains("牵头 2 项", forTownship.Body, StringComparison.Ordinal);
        Assert.Contains("牵头 1 项、配合 1 项", notices.Single(n => n.UnitId == s.Org.UnitIds["C-ZJ"]).Body, StringComparison.Ordinal);
        var inbox = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().ListAsync(s.Org.TownshipHandler, unreadOnly: true));
        Assert.Equal("【周交办】2024年第1次周交办", Assert.Single(inbox.Items).Title);
        Assert.Equal(WeeklySessionStatus.Sent, (await GetAsync(s, session, s.Org.Supervisor)).Session.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task SendingTwice_IsRefused_AndSendsNoSecondNotice_AndTheMattersAreFixed(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        var matter = await AssignAsync(s);
        await AddAsync(s, session, s.Org.Supervisor, matter);
        await SendAsync(s, session);

        var twice = await Assert.ThrowsAsync<RuleConflictException>(() => SendAsync(s, session));
        Assert.Contains("已于", twice.Message, StringComparison.Ordinal);
        var later = await AssignAsync(s);
        await Assert.ThrowsAsync<RuleConflictException>(() => AddAsync(s, session, s.Org.Supervisor, later));
        await Assert.ThrowsAsync<RuleConflictException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().RemoveMatterAsync(session, matter, s.Org.Supervisor)));
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task SendingAtOnceFromTwoPlaces_SendsOnce(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        await AddAsync(s, session, s.Org.Supervisor, await AssignAsync(s));

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                await SendAsync(s, session);
                return true;
            }
            catch (RuleConflictException)
            {
                return false;
            }
        })));

        Assert.Single(results, r => r);
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AnEmptySession_CannotBeSent(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        var matter = await AssignAsync(s);
        await AddAsync(s, session, s.Org.Supervisor, matter);
        await s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().RemoveMatterAsync(session, matter, s.Org.Supervisor));

        var empty = await Assert.ThrowsAsync<ValidationFailedException>(() => SendAsync(s, session));

        Assert.True(empty.Errors.ContainsKey("matters"));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Units_SeeOnlySentSessionsWithTheirMatters_AndOnlyTheirOwnSheet(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        var township = await AssignAsync(s, "K-T");
        await AddAsync(s, session, s.Org.Supervisor, township, await AssignAsync(s, "C-ZJ"));
        var weekly = (IServiceProvider sp) => sp.GetRequiredService<WeeklySessions>();

        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(s, session, s.Org.TownshipHandler)); // a draft: not yet theirs
        await SendAsync(s, session);

        var seen = await GetAsync(s, session, s.Org.TownshipHandler);
        Assert.Equal([township], seen.Matters.Select(m => m.Id));
        Assert.False(seen.CanManage);
        Assert.Equal(["K-T"], seen.Units.Select(u => u.Code));
        var sheet = await s.RunAsync(sp => weekly(sp).SheetAsync(session, null, s.Org.TownshipHandler));
        Assert.Equal("K-T", sheet.Unit.Code);
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => weekly(sp).SheetAsync(session, "C-ZJ", s.Org.TownshipHandler)));
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(s, session, s.Org.VillageHandler)); // nothing of theirs in it
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => weekly(sp).RemoveMatterAsync(session, township, s.Org.TownshipHandler)));
        Assert.Single(await s.RunAsync(sp => weekly(sp).ListAsync(s.Org.TownshipHandler)));
        Assert.Empty(await s.RunAsync(sp => weekly(sp).ListAsync(s.Org.VillageHandler)));
        Assert.Single((await s.RunAsync(sp => weekly(sp).SheetAsync(session, "C-ZJ", s.Org.Supervisor))).Matters);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Report_OnThePreviousSentSession_CountsFinishedOverdueAndClosed(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00"); // Monday
        var previous = await CreateAsync(s, s.Org.Supervisor, "2024-03-04");
        var closed = await AssignAsync(s, "K-T");
        var late = await AssignAsync(s, "C-ZJ");
        var open = await AssignAsync(s, "K-T");
        await AddAsync(s, previous, s.Org.Supervisor, closed, late, open);
        await SendAsync(s, previous);
        await ActAsync(s, closed, s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        await ActAsync(s, open, s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        await ActAsync(s, closed, s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已修复" });
        await ActAsync(s, closed, s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });
        await ActAsync(s, closed, s.Org.Supervisor, new MatterCommand(MatterAction.Close));
        s.Clock.Advance(TimeSpan.FromDays(3)); // Thursday: 市住建局 never acknowledged (due Tuesday 24:00)
        var draftBetween = await CreateAsync(s, s.Org.Supervisor, "2024-03-07"); // a draft is no "previous" session
        var current = await CreateAsync(s, s.Org.Supervisor, "2024-03-11");

        var report = await s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().ReportAsync(current, s.Org.Supervisor));

        Assert.NotNull(report);
        Assert.Equal(previous, report.Session.Id);
        Assert.Equal((3, 1, 2, 1, 1), (report.Progress.Total, report.Progress.Finished, report.Progress.InProgress, report.Progress.Overdue, report.Progress.Closed));
        Assert.Equal("33.3%", report.Progress.ClosedPercent);
        Assert.Equal(["C-ZJ", "K-T"], report.Unfinished.Select(u => u.Unit.Code)); // the unit with an overdue matter first
        Assert.Equal([late], report.Unfinished[0].Matters.Select(m => m.Id));
        Assert.Null(await s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().ReportAsync(previous, s.Org.Supervisor)));
        Assert.Equal(previous, (await GetAsync(s, draftBetween, s.Org.Supervisor)).Previous!.Session.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AssignInto_AddsTheBatchToTheSession_OrAssignsNothingWhenTheSessionIsSent(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var session = await CreateAsync(s, s.Org.Supervisor);
        Task<IReadOnlyList<long>> AssignIntoAsync(long id) => s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().AssignIntoAsync(id,
            () => sp.GetRequiredService<AssignList>().ExecuteAsync([TestMatters.Assignment(), TestMatters.Assignment("C-ZJ")], s.Org.Supervisor),
            s.Org.Supervisor));

        var ids = await AssignIntoAsync(session);

        Assert.Equal(ids.Order(), (await GetAsync(s, session, s.Org.Supervisor)).Matters.Select(m => m.Id).Order());
        await SendAsync(s, session);
        await Assert.ThrowsAsync<RuleConflictException>(() => AssignIntoAsync(session));
        Assert.Equal(2, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));

        // A batch with a bad row assigns nothing and adds nothing.
        var other = await CreateAsync(s, s.Org.Supervisor);
        await Assert.ThrowsAsync<ListValidationException>(() => s.RunAsync(sp => sp.GetRequiredService<WeeklySessions>().AssignIntoAsync(other,
            () => sp.GetRequiredService<AssignList>().ExecuteAsync([TestMatters.Assignment(), TestMatters.Assignment() with { Goal = null }], s.Org.Supervisor),
            s.Org.Supervisor)));
        Assert.Equal(2, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));
        Assert.Empty((await GetAsync(s, other, s.Org.Supervisor)).Matters);
    }
}
