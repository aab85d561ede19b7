using Duban.TimeLimits;

namespace Duban.Reviews;

/// <summary>
/// The counters kept per unit, per Beijing date and per role, from which every review metric is computed
/// (docs/METRICS.md says which date each counter is filed under). Kept in the same transaction as the events that
/// change them and rebuilt from the events by <see cref="MatterFacts.Replay"/>; the order is the storage column order.
/// </summary>
public enum Fact
{
    /// <summary>交办数: the matter reached the unit (assignment, or transfer to it), on that day.</summary>
    Assigned,

    /// <summary>退回数: the unit sent a matter back to the assigner, on that day.</summary>
    Returned,

    /// <summary>转办数: a matter was transferred away from the unit (by the assigner, or escalated by the unit), on that day.</summary>
    TransferredOut,

    /// <summary>重办数: the matter went back to the unit's handling (审核退回, 不满意, 重新办理), on that day.</summary>
    Redone,

    /// <summary>Rated 满意, on the day of the rating.</summary>
    RatedSatisfied,

    /// <summary>Rated 基本满意, on the day of the rating.</summary>
    RatedBasically,

    /// <summary>Rated 不满意, on the day of the rating.</summary>
    RatedDissatisfied,

    /// <summary>签收 met by its original due instant; filed under the due date.</summary>
    AcknowledgeOnTime,

    /// <summary>签收 met after the original due instant but within an approved extension.</summary>
    AcknowledgeWithinExtension,

    /// <summary>签收 met late, or left the unit already late (退回, 转办).</summary>
    AcknowledgeLate,

    /// <summary>签收 not yet met; overdue once its due date has passed.</summary>
    AcknowledgePending,

    /// <summary>首次反馈 met by its original due instant.</summary>
    FeedbackOnTime,

    /// <summary>首次反馈 met within an approved extension.</summary>
    FeedbackWithinExtension,

    /// <summary>首次反馈 met late, or left the unit already late.</summary>
    FeedbackLate,

    /// <summary>首次反馈 not yet met.</summary>
    FeedbackPending,

    /// <summary>办结 reported by its original due instant (and not sent back by the verifier).</summary>
    CompleteOnTime,

    /// <summary>办结 reported within an approved extension (延期内办结).</summary>
    CompleteWithinExtension,

    /// <summary>办结 reported late, or left the unit already late.</summary>
    CompleteLate,

    /// <summary>办结 not yet reported (or sent back by the verifier).</summary>
    CompletePending,

    /// <summary>The working days the completions filed here took, from <see cref="Matters.MatterState.HandlingSince"/>.</summary>
    CompletionWorkingDays,

    /// <summary>提速: completions reported within the speed-up share of the allowed working days.</summary>
    SpedUp,

    /// <summary>解决: completions accepted by the verifier and not since rated dissatisfied or reopened.</summary>
    Resolved,
}

/// <summary>Whose counters: the lead unit's (牵头) or a co-handling unit's (配合).</summary>
public enum FactRole
{
    /// <summary>牵头单位.</summary>
    Lead,

    /// <summary>配合单位: credited separately with the matters it co-handles and how their completion went.</summary>
    Co,
}

/// <summary>Where a set of counters is filed.</summary>
/// <param name="UnitId">The unit credited.</param>
/// <param name="Day">The Beijing date.</param>
/// <param name="Role">Lead or co-handling.</param>
public readonly record struct FactKey(long UnitId, DateOnly Day, FactRole Role);

/// <summary>One value per <see cref="Fact"/>; added and subtracted as vectors.</summary>
public sealed class UnitFacts
{
    /// <summary>How many facts there are.</summary>
    public static readonly int Count = Enum.GetValues<Fact>().Length;

    private readonly long[] _values = new long[Count];

    /// <summary>A fact's value.</summary>
    public long this[Fact fact]
    {
        get => _values[(int)fact];
        set => _values[(int)fact] = value;
    }

    /// <summary>The values in <see cref="Fact"/> order.</summary>
    public ReadOnlySpan<long> Values => _values;

    /// <summary>True when every value is zero.</summary>
    public bool IsZero => Array.TrueForAll(_values, v => v == 0);

    /// <summary>Adds <paramref name="sign"/> × <paramref name="other"/> to this.</summary>
    public void Add(UnitFacts other, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = checked(_values[i] + sign * other._values[i]);
        }
    }

    /// <summary>Whether a fact counts milestones not met yet: these count (as overdue) only where their due date is
    /// before today.</summary>
    public static bool IsPending(Fact fact) =>
        StageKinds.Clock.Any(stage => Outcome(stage, StageOutcome.Pending) == fact);

    /// <summary>The fact counting a 13710 stage's outcome (a work item's nodes and reports have none).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a 13710 stage.</exception>
    public static Fact Outcome(Stage stage, StageOutcome outcome) => stage.IsClock()
        ? (Fact)((int)Fact.AcknowledgeOnTime + (int)stage * 4 + (int)outcome)
        : throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only the 13710 stages have outcome facts.");
}

/// <summary>How one milestone stands for the unit it belongs to.</summary>
public enum StageOutcome
{
    /// <summary>Met by the original due instant (按时).</summary>
    OnTime,

    /// <summary>Met after the original due instant, by the extended one (延期内).</summary>
    WithinExtension,

    /// <summary>Met after its due instant, or taken away after it (超期).</summary>
    Late,

    /// <summary>Not met yet.</summary>
    Pending,
}

/// <summary>Counters by where they are filed: what one event changes, or a whole history adds up to.</summary>
public sealed class FactDelta
{
    private readonly Dictionary<FactKey, UnitFacts> _facts = [];

    /// <summary>The non-zero entries.</summary>
    public IEnumerable<KeyValuePair<FactKey, UnitFacts>> Entries => _facts.Where(e => !e.Value.IsZero);

    /// <summary>True when nothing changes.</summary>
    public bool IsEmpty => _facts.Values.All(f => f.IsZero);

    /// <summary>The counters at a key, created empty.</summary>
    public UnitFacts At(FactKey key)
    {
        if (!_facts.TryGetValue(key, out var facts))
        {
            facts = new UnitFacts();
            _facts[key] = facts;
        }

        return facts;
    }

    /// <summary>Adds one to a fact.</summary>
    public void Count(FactKey key, Fact fact, long by = 1) => At(key)[fact] = checked(At(key)[fact] + by);

    /// <summary>Adds <paramref name="sign"/> × another delta.</summary>
    public void Add(FactDelta other, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, facts) in other._facts)
        {
            At(key).Add(facts, sign);
        }
    }

    /// <summary>The value of a fact at a key (zero when absent).</summary>
    public long Get(FactKey key, Fact fact) => _facts.TryGetValue(key, out var f) ? f[fact] : 0;
}
