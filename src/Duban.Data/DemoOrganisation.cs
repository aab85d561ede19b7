using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A sign-in created for the demo.</summary>
public sealed record DemoAccount(string UserName, string Password, string Description);

/// <summary>
/// An empty database gets a demo organisation (示范市, fictional) that shows every part of Duban on first run: units
/// from city to community, one sign-in per role, matters at every point of the 13710 clock (overdue, returned, waiting
/// for verification, closed), four months of closed assignments and appeals so the reviews and rankings have figures,
/// appeals on the portal, enterprises with their 包联 cadre and visits, a due 回头看, and accountability entries filed
/// by a first sweep. Passwords are random and returned to be printed.
/// </summary>
public sealed class DemoOrganisation(DubanDbContext db, UnitDirectory units, UserAccounts accounts, Rules rules, AssessmentSchemes schemes,
    AppealOptions appealOptions, SweepDeadlines sweep, TimeProvider clock, NoticeDocuments notices)
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
        new("410102002", "解放路街道", "410102", "township"),
        new("410103", "西城区", "4101", "county"),
        new("410103001", "中山路街道", "410103", "township"),
        new("4101-CG", "示范市城市管理局", "4101", "department"),
        new("4101-SW", "示范市水利局", "4101", "department"),
    ];

    /// <summary>Staff of the other units, so their matters can be handled in the demo's history; they have no printed
    /// password (an administrator sets one on 用户与角色 when wanted).</summary>
    private static readonly (string User, string Name, string Unit)[] Staff =
    [
        ("jiaotong", "陈承办", "4101-JT"),
        ("chengguan", "周承办", "4101-CG"),
        ("shuili", "吴承办", "4101-SW"),
        ("jiefanglu", "郑承办", "410102002"),
        ("zhongshanlu", "孙承办", "410103001"),
    ];

    /// <summary>The demo's people: user name, display name, unit code, role and what the login page says of them.</summary>
    public static IReadOnlyList<(string User, string Name, string Unit, Role Role, string Description)> People { get; } =
    [
        ("admin", "系统管理员", "4101", Role.Admin, "系统管理员"),
        ("ducha", "王督查", "4101-DC", Role.Supervisor, "市委督查室"),
        ("shizhang", "李市长", "4101", Role.Leader, "市领导"),
        ("zhujian", "张承办", "4101-ZJ", Role.Handler, "市住建局承办人"),
        ("renminlu", "刘承办", "410102001", Role.Handler, "人民路街道承办人"),
        ("baolian", "赵包联", "410102001", Role.Cadre, "人民路街道包联干部"),
    ];

    /// <summary>Whether this database holds the demo: its fictional root unit 示范市 (4101) is the flag, since
    /// a real organisation never carries it; the login page then lists the demo sign-ins.</summary>
    public static Task<bool> IsInUseAsync(DubanDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var root = DemoUnits[0];
        return db.Units.AnyAsync(u => u.Code == root.Code && u.Name == root.Name && u.ParentId == null, cancellationToken);
    }

    /// <summary>
    /// Creates the demo when the database has no units; returns the sign-ins, or an empty list. All or nothing, in one
    /// transaction: a start killed halfway leaves the database empty, and the next start makes the whole demo and
    /// prints its sign-ins. When another instance made it meanwhile (several on one PostgreSQL), this one leaves it.
    /// </summary>
    public async Task<IReadOnlyList<DemoAccount>> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Units.AnyAsync(cancellationToken))
        {
            return [];
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var accounts = await SeedAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return accounts;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Units.AnyAsync(cancellationToken))
            {
                return [];
            }

            throw;
        }
    }

    private async Task<IReadOnlyList<DemoAccount>> SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var unit in DemoUnits)
        {
            await units.SaveAsync(unit, cancellationToken);
        }

        var result = new List<DemoAccount>();
        var actors = new Dictionary<string, Actor>();
        foreach (var person in People)
        {
            var password = UserAccounts.NewPassword(5);
            var user = await accounts.CreateAsync(person.User, person.Name, person.Unit, [person.Role], password, cancellationToken: cancellationToken);
            actors[person.User] = await accounts.ActorOfAsync(user);
            result.Add(new DemoAccount(person.User, password, person.Description));
        }

        foreach (var (user, name, unit) in Staff)
        {
            var password = UserAccounts.NewPassword(8);
            actors[user] = await accounts.ActorOfAsync(await accounts.CreateAsync(user, name, unit, [Role.Handler], password, cancellationToken: cancellationToken));
        }

        var demo = new DemoClock(clock.GetUtcNow(), rules);
        await SeedHistoryAsync(demo, actors, cancellationToken);
        await SeedMattersAsync(demo, actors, cancellationToken);
        await SeedPairingAsync(demo, actors, cancellationToken);
        await SeedSchemeAsync(actors["ducha"], cancellationToken);
        await SeedNoticesAsync(actors, cancellationToken);
        // The first sweep, as the web host would run it within the minute: the long-overdue matter goes on the
        // accountability list, the others get their warnings and 催办.
        await sweep.RunAsync(clock.GetUtcNow(), cancellationToken);
        return result;
    }

    /// <summary>Today's open matters, at every point of the clock.</summary>
    private async Task SeedMattersAsync(DemoClock demo, Dictionary<string, Actor> actors, CancellationToken cancellationToken)
    {
        var (assign, act) = (new AssignMatter(db, rules, demo), new ActOnMatter(db, rules, demo));
        var supervisor = actors["ducha"];

        Task<long> Assign(DateTimeOffset at, string title, string content, string lead, string[] co, bool complex = false) =>
            demo.AssignAsync(assign, at, title, content, lead, co, complex, supervisor, cancellationToken);

        Task Act(long id, DateTimeOffset at, Actor actor, MatterCommand command) => demo.ActAsync(act, id, at, actor, command, cancellationToken);

        // Not acknowledged two working days on: the acknowledge milestone is overdue.
        await Assign(demo.WorkingDaysAgo(2, 10), "老旧小区雨污分流改造进度滞后",
            "市委常委会要求加快老旧小区雨污分流改造，人民路片区三个小区进度滞后。", "4101-ZJ", ["410102001"]);

        // Never acknowledged, eight working days on: the first sweep puts the unit on the accountability list (问责).
        await Assign(demo.WorkingDaysAgo(8, 9), "中山路农贸市场周边占道经营整治",
            "群众多次反映中山路农贸市场周边占道经营、垃圾堆积，早晚高峰通行困难。", "410103001", ["4101-CG"]);

        // Acknowledged and reported on once; completion still open.
        var lights = await Assign(demo.WorkingDaysAgo(2, 9), "背街小巷路灯不亮问题整改",
            "群众反映人民路街道多条背街小巷路灯长期不亮，夜间出行不便。", "410102001", []);
        await Act(lights, demo.WorkingDaysAgo(2, 15), actors["renminlu"], new MatterCommand(MatterAction.Acknowledge));
        await Act(lights, demo.WorkingDaysAgo(1, 11), actors["renminlu"],
            new MatterCommand(MatterAction.Feedback) { Note = "已排查 12 条巷道，更换灯具 30 盏，剩余 5 条本周完成。" });

        // Returned (退回) by the township as outside its duties: waiting for the office to transfer it.
        var river = await Assign(demo.WorkingDaysAgo(1, 10), "护城河东段河道垃圾清理",
            "市民反映护城河东段河面漂浮垃圾较多，岸边有异味。", "410102002", []);
        await Act(river, demo.WorkingDaysAgo(1, 15), actors["jiefanglu"], new MatterCommand(MatterAction.Return)
        {
            Note = "护城河河道保洁由市水利局负责，不属于街道职责，请转市水利局办理。",
        });

        // Reported complete, waiting for the supervision office to verify.
        var noise = await Assign(demo.WorkingDaysAgo(5, 9), "建筑工地夜间施工噪音扰民",
            "幸福社区居民反映周边工地夜间施工，噪音扰民。", "4101-ZJ", ["410102001"]);
        await Act(noise, demo.WorkingDaysAgo(5, 14), actors["zhujian"], new MatterCommand(MatterAction.Acknowledge));
        await Act(noise, demo.WorkingDaysAgo(3, 10), actors["zhujian"],
            new MatterCommand(MatterAction.Feedback) { Note = "已约谈施工单位，夜间 22 时后停止高噪音作业。" });
        await Act(noise, demo.WorkingDaysAgo(1, 16), actors["zhujian"],
            new MatterCommand(MatterAction.Complete) { Note = "施工单位已整改，连续三晚夜查无违规施工。" });

        // Closed off (销号).
        var road = await Assign(demo.WorkingDaysAgo(9, 9), "学校门口道路破损修复",
            "人民路小学门口道路破损，影响学生上下学安全。", "410102001", []);
        await Act(road, demo.WorkingDaysAgo(9, 11), actors["renminlu"], new MatterCommand(MatterAction.Acknowledge));
        await Act(road, demo.WorkingDaysAgo(7, 10), actors["renminlu"], new MatterCommand(MatterAction.Feedback) { Note = "已完成勘察，材料进场。" });
        await Act(road, demo.WorkingDaysAgo(4, 17), actors["renminlu"], new MatterCommand(MatterAction.Complete) { Note = "路面已修复并通过验收。" });
        await Act(road, demo.WorkingDaysAgo(3, 10), supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "现场核查属实。" });
        await Act(road, demo.WorkingDaysAgo(3, 11), supervisor, new MatterCommand(MatterAction.Close));

        // Fresh today.
        await Assign(demo.Now, "城区主干道交通拥堵治理",
            "市长办公会要求治理早晚高峰主干道拥堵，优化信号配时。", "4101-JT", ["410102"], complex: true);

        // Appeals on the portal this week: one just in, one being handled, one answered and waiting for its rating.
        var intake = new AppealIntake(db, assign, appealOptions, demo, new IntakeDirectory());
        var portal = await intake.PortalActorAsync(cancellationToken);
        await demo.AppealAsync(intake, portal, demo.WorkingDaysAgo(0, 8), MatterSource.Web, "幸福社区 3 号楼电梯经常停运",
            "幸福社区 3 号楼电梯近一个月停运四次，老人上下楼困难，物业一直说在等配件。", "城乡建设", "410102001001", "410102001",
            "王女士", cancellationToken);
        var parking = await demo.AppealAsync(intake, portal, demo.WorkingDaysAgo(2, 20), MatterSource.Web, "解放路小学门口接送车辆乱停",
            "每天放学时解放路小学门口家长车辆乱停，堵住公交站台，希望增设临时停车位并安排人员疏导。", "交通运输", "410102002", "410102002",
            "李先生", cancellationToken);
        await Act(parking, demo.WorkingDaysAgo(1, 9), actors["jiefanglu"], new MatterCommand(MatterAction.Acknowledge));
        var water = await demo.AppealAsync(intake, supervisor, demo.WorkingDaysAgo(4, 10), MatterSource.Hotline, "中山路片区自来水水压低",
            "中山路片区高层住户反映每天早晚用水高峰水压偏低，六楼以上基本没水。", "城乡建设", "410103001", "410103001",
            "赵先生", cancellationToken);
        await Act(water, demo.WorkingDaysAgo(4, 15), actors["zhongshanlu"], new MatterCommand(MatterAction.Acknowledge));
        await Act(water, demo.WorkingDaysAgo(2, 10), actors["zhongshanlu"], new MatterCommand(MatterAction.Complete)
        {
            Note = "已协调供水公司对片区加压泵站检修，早晚高峰水压恢复正常，已电话告知诉求人。",
        });
        await Act(water, demo.WorkingDaysAgo(1, 10), supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "经回访核实，水压已恢复。" });
    }

    /// <summary>通知书: an issued 交办通知书 for today's matter, and a 督办通知单 for the overdue one waiting for the leader's 审定.</summary>
    private async Task SeedNoticesAsync(Dictionary<string, Actor> actors, CancellationToken cancellationToken)
    {
        var (office, leader) = (actors["ducha"], actors["shizhang"]);
        var traffic = await db.Matters.Where(m => m.Title == "城区主干道交通拥堵治理").Select(m => m.Id).SingleAsync(cancellationToken);
        var issued = await notices.DraftAsync(traffic, new NoticeDraftInput("assignment",
            Requirements: "请市交通运输局会同东城区于10个工作日内提出主干道信号配时优化方案，早晚高峰安排警力疏导，每周五反馈进展。",
            Phone: "0371-12345678"), office, cancellationToken);
        await notices.ApproveAsync(issued, "同意。", leader, cancellationToken);
        await notices.IssueAsync(issued, office, cancellationToken);
        var sewer = await db.Matters.Where(m => m.Title == "老旧小区雨污分流改造进度滞后").Select(m => m.Id).SingleAsync(cancellationToken);
        await notices.DraftAsync(sewer, new NoticeDraftInput("supervision", Phone: "0371-12345678"), office, cancellationToken);
    }

    /// <summary>
    /// Four months of closed work before today, so 月讲评, 排名, 驾驶舱 and 考评 have figures: each month every handling
    /// unit gets assignments and appeals, mostly handled on time, some late; the appeals are rated. The matters closed
    /// more than a month ago have had their 回头看, all but the last two.
    /// </summary>
    private async Task SeedHistoryAsync(DemoClock demo, Dictionary<string, Actor> actors, CancellationToken cancellationToken)
    {
        var (assign, act) = (new AssignMatter(db, rules, demo), new ActOnMatter(db, rules, demo));
        var intake = new AppealIntake(db, assign, appealOptions, demo, new IntakeDirectory());
        var portal = await intake.PortalActorAsync(cancellationToken);
        var supervisor = actors["ducha"];
        var handlers = new Dictionary<string, Actor>
        {
            ["4101-ZJ"] = actors["zhujian"], ["4101-JT"] = actors["jiaotong"], ["4101-CG"] = actors["chengguan"], ["4101-SW"] = actors["shuili"],
            ["410102001"] = actors["renminlu"], ["410102002"] = actors["jiefanglu"], ["410103001"] = actors["zhongshanlu"],
        };
        var random = new Random(2026); // the same history every time
        var satisfactions = new[] { Satisfaction.Satisfied, Satisfaction.Satisfied, Satisfaction.Satisfied, Satisfaction.Basically, Satisfaction.Dissatisfied };
        var closed = new List<long>();
        var i = 0;
        // About 80 working days back is four months; every fourth working day one matter per unit starts.
        for (var daysAgo = 82; daysAgo >= 14; daysAgo -= 4)
        {
            foreach (var (unit, handler) in handlers)
            {
                var (title, content, category) = HistoryTexts[i++ % HistoryTexts.Length];
                var appeal = i % 2 == 0;
                var start = demo.WorkingDaysAgo(daysAgo, 9 + random.Next(8));
                var id = appeal
                    ? await demo.AppealAsync(intake, portal, start, MatterSource.Web, title, content, category, unit.StartsWith("4101-", StringComparison.Ordinal) ? null : unit,
                        unit, "市民", cancellationToken)
                    : await demo.AssignAsync(assign, start, title, content, unit, [], false, supervisor, cancellationToken);
                // Most units acknowledge the same day and finish in 3–6 working days; one in five is late somewhere.
                var late = random.Next(5) == 0;
                await demo.ActAsync(act, id, demo.After(start, late && random.Next(2) == 0 ? 2 : 0, 15), handler, new MatterCommand(MatterAction.Acknowledge), cancellationToken);
                var done = late ? 8 + random.Next(3) : 3 + random.Next(4);
                await demo.ActAsync(act, id, demo.After(start, Math.Min(2, done - 1), 11), handler,
                    new MatterCommand(MatterAction.Feedback) { Note = "已到现场核实，制定整改方案，正在推进。" }, cancellationToken);
                await demo.ActAsync(act, id, demo.After(start, done, 16), handler,
                    new MatterCommand(MatterAction.Complete) { Note = "已整改到位，整改前后照片已存档。" }, cancellationToken);
                await demo.ActAsync(act, id, demo.After(start, done + 1, 10), supervisor,
                    new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "经核查，整改到位。" }, cancellationToken);
                if (appeal)
                {
                    var rating = satisfactions[random.Next(satisfactions.Length)];
                    await demo.ActAsync(act, id, demo.After(start, done + 2, 10), supervisor,
                        new MatterCommand(MatterAction.Rate) { Satisfaction = rating, Note = "电话回访诉求人。" }, cancellationToken);
                    if (rating == Satisfaction.Dissatisfied)
                    {
                        // 不满意 reopens the matter: handled again, and then the rating holds.
                        await demo.ActAsync(act, id, demo.After(start, done + 4, 16), handler,
                            new MatterCommand(MatterAction.Complete) { Note = "再次上门沟通，问题已彻底解决。" }, cancellationToken);
                        await demo.ActAsync(act, id, demo.After(start, done + 5, 10), supervisor,
                            new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "复核属实。" }, cancellationToken);
                        await demo.ActAsync(act, id, demo.After(start, done + 6, 10), supervisor,
                            new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Basically, Note = "再次回访，基本满意。" }, cancellationToken);
                    }
                }

                await demo.ActAsync(act, id, demo.After(start, done + 7, 11), supervisor, new MatterCommand(MatterAction.Close), cancellationToken);
                closed.Add(id);
            }
        }

        // 回头看: the re-checks already due have been done (巩固), but for the last two, which are on the queue.
        var lookBacks = new LookBacks(db, demo, act);
        var due = await db.LookBacks.AsNoTracking().Where(l => l.Status == LookBackStatus.Pending && l.DueAt <= demo.Now)
            .OrderBy(l => l.DueAt).Select(l => new { l.Id, l.DueAt }).ToListAsync(cancellationToken);
        foreach (var lookBack in due.SkipLast(2))
        {
            demo.Now = lookBack.DueAt.AddHours(2) < demo.Today ? lookBack.DueAt.AddHours(2) : demo.Today;
            await lookBacks.RecordAsync(lookBack.Id, "holds", "回访群众，问题未反弹。", supervisor, cancellationToken);
        }

        demo.Now = demo.Today;
    }

    /// <summary>Titles of past work, each with its text and appeal category.</summary>
    private static readonly (string Title, string Content, string Category)[] HistoryTexts =
    [
        ("小区楼道堆放杂物存在消防隐患", "居民反映小区多个楼道长期堆放杂物、电动车，堵塞消防通道。", "城乡建设"),
        ("道路井盖缺失", "路口处一个雨水井盖缺失，夜间行人和电动车通行危险。", "城乡建设"),
        ("公交站台破损", "公交站台顶棚破损漏雨，候车座椅损坏。", "交通运输"),
        ("餐饮店油烟扰民", "临街餐馆油烟直排，楼上住户无法开窗。", "环境保护"),
        ("农民工工资拖欠", "某工地拖欠 20 余名农民工三个月工资。", "劳动和社会保障"),
        ("背街小巷垃圾清运不及时", "小巷垃圾桶满溢，清运不及时，夏季气味难闻。", "城乡建设"),
        ("学校周边交通秩序混乱", "上下学时段校门口车辆乱停，学生过马路不安全。", "交通运输"),
        ("河道排污口异味", "河道排污口附近水体发黑有异味。", "环境保护"),
        ("老旧小区屋顶漏水", "老旧小区顶楼住户反映屋顶防水层老化，雨天漏水。", "城乡建设"),
        ("共享单车乱停乱放", "地铁口共享单车大量堆积，占用盲道。", "交通运输"),
        ("企业开办审批材料反复提交", "企业反映办理开办手续时需重复提交相同材料。", "经济管理"),
        ("农田灌溉渠道堵塞", "村民反映灌溉渠道淤堵，影响春耕用水。", "农村农业"),
    ];

    /// <summary>Enterprises in 人民路街道 paired with the demo's cadre, with visits over the last months; one visit
    /// raised a problem that became an appeal (包联走访).</summary>
    private async Task SeedPairingAsync(DemoClock demo, Dictionary<string, Actor> actors, CancellationToken cancellationToken)
    {
        var supervisor = actors["ducha"];
        var cadre = actors["baolian"];
        var enterprises = new Enterprises(db, demo);
        var intake = new AppealIntake(db, new AssignMatter(db, rules, demo), appealOptions, demo, new IntakeDirectory());
        var visits = new Visits(db, intake, demo);
        demo.Now = demo.WorkingDaysAgo(60, 9);
        var listed = new List<long>();
        foreach (var (name, code) in new[]
                 {
                     ("示范市宏达机械制造有限公司", "91410102MA40A1B2CT"),
                     ("示范市绿源食品有限公司", "91410102MA46X3K8DJ"),
                     ("示范市人民路百货商行", "92410103MA9F7QWE1M"),
                 })
        {
            var enterprise = await enterprises.SaveAsync(name, code, "410102001", supervisor, cancellationToken);
            await enterprises.PairAsync(enterprise.Id, "baolian", ChinaTime.DateOf(demo.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                supervisor, cancellationToken);
            listed.Add(enterprise.Id);
        }

        async Task Visit(long enterprise, int daysAgo, string content, params ProblemInput[] problems)
        {
            demo.Now = demo.WorkingDaysAgo(daysAgo, 15);
            await visits.LogAsync(new VisitInput(enterprise, ChinaTime.DateOf(demo.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                content, problems), cadre, cancellationToken);
        }

        await Visit(listed[0], 40, "走访了解企业生产经营情况，订单饱满，用工稳定。");
        await Visit(listed[1], 25, "走访企业，了解到新厂房用电增容申请已提交两个月未批复。",
            new ProblemInput("新厂房用电增容申请迟迟未批复", "企业新厂房用电增容申请两个月未批复，影响新生产线投产。", "经济管理"));
        await Visit(listed[0], 5, "回访企业，上次反映事项已解决，企业表示满意。");
        demo.Now = demo.Today;
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

    /// <summary>The demo's own clock, moved to each past instant it writes at, with the helpers that write.</summary>
    private sealed class DemoClock(DateTimeOffset today, Rules rules) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = today;

        public DateTimeOffset Today { get; } = today;

        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

        /// <summary>That many working days before today, at the hour (Beijing time).</summary>
        public DateTimeOffset WorkingDaysAgo(int days, int hour)
        {
            var date = ChinaTime.DateOf(Today);
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

        /// <summary>That many working days after an instant, at the hour; never later than today.</summary>
        public DateTimeOffset After(DateTimeOffset start, int days, int hour)
        {
            var date = ChinaTime.DateOf(start);
            for (var found = 0; found < days;)
            {
                date = date.AddDays(1);
                if (rules.Calendar.IsWorkingDay(date))
                {
                    found++;
                }
            }

            var at = ChinaTime.StartOf(date).AddHours(hour);
            return at < start ? start.AddMinutes(30) : at > Today ? Today : at;
        }

        public async Task<long> AssignAsync(AssignMatter assign, DateTimeOffset at, string title, string content, string lead, string[] co, bool complex,
            Actor supervisor, CancellationToken cancellationToken)
        {
            Now = at;
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

        public async Task ActAsync(ActOnMatter act, long id, DateTimeOffset at, Actor actor, MatterCommand command, CancellationToken cancellationToken)
        {
            Now = at;
            await act.ExecuteAsync(id, command, null, actor, cancellationToken);
        }

        /// <summary>Registers an appeal as received at that instant; returns its matter.</summary>
        public async Task<long> AppealAsync(AppealIntake intake, Actor receiver, DateTimeOffset at, MatterSource channel, string title, string content,
            string category, string? region, string lead, string contact, CancellationToken cancellationToken)
        {
            Now = at;
            var registered = await intake.RegisterAsync(new AppealInput
            {
                Title = title, Content = content, Category = category, Region = region, LeadUnit = lead, ContactName = contact,
                ContactPhone = "13800000000",
            }, new Intake(receiver, channel), cancellationToken);
            return registered.MatterId;
        }
    }
}
