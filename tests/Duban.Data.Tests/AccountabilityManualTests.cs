using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>人工列入问责清单: only the assigning side, only a unit on the matter, always with a reason.</summary>
public sealed class AccountabilityManualTests
{
    private static Task<long> AssignAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T", "C-ZJ") with { Title = "人工列入测试事项" }, s.Org.Supervisor));

    private static Task<long> AddAsync(Storage s, long matter, string? unit, string? note, Actor actor, string? stage = null) =>
        s.RunAsync(sp => sp.GetRequiredService<AccountabilityList>().AddAsync(matter, unit, stage, note, actor));

    private static Task<IReadOnlyList<AccountabilityView>> ListAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<AccountabilityList>().ListAsync(null, s.Org.Supervisor, 100));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Supervisor_AddsTheLeadUnitByDefault_WithTheReasonAsFirstHistoryLine(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);

        var id = await AddAsync(s, matter, null, "  多次催办仍未签收 ", s.Org.Supervisor, "acknowledge");

        var entry = Assert.Single(await ListAsync(s));
        Assert.Equal(id, entry.Id);
        Assert.Equal(AccountabilityReason.Manual, entry.Reason);
        Assert.Equal(AccountabilityStatus.Pending, entry.Status);
        Assert.Equal(s.Org.UnitIds["K-T"], entry.Unit.Id);
        Assert.Equal(TimeLimits.Stage.Acknowledge, entry.Stage);
        var line = Assert.Single(entry.History);
        Assert.Equal((AccountabilityStatus.Pending, s.Org.Supervisor.Name, "多次催办仍未签收"), (line.Status, line.ActorName, line.Note));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ACoUnit_MayBeNamed_ButNotAUnitOffTheMatter(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);

        await AddAsync(s, matter, "C-ZJ", "配合不力", s.Org.CityLeader);
        var off = await Assert.ThrowsAsync<ValidationFailedException>(() => AddAsync(s, matter, "K-T-V", "不相干", s.Org.Supervisor));
        var unknown = await Assert.ThrowsAsync<ValidationFailedException>(() => AddAsync(s, matter, "NOPE", "不存在", s.Org.Supervisor));

        Assert.Equal("“测试村”不是该事项的牵头或配合单位。", Assert.Single(off.Errors["unit"]));
        Assert.Equal("单位代码“NOPE”不存在。", Assert.Single(unknown.Errors["unit"]));
        Assert.Equal(s.Org.UnitIds["C-ZJ"], Assert.Single(await ListAsync(s)).Unit.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AReason_IsRequired_AndTheSameUnitIsNotListedTwiceWhilePending(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);

        var blank = await Assert.ThrowsAsync<ValidationFailedException>(() => AddAsync(s, matter, null, "   ", s.Org.Supervisor));
        Assert.Equal("请写明列入问责的理由。", Assert.Single(blank.Errors["note"]));
        Assert.Empty(await ListAsync(s));

        await AddAsync(s, matter, null, "第一次", s.Org.Supervisor);
        await Assert.ThrowsAsync<RuleConflictException>(() => AddAsync(s, matter, "K-T", "第二次", s.Org.Supervisor));
        Assert.Single(await ListAsync(s));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task OnlyTheAssigningSide_MayAdd(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matter = await AssignAsync(s);

        await Assert.ThrowsAsync<ForbiddenException>(() => AddAsync(s, matter, null, "自己列自己", s.Org.TownshipHandler));
        await Assert.ThrowsAsync<NotFoundException>(() => AddAsync(s, matter, null, "看不见的事项", s.Org.VillageHandler));
        Assert.Empty(await ListAsync(s));
    }
}
