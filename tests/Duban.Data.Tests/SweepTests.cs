using System.Globalization;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class SweepTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static Task<string> SweepAsync(Storage s, string now) =>
        s.RunAsync(async sp => (await sp.GetRequiredService<SweepDeadlines>().RunAsync(At(now))).ToString());

    private static Task<List<(Stage? Stage, EscalationKind Kind, DateTimeOffset At, bool Announced)>> RecordsAsync(Storage s) =>
        s.RunAsync(async sp => (await sp.GetRequiredService<DubanDbContext>().Escalations.AsNoTracking().ToListAsync())
            .OrderBy(r => r.At).ThenBy(r => r.Kind).Select(r => (r.Stage, r.Kind, r.At, r.Announced)).ToList());

    private static Task<List<Notice>> NoticesAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.AsNoTracking().OrderBy(n => n.Id).ToListAsync());

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task WalkingTheClockAcrossTheSpringFestival_FiresEachRungOnce_AndNoticesWaitForWorkingHours(string engine)
    {
        // Assigned Thu 2024-02-08 10:00. Acknowledge due 02-10 00:00 (warning from 02-09 20:00); feedback due 02-20 00:00;
        // completion due 02-24 00:00. 02-10…17 is the holiday; Sunday 02-18 is a make-up working day.
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00");
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));

        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-09T19:59:00+08:00"));
        Assert.Equal("预警 1 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-09T20:00:00+08:00"));
        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-09T20:00:00+08:00")); // same instant again
        Assert.Equal("预警 0 条，催办 1 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-10T00:00:00+08:00"));
        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-15T12:00:00+08:00")); // the holiday: not a working day later
        Assert.Equal("预警 1 条，催办 0 条，督办 1 条，问责 0 条", await SweepAsync(s, "2024-02-19T00:00:00+08:00")); // make-up Sunday passed

        var notices = await NoticesAsync(s);
        Assert.Equal(4, notices.Count); // at 02-19 00:00 two milestones fired: acknowledge's 督办 and feedback's warning
        // Raised Friday 20:00 and at midnight into the holiday: delivered at 09:00 on the make-up Sunday.
        Assert.Equal(At("2024-02-18T09:00:00+08:00"), notices[0].DeliverAfter);
        Assert.Equal(At("2024-02-18T09:00:00+08:00"), notices[1].DeliverAfter);
        Assert.All(notices.Skip(2), n => Assert.Equal(At("2024-02-19T09:00:00+08:00"), n.DeliverAfter));
        var supervised = notices.Single(n => n.Kind == EscalationKind.Supervise);
        Assert.Equal(s.Org.UnitIds["C-DC"], supervised.UnitId); // 督办 goes to the supervising office
        Assert.Contains("已超期 1 个工作日", supervised.Body, StringComparison.Ordinal);
        Assert.Equal(["【临期预警】DB-2024-000001 签收即将到期", "【催办】DB-2024-000001 签收已到期"], notices.Take(2).Select(n => n.Title));
        Assert.Equal((s.Org.UnitIds["K-T"], Audience.Unit), (notices[0].UnitId, notices[0].Audience));
        Assert.Equal((s.Org.UnitIds["K-T"], Audience.Heads), (notices[1].UnitId, notices[1].Audience));
        Assert.Contains("2024年2月9日 24:00", notices[1].Body, StringComparison.Ordinal);

        // Acknowledged late on Monday: the acknowledge chain stops before 问责.
        s.Clock.SetUtcNow(At("2024-02-19T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));

        // Fri 02-23 00:00: feedback (due 02-20) is urged and supervised at once, only the 督办 announced; completion warned.
        Assert.Equal("预警 1 条，催办 1 条，督办 1 条，问责 0 条", await SweepAsync(s, "2024-02-23T00:00:00+08:00"));
        // Tue 02-27 00:00: five working days after feedback's last day (02-19): 20, 21, 22, 23, 26 → 问责. Completion (due 02-24) urged and supervised.
        Assert.Equal("预警 0 条，催办 1 条，督办 1 条，问责 1 条", await SweepAsync(s, "2024-02-27T00:00:00+08:00"));
        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-27T00:00:00+08:00"));

        var records = await RecordsAsync(s);
        Assert.Equal(
        [
            (Stage.Acknowledge, EscalationKind.Warning, At("2024-02-09T20:00:00+08:00"), true),
            (Stage.Acknowledge, EscalationKind.Urge, At("2024-02-10T00:00:00+08:00"), true),
            (Stage.Feedback, EscalationKind.Warning, At("2024-02-19T00:00:00+08:00"), true),
            (Stage.Acknowledge, EscalationKind.Supervise, At("2024-02-19T00:00:00+08:00"), true),
            (Stage.Feedback, EscalationKind.Urge, At("2024-02-20T00:00:00+08:00"), false),
            (Stage.Feedback, EscalationKind.Supervise, At("2024-02-21T00:00:00+08:00"), true),
            (Stage.Complete, EscalationKind.Warning, At("2024-02-23T00:00:00+08:00"), true),
            (Stage.Complete, EscalationKind.Urge, At("2024-02-24T00:00:00+08:00"), false),
            (Stage.Complete, EscalationKind.Supervise, At("2024-02-27T00:00:00+08:00"), true),
            (Stage.Feedback, EscalationKind.Accountability, At("2024-02-27T00:00:00+08:00"), true), // feedback's only rung in that sweep
        ], records);

        var entry = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AccountabilityEntries.Include(a => a.History).SingleAsync());
        Assert.Equal((AccountabilityReason.FeedbackOverdue, AccountabilityStatus.Pending, s.Org.UnitIds["K-T"]), (entry.Reason, entry.Status, entry.UnitId));
        Assert.Single(entry.History);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AReturnedMatter_StopsItsClock_AndATransferStartsANewChain(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("C-ZJ"), s.Org.Supervisor));
        s.Clock.SetUtcNow(At("2024-03-04T11:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Return) { Note = "属地事项" }, null, s.Org.CityDepartmentHandler));

        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-03-20T00:00:00+08:00"));

        s.Clock.SetUtcNow(At("2024-03-20T10:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Transfer) { Note = "转属地" }, "K-T", s.Org.Supervisor));
        // The new acknowledge deadline is 24:00 on Thu 03-21; its warning opens at 20:00.
        Assert.Equal("预警 1 条，催办 1 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-03-22T00:00:00+08:00"));
        Assert.All(await RecordsAsync(s), r => Assert.Equal(Stage.Acknowledge, r.Stage));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AnApprovedExtension_MovesTheChainToTheNewDeadline(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Feedback) { Note = "进展" }, null, s.Org.TownshipHandler));
        s.Clock.SetUtcNow(At("2024-03-11T09:00:00+08:00"));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id,
            new MatterCommand(MatterAction.Extend) { Stage = Stage.Complete, NewDueAt = At("2024-03-21T00:00:00+08:00"), Note = "同意延期" }, null, s.Org.Supervisor));

        // The original completion deadline (03-14 00:00) passes without a rung; the new one (03-21 00:00) gets its own chain.
        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-03-15T12:00:00+08:00"));
        Assert.Equal("预警 1 条，催办 1 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-03-21T00:00:00+08:00"));
        Assert.All(await RecordsAsync(s), r => Assert.Equal(Stage.Complete, r.Stage));
    }
}

