using Duban.Matters;
using Duban.Reviews;
using FsCheck.Xunit;

namespace Duban.Tests.Reviews;

/// <summary>上次交办落实情况: the summary of a session's matters as they stand.</summary>
public sealed class SessionProgressTests
{
    private static SessionMatter M(long id, long unit, MatterStatus status, bool overdue = false) => new(id, unit, status, overdue);

    [Fact]
    public void Counts_FinishedAsVerifiedRatedOrClosed_AndClearanceAsClosedOnly()
    {
        var progress = SessionProgress.Of([
            M(1, 10, MatterStatus.Closed),
            M(2, 10, MatterStatus.Verified),
            M(3, 20, MatterStatus.Rated),
            M(4, 20, MatterStatus.Acknowledged, overdue: true),
            M(5, 30, MatterStatus.Reported),
            M(6, 30, MatterStatus.Assigned, overdue: true),
        ]);

        Assert.Equal(6, progress.Total);
        Assert.Equal(3, progress.Finished);
        Assert.Equal(3, progress.InProgress);
        Assert.Equal(2, progress.Overdue);
        Assert.Equal(1, progress.Closed);
        Assert.Equal(1 / 6.0, progress.ClosedShare!.Value, 6);
        Assert.Equal("16.7%", progress.ClosedPercent);
    }

    [Fact]
    public void Unfinished_ByLeadUnit_OverdueUnitsFirst_ThenTheLongerList()
    {
        var progress = SessionProgress.Of([
            M(1, 10, MatterStatus.Acknowledged),
            M(2, 10, MatterStatus.Assigned),
            M(3, 20, MatterStatus.Acknowledged, overdue: true),
            M(4, 30, MatterStatus.Closed),
            M(5, 40, MatterStatus.Reported),
        ]);

        Assert.Equal([20L, 10L, 40L], progress.Unfinished.Select(u => u.LeadUnitId));
        Assert.Equal([1L, 2L], progress.Unfinished[1].Matters.Select(m => m.MatterId));
        Assert.Equal(1, progress.Unfinished[0].Overdue);
        Assert.DoesNotContain(progress.Unfinished, u => u.LeadUnitId == 30);
    }

    [Fact]
    public void Overdue_CountsOnlyUnfinishedMatters()
    {
        // A matter accepted after its deadline is finished, not 超期.
        var progress = SessionProgress.Of([M(1, 10, MatterStatus.Verified, overdue: true), M(2, 10, MatterStatus.Returned, overdue: true)]);

        Assert.Equal(1, progress.Overdue);
        Assert.Equal(1, progress.InProgress);
    }

    [Fact]
    public void EmptySession_HasNoShare_AndShowsADash()
    {
        var progress = SessionProgress.Of([]);

        Assert.Equal(0, progress.Total);
        Assert.Null(progress.ClosedShare);
        Assert.Equal("—", progress.ClosedPercent);
        Assert.Empty(progress.Unfinished);
    }

    [Fact]
    public void AllClosed_IsOneHundredPercent()
    {
        var progress = SessionProgress.Of([M(1, 10, MatterStatus.Closed), M(2, 20, MatterStatus.Closed)]);

        Assert.Equal("100%", progress.ClosedPercent);
        Assert.Empty(progress.Unfinished);
    }

    [Fact]
    public void AMatterListedTwice_CountsOnce()
    {
        var progress = SessionProgress.Of([M(1, 10, MatterStatus.Assigned), M(1, 10, MatterStatus.Assigned)]);

        Assert.Equal(1, progress.Total);
        Assert.Single(Assert.Single(progress.Unfinished).Matters);
    }

    [Property(MaxTest = 300)]
    public bool Parts_AddUpToTheWhole(byte[] statuses, bool[] overdue)
    {
        var matters = statuses.Select((s, i) => M(i, s % 4, (MatterStatus)(s % 7), i < overdue.Length && overdue[i])).ToList();
        var p = SessionProgress.Of(matters);
        return p.Finished + p.InProgress == p.Total
            && p.Unfinished.Sum(u => u.Matters.Count) == p.InProgress
            && p.Unfinished.Sum(u => u.Overdue) == p.Overdue
            && p.Overdue <= p.InProgress
            && p.Closed <= p.Finished
            && (p.Total == 0 ? p.ClosedShare is null : p.ClosedShare is >= 0 and <= 1);
    }
}
