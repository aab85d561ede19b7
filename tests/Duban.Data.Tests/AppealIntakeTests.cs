using System.Globalization;
using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class AppealIntakeTests
{
    public static AppealInput Citizen(string phone = "13812341234") => new()
    {
        Title = "小区门口路灯不亮",
        Content = "幸福路 12 号小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快修复。",
        Category = "城乡建设",
        Region = "K-T",
        ContactName = "张三",
        ContactPhone = phone,
    };

    private static Task<AppealRegistered> RegisterAsync(Storage s, AppealInput input, Intake intake) =>
        s.RunAsync(sp => sp.GetRequiredService<AppealIntake>().RegisterAsync(input, intake));

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Register_StoresAnAppealMatterOnTheClock_ReceivedByTheActorsUnit(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var registered = await RegisterAsync(s, Citizen(" +86 138-1234-1234 "), new Intake(s.Org.TownshipHandler, MatterSource.Hotline));

        Assert.True(registered.Created);
        Assert.True(TrackingCode.TryParse(registered.TrackingCode, out _));
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var appeal = await db.Appeals.Include(a => a.Matter).ThenInclude(m => m!.Events).SingleAsync();
            Assert.Equal("13812341234", appeal.ContactPhone);
            Assert.Equal(MatterKind.Appeal, appeal.Matter!.Kind);
            Assert.Equal(MatterSource.Hotline, appeal.Matter.Source);
            Assert.Equal(MatterStatus.Assigned, appeal.Matter.Status);
            // 首接首办: without a routing rule the receiving unit keeps it.
            Assert.Equal(s.Org.UnitIds["K-T"], appeal.Matter.LeadUnitId);
            Assert.Equal(s.Org.UnitIds["K-T"], appeal.Matter.AssignerUnitId);
            Assert.Equal(MatterAction.Assign, Assert.Single(appeal.Matter.Events).Action);
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Register_HistoricalReply_StoresAClosedMatterWhoseEventsCarryTheRealInstants(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var received = At("2019-04-25T09:32:09+08:00");
        var replied = At("2019-05-10T15:00:00+08:00");
        var input = Citizen() with { Category = null, Region = null, ContactPhone = null, ContactName = "A00045581" };
        var registered = await RegisterAsync(s, input, new Intake(s.Org.Admin, MatterSource.Import)
        {
            IdempotencyKey = "taidi2020:2549",
            ReceivedAt = received,
            Closed = new AppealReply(replied, "经核实，已修复。"),
        });

        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(registered.MatterId, s.Org.Admin));
        Assert.StartsWith("DB-2019-", details.Code, StringComparison.Ordinal);
        Assert.Equal(MatterStatus.Closed, details.Status);
        Assert.Equal(received, details.Events[0].At);
        Assert.All(details.Events.Skip(1), e => Assert.Equal(replied, e.At));
        Assert.Equal("经核实，已修复。", details.Events.Single(e => e.Action == MatterAction.Complete).Note);
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var matter = await db.Matters.AsNoTracking().Include(m => m.CoUnits).Include(m => m.Milestones).SingleAsync();
            var events = await db.MatterEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal(MatterState.Replay(events.Select(e => e.ToEvent())), matter.ToState());
            Assert.All(matter.Milestones, m => Assert.Null(m.NextEscalationAt));
        });
    }
}
