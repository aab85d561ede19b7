using Duban.Calendar;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Matters;

/// <summary>
/// A small unit tree: city 1 with departments 2 (督查室, the supervision office) and 3, county 4 under the city,
/// township 5 under the county.
/// </summary>
public sealed class TestUnitTree : IUnitTree
{
    public const long City = 1, SupervisionOffice = 2, Department = 3, County = 4, Township = 5;

    private static readonly Dictionary<long, long?> Parents = new()
    {
        [City] = null,
        [SupervisionOffice] = City,
        [Department] = City,
        [County] = City,
        [Township] = County,
    };

    private static readonly HashSet<long> Departments = [SupervisionOffice, Department];

    public static TestUnitTree Instance { get; } = new();

    public bool IsWithin(long unitId, long ancestorId)
    {
        for (long? unit = unitId; unit is { } u; unit = Parents.GetValueOrDefault(u))
        {
            if (u == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    public long GovernmentOf(long unitId) =>
        Departments.Contains(unitId) && Parents[unitId] is { } parent ? parent : unitId;
}

/// <summary>The people acting in the lifecycle tests.</summary>
public static class Actors
{
    public static Actor Supervisor { get; } = Make("user:supervisor", "督查室", TestUnitTree.SupervisionOffice, Role.Supervisor);

    public static Actor TownshipHandler { get; } = Make("user:town", "乡镇承办人", TestUnitTree.Township, Role.Handler);

    public static Actor DepartmentHandler { get; } = Make("user:dept", "部门承办人", TestUnitTree.Department, Role.Handler);

    public static Actor CityLeader { get; } = Make("user:leader", "市领导", TestUnitTree.City, Role.Leader);

    public static Actor Admin { get; } = Make("user:admin", "管理员", TestUnitTree.City, Role.Admin);

    public static IReadOnlyList<Actor> All { get; } = [Supervisor, TownshipHandler, DepartmentHandler, CityLeader, Admin];

    private static Actor Make(string id, string name, long unit, Role role) => new(id, name, unit, new HashSet<Role> { role });
}

/// <summary>A lifecycle on the China calendar with the built-in profiles, and a running history.</summary>
public sealed class MatterHarness
{
    public static MatterLifecycle Lifecycle { get; } =
        new(WorkingCalendar.China, [TimeLimitProfile.Standard13710, TimeLimitProfile.Urgent]);

    private readonly List<MatterEvent> _events = [];

    public MatterHarness(MatterKind kind, DateTimeOffset at, IReadOnlyList<long>? coUnits = null, bool complex = false,
        long lead = TestUnitTree.Township)
    {
        var assigned = Lifecycle.Assign(
            new AssignCommand(kind, TestUnitTree.SupervisionOffice, lead, coUnits ?? [], TimeLimitProfile.DefaultName, complex, null),
            Actors.Supervisor, at);
        _events.Add(assigned);
        State = MatterState.Start(assigned);
    }

    public MatterState State { get; private set; }

    public IReadOnlyList<MatterEvent> Events => _events;

    /// <summary>Decides and applies; returns the event.</summary>
    public MatterEvent Do(MatterCommand command, Actor actor, DateTimeOffset now)
    {
        var e = Lifecycle.Decide(State, command, actor, now, TestUnitTree.Instance);
        _events.Add(e);
        State = State.Apply(e);
        return e;
    }

    public MatterEvent Do(MatterAction action, Actor actor, string now, string? note = null) =>
        Do(new MatterCommand(action) { Note = note }, actor, Parse.Instant(now));

    public MatterEvent Decide(MatterCommand command, Actor actor, string now) =>
        Lifecycle.Decide(State, command, actor, Parse.Instant(now), TestUnitTree.Instance);

    public IReadOnlyList<MatterAction> Allowed(Actor actor, string now) =>
        Lifecycle.AllowedActions(State, actor, Parse.Instant(now), TestUnitTree.Instance);
}
