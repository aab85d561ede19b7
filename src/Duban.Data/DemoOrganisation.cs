using System.Security.Cryptography;
using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A sign-in created for the demo.</summary>
public sealed record DemoAccount(string UserName, string Password, string Description);

/// <summary>
/// An empty database gets a demo organisation (示范市, fictional): units from city to community, one person per
/// role, and matters at different points of the 13710 clock. Passwords are random and returned to be printed.
/// </summary>
public sealed class DemoOrganisation(DubanDbContext db, UnitDirectory units, UserAccounts accounts, Rules rules, AssessmentSchemes schemes,
    TimeProvider clock)
{
    private static readonly UnitInput[] DemoUnits =
    [
        new("4101", "示范市", null, "city"),
        new("4101-DC", "示范市委督查室", "4101", "department"),
        new("4101-ZJ", "示范市住房和城乡建设局", "4101", "department"),
        new("4101-JT", "示范市交通运输局", "4101", "department"),
        new("410102", "东城区", "4101", "county"),
        new("410102-DC", "东城区督查室", "410102", "department"),
        new("410102001", "人民路街道", "410102", "township"),
        new("410102001001", "幸福社区", "410102001", "village"),
        new("410103", "西城区", "4101", "county"),
    ];

    /// <summary>The demo's people: user name, display name, unit code, role and what the login page says of them.</summary>
    public static IReadOnlyList<(string User, string Name, string Unit, Role Role, string Description)> People { get; } =
    [
        ("admin", "系统管理员", "4101", Role.Admin, "管理员 admin"),
        ("ducha", "王督查", "4101-DC", Role.Supervisor, "市委督查室 supervisor"),
        ("shizhang", "李市长", "4101", Role.Leader, "市领导 leader"),
        ("zhujian", "张承办", "4101-ZJ", Role.Handler, "市住建局承办人 handler"),
        ("renminlu", "刘承办", "410102001", Role.Handler, "人民路街道承办人 handler"),
    ];

    /// <summary>Whether this database holds the demo: its fictional root unit 示范市 (4101) is the flag, since
    /// a real organisation never carries it; the login page then lists the demo sign-ins.</summary>
    public static Task<bool> IsInUseAsync(DubanDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var root = DemoUnits[0];
        return db.Units.AnyAsync(u => u.Code == root.Code && u.Name == root.Name && u.ParentId == null, cancellationToken);
    }

    /// <summary>Creates the demo when the database has no units; returns the sign-ins, or an empty list.</summary>
    public async Task<IReadOnlyList<DemoAccount>> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Units.AnyAsync(cancellationToken))
        {
            return [];
        }

        foreach (var unit in DemoUnits)
        {
            await units.SaveAsync(unit, cancellationToken);
        }

        var result = new List<DemoAccount>();
        var actors = new Dictionary<string, Actor>();
        foreach (var person in People)
        {
            var password = "Duban-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
            var user = await accounts.CreateAsync(person.User, person.Name, person.Unit, [person.Role], password, cancellationToken: cancellationToken);
            actors[person.User] = await accounts.ActorOfAsync(user);
            result.Add(new DemoAccount(person.User, password, person.Description));
        }

        await SeedMattersAsync(actors, cancellationToken);
        await SeedSchemeAsync(actors["ducha"], cancellationToken);
        return result;
    }

    /// <summary>Matters assigned in the past, walked forward on a clock of their own.</summary>
    private async Task SeedMattersAsync(Dictionary<string, Actor> actors, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        DateTimeOffset WorkingDaysAgo(int days, int hour)
        {
            var date = today;
            for (var found = 0; found < days;)
            {
                date = date.AddDays(-1);
                if (rules.Calendar.IsWorkingDay(date))
                {
                    found++;
                }
            }

            return ChinaTime.StartOf(date).AddHours(hour);
        }

        var demoClock = new SettableClock(now);
        var assign = new AssignMatter(db, rules, demoClock);
        var act = new ActOnMatter(db, rules, demoClock);
        var supervisor = actors["ducha"];

        async Task<long> Assign(DateTimeOffset at, string title, string content, string lead, string[] co, bool complex = false)
        {
            demoClock.Now = at;
            return await assign.ExecuteAsync(new NewMatter
            {
                Title = title,
                Content = content,
                Kind = "assignment",
                Source = "meeting",
                Goal = $"{title}，按期全部整改到位。",
                Standard = "问题清零、群众满意，整改前后照片和台账齐全。",
                LeadUnit = lead,
                CoUnits = co,
                Complex = complex,
            }, supervisor, cancellationToken);
        }

        async Task Act(long id, DateTimeOffset at, Actor actor, MatterCommand command)
        {
            demoClock.Now = at;
            await act.ExecuteAsync(id, command, null, actor, cancellationToken);
        }

        // Not acknowledged two working days on: the acknowledge milestone is overdue.
        await Assign(WorkingDaysAgo(2, 10), "老旧小区雨污分流改造进度滞后",
            "市委常委会要求加快老旧小区雨污分流改造，人民路片区三个小区进度滞后。", "4101-ZJ", ["410102001"]);

        // Acknowledged and reported on once; completion still open.
        var lights = await Assign(WorkingDaysAgo(2, 9), "背街小巷路灯不亮问题整改",
            "群众反映人民路街道多条背街小巷路灯长期不亮，夜间出行不便。", "410102001", []);
        await Act(lights, WorkingDaysAgo(2, 15), actors["renminlu"], new MatterCommand(MatterAction.Acknowledge));
        await Act(lights, WorkingDaysAgo(1, 11), actors["renminlu"],
            new MatterCommand(MatterAction.Feedback) { Note = "已排查 12 条巷道，更换灯具 30 盏，剩余 5 条本周完成。" });

        // Reported complete, waiting for the supervision office to verify.
        var noise = await Assign(WorkingDaysAgo(5, 9), "建筑工地夜间施工噪音扰民",
            "幸福社区居民反映周边工地夜间施工，噪音扰民。", "4101-ZJ", ["410102001"]);
        await Act(noise, WorkingDaysAgo(5, 14), actors["zhujian"], new MatterCommand(MatterAction.Acknowledge));
        await Act(noise, WorkingDaysAgo(3, 10), actors["zhujian"],
            new MatterCommand(MatterAction.Feedback) { Note = "已约谈施工单位，夜间 22 时后停止高噪音作业。" });
        await Act(noise, WorkingDaysAgo(1, 16), actors["zhujian"],
            new MatterCommand(MatterAction.Complete) { Note = "施工单位已整改，连续三晚夜查无违规施工。" });

        // Closed off (销号).
        var road = await Assign(WorkingDaysAgo(9, 9), "学校门口道路破损修复",
            "人民路小学门口道路破损，影响学生上下学安全。", "410102001", []);
        await Act(road, WorkingDaysAgo(9, 11), actors["renminlu"], new MatterCommand(MatterAction.Acknowledge));
        await Act(road, WorkingDaysAgo(7, 10), actors["renminlu"], new MatterCommand(MatterAction.Feedback) { Note = "已完成勘察，材料进场。" });
        await Act(road, WorkingDaysAgo(4, 17), actors["renminlu"], new MatterCommand(MatterAction.Complete) { Note = "路面已修复并通过验收。" });
        await Act(road, WorkingDaysAgo(3, 10), supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "现场核查属实。" });
        await Act(road, WorkingDaysAgo(3, 11), supervisor, new MatterCommand(MatterAction.Close));

        // Fresh today.
        await Assign(now, "城区主干道交通拥堵治理",
            "市长办公会要求治理早晚高峰主干道拥堵，优化信号配时。", "4101-JT", ["410102"], complex: true);
    }

    /// <summary>A monthly scheme for the city's departments, so 考评结果 shows the demo's matters scored.</summary>
    private async Task SeedSchemeAsync(Actor supervisor, CancellationToken cancellationToken)
    {
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        await schemes.CreateAsync(new SchemeInput
        {
            Name = "市直部门月度考评",
            Group = "部门",
            Period = "month",
            From = new DateOnly(today.Year, 1, 1),
            Base = 60,
            Components = [new("onTimeAcknowledgeRate", 0.2), new("onTimeCompleteRate", 0.3), new("resolutionRate", 0.25), new("satisfactionRate", 0.25)],
            PointRules = [new("overdueMilestone", -1, 10), new("accountability", -2, 10), new("commendation", 2, 6), new("criticism", -2, 6)],
            Note = "演示：按时签收 20%、按时办结 30%、解决率 25%、满意率 25%，超期和问责扣分，通报加减分。",
        }, supervisor, cancellationToken);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }
}