public sealed class AccountabilityRuleTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DissatisfiedTwice_AndReopenedAfterClosing_PutTheUnitOnTheList(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T") with { Kind = "appeal" }, s.Org.Supervisor));
        Task Act(Actor actor, MatterCommand command) => s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor));
        async Task CompleteAndVerify()
        {
            await Act(s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已处理" });
            await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });
        }

        Task<List<AccountabilityReason>> Reasons() =>
            s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AccountabilityEntries.OrderBy(a => a.Id).Select(a => a.Reason).ToListAsync());

        await Act(s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        await CompleteAndVerify();
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Dissatisfied, Note = "噪音仍在" });
        Assert.Empty(await Reasons()); // once is not yet a pattern

        await CompleteAndVerify();
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Dissatisfied, Note = "仍不满意" });
        Assert.Equal([AccountabilityReason.DissatisfiedTwice], await Reasons());

        await CompleteAndVerify();
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Satisfied });
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Close));
        s.Clock.SetUtcNow(At("2024-04-15T09:00:00+08:00"));
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Reopen) { Note = "回访发现问题反弹" });

        Assert.Equal([AccountabilityReason.DissatisfiedTwice, AccountabilityReason.ReopenedAfterClosing], await Reasons());
        var entry = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AccountabilityEntries.OrderBy(a => a.Id).LastAsync());
        Assert.Equal(("回访发现问题反弹", s.Org.UnitIds["K-T"]), (entry.Note, entry.UnitId));
    }
}

