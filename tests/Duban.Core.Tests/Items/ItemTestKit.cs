using Duban.Calendar;
using Duban.Items;
using Duban.Matters;
using Duban.Tests.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Items;

/// <summary>A work item driven through the lifecycle, as the office and the township would.</summary>
internal sealed class ItemKit
{
    public static readonly MatterLifecycle Lifecycle = MatterHarness.Lifecycle;
    private readonly List<MatterEvent> _events = [];

    public ItemKit(string assignedAt, IReadOnlyList<PlannedNode> plan, ReportCycle? cycle = null, IReadOnlyList<long>? coUnits = null)
    {
        var first = Lifecycle.Assign(new AssignCommand(MatterKind.Item, TestUnitTree.SupervisionOffice, TestUnitTree.Township, coUnits ?? [],
            TimeLimitProfile.DefaultName, false, null)
        {
            Register = ItemRegister.Project,
            Plan = plan,
            Cycle = cycle,
        }, Actors.Supervisor, At(assignedAt));
        _events.Add(first);
        State = MatterState.Start(first);
    }

    public MatterState State { get; private set; }

    public IReadOnlyList<MatterEvent> Events => _events;

    public MatterEvent Do(MatterCommand command, string at, Actor? actor = null)
    {
        var e = Lifecycle.Decide(State, command, actor ?? Actors.TownshipHandler, At(at), TestUnitTree.Instance);
        _events.Add(e);
        State = State.Apply(e);
        Assert.Equal(MatterState.Replay(_events), State); // the state is always the fold of its events
        return e;
    }

    public static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Day(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<PlannedNode> Project2025 { get; } =
    [
        new("开工", Day("2025-06-30")),
        new("立项", Day("2025-03-31")),
        new("主体完工", Day("2025-09-30")),
        new("竣工", Day("2025-12-31")),
    ];

    public static DateTimeOffset EndOf(string day) => ChinaTime.EndOf(Day(day));
}
