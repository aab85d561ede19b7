using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class AppealListsTests
{
    private static Task<AppealRegistered> RegisterAsync(Storage s, AppealInput input, Actor actor, MatterSource channel) =>
        s.RunAsync(sp => sp.GetRequiredService<AppealIntake>().RegisterAsync(input, new Intake(actor, channel)));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AppealList_CountsByChannel_RepeatsListedButNotCounted_ContactMasked_VisibilityPerUnit(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await RegisterAsync(s, AppealIntakeTests.Citizen("13800000001"), s.Org.TownshipHandler, MatterSource.Hotline);
        s.Clock.Advance(TimeSpan.FromDays(1));
        var repeat = await RegisterAsync(s, AppealIntakeTests.Citizen("13800000001"), s.Org.TownshipHandler, MatterSource.Web);
        await RegisterAsync(s, AppealIntakeTests.Citizen("13800000002") with { Title = "小区外墙脱落", Content = "三号楼外墙瓷砖脱落，砸坏了车辆。" },
            s.Org.Supervisor, MatterSource.Offline);

        var township = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().AppealsAsync(new AppealFilter(), s.Org.TownshipHandler));
        var city = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().AppealsAsync(new AppealFilter(), s.Org.Supervisor));
        var webOnly = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().AppealsAsync(new AppealFilter { Channel = MatterSource.Web }, s.Org.Supervisor));

        Assert.NotNull(repeat.RepeatOfId);
        Assert.Equal(2, township.Total); // the township sees its own two, not the city's
        Assert.Equal(3, city.Total);
        Assert.Equal(1, city.Repeats);
        Assert.Equal(1, city.ByChannel.Single(c => c.Channel == MatterSource.Hotline).Count);
        Assert.Equal(0, city.ByChannel.Single(c => c.Channel == MatterSource.Web).Count); // the web one is a repeat
        Assert.Equal(1, city.ByChannel.Single(c => c.Channel == MatterSource.Offline).Count);
        Assert.Single(webOnly.Items);
        Assert.All(city.Items, r => Assert.Matches(@"^138\*{4}000\d$", r.ContactPhone));
        Assert.All(city.Items, r => Assert.Equal("张*", r.ContactName));

        var handling = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().HandlingAsync(s.Org.Supervisor));
        Assert.Equal(2, handling.Sum(r => r.Total)); // repeats not counted twice
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task FullExport_OnlyForTheHandlingUnitOrSupervisor_AndEachRowIsAudited(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await RegisterAsync(s, AppealIntakeTests.Citizen("13800000003"), s.Org.TownshipHandler, MatterSource.Hotline);

        var leader = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().ExportAsync(new AppealFilter(), s.Org.CityLeader, full: true));
        var supervisor = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().ExportAsync(new AppealFilter(), s.Org.Supervisor, full: true));
        var masked = await s.RunAsync(sp => sp.GetRequiredService<AppealLists>().ExportAsync(new AppealFilter(), s.Org.TownshipHandler, full: false));

        Assert.Equal("138****0003", Assert.Single(leader).ContactPhone); // a leader sees the appeal, not the number
        Assert.Equal("13800000003", Assert.Single(supervisor).ContactPhone);
        Assert.Equal("138****0003", Assert.Single(masked).ContactPhone);
        var audit = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().PersonalDataViews.AsNoTracking().ToListAsync());
        var row = Assert.Single(audit);
        Assert.Equal((s.Org.Supervisor.Id, "export"), (row.ActorId, row.Place));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Repeat_OnlyWithinTheWindow_AndLinksToTheOriginal(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, settings: new Dictionary<string, string?> { ["Appeals:RepeatWindowDays"] = "10" });
        var first = await RegisterAsync(s, AppealIntakeTests.Citizen("13800000004"), s.Org.TownshipHandler, MatterSource.Hotline);
        s.Clock.Advance(TimeSpan.FromDays(5));
        var second = await RegisterAsync(s, AppealIntakeTests.Citizen("13800000004"), s.Org.TownshipHandler, MatterSource.Hotline);
        s.Clock.Advance(TimeSpan.FromDays(8));
        var third = await RegisterAsync(s, AppealIntakeTests.Citizen("13800000004"), s.Org.TownshipHandler, MatterSource.Hotline);
        s.Clock.Advance(TimeSpan.FromDays(11));
        var fourth = await RegisterAsync(s, AppealIntakeTests.Citizen("13800000004"), s.Org.TownshipHandler, MatterSource.Hotline);

        Assert.Equal(first.AppealId, second.RepeatOfId);
        Assert.Equal(first.AppealId, third.RepeatOfId); // 13 days after the first but 8 after its repeat: linked to the original
        Assert.Null(fourth.RepeatOfId);
    }
}