public sealed class LookBackTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<long> ClosedAssignmentAsync(Storage s)
    {
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        Task Act(Actor actor, MatterCommand command) => s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor));
        await Act(s.Org.TownshipHandler, new MatterCommand(MatterAction.Acknowledge));
        await Act(s.Org.TownshipHandler, new MatterCommand(MatterAction.Complete) { Note = "已修复" });
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });
        await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Close));
        return id;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Closing_SchedulesAReCheck_AndRebounded_ReopensTheMatterAgainstTheUnit(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T09:00:00+08:00");
        var holds = await ClosedAssignmentAsync(s);
        var rebounds = await ClosedAssignmentAsync(s);
        Task<IReadOnlyList<LookBackView>> Due() => s.RunAsync(sp => sp.GetRequiredService<LookBacks>().ListAsync(true, s.Org.Supervisor));

        Assert.Empty(await Due()); // assignments are re-checked 30 days after closing
        s.Clock.SetUtcNow(At("2024-04-03T09:00:01+08:00"));
        var due = await Due();
        Assert.Equal([holds, rebounds], due.Select(l => l.MatterId));
        Assert.Equal(At("2024-04-03T09:00:00+08:00"), due[0].DueAt);

        var byHandler = await Assert.ThrowsAsync<ForbiddenException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<LookBacks>().RecordAsync(due[0].Id, "holds", null, s.Org.TownshipHandler)));
        Assert.Contains("交办方", byHandler.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<LookBacks>().RecordAsync(due[1].Id, "rebounded", " ", s.Org.Supervisor)));

        await s.RunAsync(sp => sp.GetRequiredService<LookBacks>().RecordAsync(due[0].Id, "holds", "路灯运行正常", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<LookBacks>().RecordAsync(due[1].Id, "rebounded", "又有 3 盏不亮", s.Org.Supervisor));
        await Assert.ThrowsAsync<RuleConflictException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<LookBacks>().RecordAsync(due[1].Id, "holds", null, s.Org.Supervisor)));

        Assert.Empty(await Due());
        var reopened = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(rebounds, s.Org.Supervisor));
        Assert.Equal(MatterStatus.Acknowledged, reopened.Status);
        Assert.Equal(MatterAction.Reopen, reopened.Events[^1].Action);
        Assert.Contains("又有 3 盏不亮", reopened.Events[^1].Note, StringComparison.Ordinal);
        var all = await s.RunAsync(sp => sp.GetRequiredService<LookBacks>().ListAsync(false, s.Org.Supervisor));
        Assert.Equal(reopened.Events[^1].Sequence, all.Single(l => l.MatterId == rebounds).ReopenedBySequence);
        var entries = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AccountabilityEntries.ToListAsync());
        Assert.Equal((AccountabilityReason.ReopenedAfterClosing, s.Org.UnitIds["K-T"], rebounds),
            (Assert.Single(entries).Reason, entries[0].UnitId, entries[0].MatterId));
    }
}
