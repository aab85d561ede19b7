using Duban.Matters;

namespace Duban.Reviews;

/// <summary>One matter of a weekly session (周交办) as the progress report needs it.</summary>
/// <param name="MatterId">The matter.</param>
/// <param name="LeadUnitId">Its lead unit (牵头单位) now.</param>
/// <param name="Status">Its status now.</param>
/// <param name="Overdue">Whether an unmet deadline has passed while its clock runs (超期), now.</param>
public sealed record SessionMatter(long MatterId, long LeadUnitId, MatterStatus Status, bool Overdue);

/// <summary>A lead unit's unfinished matters in a session, for the list read out at the meeting.</summary>
/// <param name="LeadUnitId">The unit.</param>
/// <param name="Matters">Its unfinished matters, in the order given.</param>
/// <param name="Overdue">How many of them are overdue.</param>
public sealed record UnitBacklog(long LeadUnitId, IReadOnlyList<SessionMatter> Matters, int Overdue);

/// <summary>
/// 上次交办落实情况: how the matters of a session stand. 交办 <see cref="Total"/> 项, 已办结 <see cref="Finished"/> 项 (accepted
/// by the assigning side: 已审核, 已回访 or 已销号), 办理中 <see cref="InProgress"/> 项 (everything else), 超期 <see cref="Overdue"/> 项
/// (of the unfinished), and 清零销号 progress: <see cref="Closed"/> (已销号) of <see cref="Total"/>.
/// </summary>
public sealed record SessionProgress
{
    /// <summary>交办: how many matters the session assigned.</summary>
    public required int Total { get; init; }

    /// <summary>已办结: verified, rated or closed.</summary>
    public required int Finished { get; init; }

    /// <summary>办理中: not finished (waiting to be acknowledged, being handled, reported, or returned to the office).</summary>
    public int InProgress => Total - Finished;

    /// <summary>超期: unfinished matters with a deadline passed.</summary>
    public required int Overdue { get; init; }

    /// <summary>已销号: closed off.</summary>
    public required int Closed { get; init; }

    /// <summary>清零销号 progress from 0 to 1 (<see cref="Closed"/> / <see cref="Total"/>); null for an empty session, which has
    /// nothing to clear.</summary>
    public double? ClosedShare => Total == 0 ? null : (double)Closed / Total;

    /// <summary>The unfinished matters by lead unit: units with overdue matters first, then by how many are open, then by id.</summary>
    public required IReadOnlyList<UnitBacklog> Unfinished { get; init; }

    /// <summary>Whether a matter in this status counts as 已办结.</summary>
    public static bool IsFinished(MatterStatus status) => status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed;

    /// <summary>The progress of a session's matters as they stand.</summary>
    public static SessionProgress Of(IEnumerable<SessionMatter> matters)
    {
        ArgumentNullException.ThrowIfNull(matters);
        var list = matters.DistinctBy(m => m.MatterId).ToList();
        var unfinished = list.Where(m => !IsFinished(m.Status)).ToList();
        return new SessionProgress
        {
            Total = list.Count,
            Finished = list.Count - unfinished.Count,
            Overdue = unfinished.Count(m => m.Overdue),
            Closed = list.Count(m => m.Status == MatterStatus.Closed),
            Unfinished = unfinished
                .GroupBy(m => m.LeadUnitId)
                .Select(g => new UnitBacklog(g.Key, g.ToList(), g.Count(m => m.Overdue)))
                .OrderByDescending(b => b.Overdue).ThenByDescending(b => b.Matters.Count).ThenBy(b => b.LeadUnitId)
                .ToList(),
        };
    }

    /// <summary>The progress as a percentage with one decimal (e.g. 66.7%), or "—" for an empty session.</summary>
    public string ClosedPercent =>
        ClosedShare is { } share ? (share * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";
}
