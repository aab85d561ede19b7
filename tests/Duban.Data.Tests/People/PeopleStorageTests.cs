using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class PeopleStorageTests
{
    private static Task<User> UserAsync(Storage s, string userName, string displayName, string unit) =>
        s.RunAsync(sp => sp.GetRequiredService<UserAccounts>().CreateAsync(userName, displayName, unit, [Role.Handler], "abcdef123456"));

    private static Task<long> AssignAsync(Storage s, NewMatter matter) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(matter, s.Org.Supervisor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Assign_WithPeople_StoresThem_AndTheListFiltersByUserAndByName(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var zhang = await UserAsync(s, "zhangsan", "张三", "K-T");
        var id = await AssignAsync(s, TestMatters.Assignment() with
        {
            People =
            [
                new PersonInput { Role = "leadingOfficial", Name = "王副镇长", Unit = "测试镇政府", Phone = "13800001111" },
                new PersonInput { Role = "responsible", User = zhang.Id },
                new PersonInput { Role = "liaison", Name = "李四", Phone = "0571-1234567" },
            ],
        });
        var other = await AssignAsync(s, TestMatters.Assignment());

        var people = await s.RunAsync(sp => sp.GetRequiredService<MatterPeople>().ForMatterAsync(id, s.Org.Supervisor));
        Assert.Equal(["责任领导", "责任人", "联络员"], people.Select(p => p.RoleName));
        Assert.Equal(["王副镇长", "张三", "李四"], people.Select(p => p.Name));
        Assert.Equal(zhang.Id, people[1].UserId);
        Assert.Equal("测试镇", people[1].UnitName);

        var byUser = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Person = zhang.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, s.Org.Supervisor));
        Assert.Equal([id], byUser.Items.Select(m => m.Id));
        var byName = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Person = "李四" }, s.Org.Supervisor));
        Assert.Equal([id], byName.Items.Select(m => m.Id));
        var all = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter(), s.Org.Supervisor));
        Assert.Contains(other, all.Items.Select(m => m.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Assign_WithBadPeople_Is400_AndStoresNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var bad = TestMatters.Assignment() with
        {
            People =
            [
                new PersonInput { Role = "boss", Name = "甲" },
                new PersonInput { Role = "responsible", User = 999_999 },
                new PersonInput { Role = "liaison" },
                new PersonInput { Role = "caseLeader", Name = "乙" },
            ],
        };
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => AssignAsync(s, bad));
        var messages = ex.Errors["people"];
        Assert.Equal(4, messages.Length);
        Assert.Contains(messages, m => m.Contains("第 1 名", StringComparison.Ordinal) && m.Contains("职责", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("999999", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("填写姓名", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("包案领导", StringComparison.Ordinal));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterPeople.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task CaseLeader_IsAllowedOnPetitions(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await AssignAsync(s, TestMatters.Assignment() with
        {
            Kind = "petition", Source = "offline",
            People = [new PersonInput { Role = "caseLeader", Name = "赵县长" }],
        });
        var people = await s.RunAsync(sp => sp.GetRequiredService<MatterPeople>().ForMatterAsync(id, s.Org.Supervisor));
        Assert.Equal(PersonRole.CaseLeader, Assert.Single(people).Role);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Change_ByLeadUnit_IsAnEventOnTheHistory_ButNotByACoUnitOrAnOutsider(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await AssignAsync(s, TestMatters.Assignment("K-T", "C-ZJ") with { People = [new PersonInput { Role = "responsible", Name = "张三" }] });

        var changed = await s.RunAsync(sp => sp.GetRequiredService<MatterPeople>().SetAsync(id, new PeopleChange
        {
            People = [new PersonInput { Role = "responsible", Name = "钱五", Phone = "13900002222" }, new PersonInput { Role = "liaison", Name = "孙六" }],
            Note = "张三调岗",
        }, s.Org.TownshipHandler));
        Assert.Equal(["钱五", "孙六"], changed.Select(p => p.Name));

        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor));
        var e = details.Events[^1];
        Assert.Equal(MatterAction.People, e.Action);
        Assert.Equal("更改人员", e.ActionName);
        Assert.Equal("责任人：钱五；联络员：孙六（张三调岗）", e.Note);
        Assert.Equal(2, details.Version);
        Assert.DoesNotContain(MatterAction.People, details.AllowedActions);

        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => sp.GetRequiredService<MatterPeople>().SetAsync(id,
            new PeopleChange { People = [] }, s.Org.CityDepartmentHandler)));
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<MatterPeople>().SetAsync(id,
            new PeopleChange { People = [] }, s.Org.VillageHandler)));

        // The office clears them.
        var cleared = await s.RunAsync(sp => sp.GetRequiredService<MatterPeople>().SetAsync(id, new PeopleChange { People = [] }, s.Org.Supervisor));
        Assert.Empty(cleared);
        var last = (await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor))).Events[^1];
        Assert.Equal("已清空责任人员", last.Note);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task PersonPage_GroupsByRole_WithOverdueMarks_OverVisibleMattersOnly(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var zhang = await UserAsync(s, "zhangsan", "张三", "K-T");
        var a = await AssignAsync(s, TestMatters.Assignment() with { People = [new PersonInput { Role = "responsible", User = zhang.Id }] });
        var b = await AssignAsync(s, TestMatters.Assignment("C-ZJ") with
        {
            DueAt = "2024-02-20",
            People = [new PersonInput { Role = "leadingOfficial", User = zhang.Id }, new PersonInput { Role = "responsible", User = zhang.Id }],
        });
        s.Clock.Advance(TimeSpan.FromDays(30));

        var page = await s.RunAsync(sp => sp.GetRequiredService<PersonQueries>().GetAsync(zhang.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Org.Supervisor));
        Assert.Equal("张三", page.Name);
        Assert.Equal(["责任领导", "责任人"], page.Groups.Select(g => g.RoleName));
        Assert.Equal([b], page.Groups[0].Matters.Select(m => m.Id));
        Assert.Equal([b, a], page.Groups[1].Matters.Select(m => m.Id));
        Assert.True(page.Groups[0].Matters[0].Overdue);
        Assert.Equal(3, page.Overdue); // 30 days on, every clock has run out

        // The township sees only its own matter.
        var township = await s.RunAsync(sp => sp.GetRequiredService<PersonQueries>().GetAsync(zhang.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Org.TownshipHandler));
        Assert.Equal([a], township.Groups.SelectMany(g => g.Matters).Select(m => m.Id));

        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<PersonQueries>().GetAsync("无此人", s.Org.Supervisor)));

        // A village handler sees none of 张三's matters: his page does not exist for them (no name, no unit from an id);
        // a user named on nothing is still shown to the office.
        var key = zhang.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<PersonQueries>().GetAsync(key, s.Org.VillageHandler)));
        var li = await UserAsync(s, "lisi", "李四", "K-T");
        var empty = await s.RunAsync(sp => sp.GetRequiredService<PersonQueries>().GetAsync(li.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Org.Supervisor));
        Assert.Equal(("李四", 0), (empty.Name, empty.Total));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AccountabilityList_NamesTheResponsiblePerson_BesideTheUnit(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var named = await AssignAsync(s, TestMatters.Assignment() with
        {
            People = [new PersonInput { Role = "responsible", Name = "张三" }, new PersonInput { Role = "liaison", Name = "李四" }, new PersonInput { Role = "responsible", Name = "王五" }],
        });
        var unnamed = await AssignAsync(s, TestMatters.Assignment());
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            foreach (var id in new[] { named, unnamed })
            {
                db.AccountabilityEntries.Add(AccountabilityEntry.Open(id, s.Org.UnitIds["K-T"], Duban.Escalation.AccountabilityReason.AcknowledgeOverdue,
                    Duban.TimeLimits.Stage.Acknowledge, s.Clock.GetUtcNow(), "test", "测试"));
            }

            await db.SaveChangesAsync();
        });

        var entries = await s.RunAsync(sp => sp.GetRequiredService<AccountabilityList>().ListAsync(null, s.Org.Supervisor, 100));
        Assert.Equal("张三、王五", entries.Single(e => e.MatterId == named).Responsible);
        Assert.Null(entries.Single(e => e.MatterId == unnamed).Responsible);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task InterviewRecords_NameTheResponsiblePersonOfEachMatter(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var named = await AssignAsync(s, TestMatters.Assignment() with { People = [new PersonInput { Role = "responsible", Name = "张三" }] });
        var unnamed = await AssignAsync(s, TestMatters.Assignment());
        var id = await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().AddAsync(new NewInterview(s.Org.UnitIds["K-T"], "连续两月超期"), s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().RecordAsync(id,
            new InterviewRecord("李镇长", "镇长", "2024-02-08", [named, unnamed], "要求一周内整改。"), s.Org.Supervisor));

        var entry = await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().GetAsync(id, s.Org.Supervisor));
        Assert.Equal("张三", entry.Matters.Single(m => m.Id == named).Responsible);
        Assert.Null(entry.Matters.Single(m => m.Id == unnamed).Responsible);
        var listed = await s.RunAsync(sp => sp.GetRequiredService<InterviewList>().ListAsync(null, null, s.Org.Supervisor));
        Assert.Equal("张三", listed.Single(e => e.Id == id).Matters.Single(m => m.Id == named).Responsible);
        Assert.Contains("（责任人：张三）", (string)InterviewList.Rows(listed).Single()["涉及事项"]!, StringComparison.Ordinal);
    }
}
