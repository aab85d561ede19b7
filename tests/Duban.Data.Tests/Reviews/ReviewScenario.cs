using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// Two months of work for the review packs, done through <see cref="AssignMatter"/> and <see cref="ActOnMatter"/> with
/// the clock moved to each instant (the counters follow): four townships under county K (测试镇, 东风镇, 南湖镇, 北山镇).
/// In February 北山镇 does everything on time and 测试镇 nothing; in March it is the other way round, so ranks change.
/// Ends on 2024-04-02 10:00 Beijing time, when March is over.
/// </summary>
public sealed class ReviewScenario
{
    public static readonly UnitInput[] Townships =
    [
        new("K-T2", "东风镇", "K", "township"),
        new("K-T3", "南湖镇", "K", "township"),
        new("K-T4", "北山镇", "K", "township"),
    ];

    /// <summary>Red and black lists of one unit each, so four townships give both.</summary>
    public static Dictionary<string, string?> Settings => new() { ["Reviews:ListSize"] = "1" };

    public static readonly DateTimeOffset End = At("2024-04-02T10:00:00+08:00");

    /// <summary>The codes of the March matters, by lead unit code.</summary>
    public Dictionary<string, List<string>> March { get; } = [];

    /// <summary>Every matter's code.</summary>
    public List<string> Codes { get; } = [];

    public static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    public static async Task<ReviewScenario> RunAsync(IServiceProvider services, TestOrganisation org, Action<DateTimeOffset> setNow)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(setNow);
        var ids = new Dictionary<string, long>(org.UnitIds);
        await using (var scope = services.CreateAsyncScope())
        {
            foreach (var unit in Townships)
            {
                var saved = await scope.ServiceProvider.GetRequiredService<UnitDirectory>().SaveAsync(unit);
                ids[saved.Code] = saved.Id;
            }
        }

        Actor Handler(string unit) => new($"test:{unit}", $"{unit}承办", ids[unit], new HashSet<Role> { Role.Handler });
        var scenario = new ReviewScenario();

        async Task<(long Id, string Code)> Assign(string lead, string title)
        {
            await using var scope = services.CreateAsyncScope();
            var id = await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead) with { Title = title }, org.Supervisor);
            var code = (await scope.ServiceProvider.GetRequiredService<MatterQueries>().GetAsync(id, org.Supervisor)).Code;
            scenario.Codes.Add(code);
            return (id, code);
        }

        async Task Act(long id, Actor actor, MatterCommand command)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor);
        }

        var now = At("2024-02-01T10:00:00+08:00");
        void Set(DateTimeOffset at)
        {
            now = at;
            setNow(at);
        }

        void Tick() => Set(now.AddMinutes(10));

        // The whole way through, ten minutes a step: signed, reported on, completed, verified and rated 满意.
        async Task Whole(long id, string unit)
        {
            Tick();
            await Act(id, Handler(unit), new MatterCommand(MatterAction.Acknowledge));
            Tick();
            await Act(id, Handler(unit), new MatterCommand(MatterAction.Feedback) { Note = "已现场排查，制定整改方案" });
            Tick();
            await Act(id, Handler(unit), new MatterCommand(MatterAction.Complete) { Note = "路灯已全部修复" });
            Tick();
            await Act(id, org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });
            await Act(id, org.Supervisor, new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Satisfied, Note = "群众满意" });
        }

        // February: 北山镇 does everything the same day, 南湖镇 and 东风镇 part of it, 测试镇 nothing.
        Set(At("2024-02-01T10:00:00+08:00"));
        var february = new Dictionary<string, long>();
        foreach (var unit in new[] { "K-T", "K-T2", "K-T3", "K-T4" })
        {
            february[unit] = (await Assign(unit, $"二月背街小巷路灯整改（{unit}）")).Id;
        }

        await Whole(february["K-T4"], "K-T4");
        Tick();
        await Act(february["K-T3"], Handler("K-T3"), new MatterCommand(MatterAction.Acknowledge));
        await Act(february["K-T2"], Handler("K-T2"), new MatterCommand(MatterAction.Acknowledge));
        await Act(february["K-T2"], Handler("K-T2"), new MatterCommand(MatterAction.Feedback) { Note = "正在排查" });

        // March: 测试镇 does everything the same day; 东风镇 completes one of two; 南湖镇 signs one in time and one late; 北山镇 nothing.
        Set(At("2024-03-01T10:00:00+08:00"));
        var march = new Dictionary<string, List<long>>();
        foreach (var unit in new[] { "K-T", "K-T2", "K-T3", "K-T4" })
        {
            march[unit] = [];
            scenario.March[unit] = [];
            foreach (var n in new[] { 1, 2 })
            {
                var (id, code) = await Assign(unit, $"三月农贸市场周边停车整治（{unit}-{n}）");
                march[unit].Add(id);
                scenario.March[unit].Add(code);
            }
        }

        await Assign("C-ZJ", "三月老旧小区加装电梯");
        foreach (var id in march["K-T"])
        {
            await Whole(id, "K-T");
        }

        await Whole(march["K-T2"][0], "K-T2");
        Tick();
        await Act(march["K-T2"][1], Handler("K-T2"), new MatterCommand(MatterAction.Acknowledge));
        Tick();
        await Act(march["K-T3"][1], Handler("K-T3"), new MatterCommand(MatterAction.Acknowledge));
        Set(At("2024-03-20T09:00:00+08:00"));
        await Act(march["K-T3"][0], Handler("K-T3"), new MatterCommand(MatterAction.Acknowledge));

        Set(End);
        return scenario;
    }
}
