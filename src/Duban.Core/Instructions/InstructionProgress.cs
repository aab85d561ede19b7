using Duban.Matters;

namespace Duban.Instructions;

/// <summary>Where a leader's instruction (领导批示件) stands.</summary>
public enum InstructionStatus
{
    /// <summary>登记: registered, not yet assigned to any unit.</summary>
    Registered,

    /// <summary>已交办: assigned, no unit has signed for its part yet.</summary>
    Assigned,

    /// <summary>办理中: at least one unit is handling its part and not every part is done.</summary>
    InProgress,

    /// <summary>待报告: every linked matter is done (办结); the office owes the leader the 办理结果报告.</summary>
    ResultsIn,

    /// <summary>已报告: the final 办理结果报告 was sent to the leader.</summary>
    Reported,

    /// <summary>已办结: closed by the office after the report (归档).</summary>
    Closed,
}

/// <summary>How far a report to the leader has gone.</summary>
public enum ReportStage
{
    /// <summary>草稿: drafted, may still be edited.</summary>
    Draft,

    /// <summary>已审核: approved, waiting to be sent.</summary>
    Approved,

    /// <summary>已报送: sent to the leader.</summary>
    Sent,
}

/// <summary>
/// The status of an instruction, derived from its linked matters: pure, so the list, the page and the API agree.
/// </summary>
public static class InstructionProgress
{
    /// <summary>Whether a linked matter counts as done (办结): verified, rated or closed, as the campaign counts read 已办结.</summary>
    /// <param name="status">The matter's status.</param>
    public static bool IsDone(MatterStatus status) => status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed;

    /// <summary>
    /// The instruction's status: closed and reported win; with no linked matter it is registered; when every linked
    /// matter is done, results are in; when none has been signed for (待签收 or 已退回), it is assigned; otherwise in progress.
    /// </summary>
    /// <param name="linked">The statuses of the linked matters (any order).</param>
    /// <param name="finalReportSent">Whether a final (not 阶段性) report was sent to the leader.</param>
    /// <param name="closed">Whether the office closed the instruction.</param>
    public static InstructionStatus Of(IReadOnlyCollection<MatterStatus> linked, bool finalReportSent, bool closed)
    {
        ArgumentNullException.ThrowIfNull(linked);
        if (closed)
        {
            return InstructionStatus.Closed;
        }

        if (finalReportSent)
        {
            return InstructionStatus.Reported;
        }

        if (linked.Count == 0)
        {
            return InstructionStatus.Registered;
        }

        if (linked.All(IsDone))
        {
            return InstructionStatus.ResultsIn;
        }

        return linked.All(s => s is MatterStatus.Assigned or MatterStatus.Returned) ? InstructionStatus.Assigned : InstructionStatus.InProgress;
    }

    /// <summary>Whether a final report may be drafted: every linked matter is done (and there is at least one).</summary>
    /// <param name="linked">The statuses of the linked matters.</param>
    public static bool AllDone(IReadOnlyCollection<MatterStatus> linked)
    {
        ArgumentNullException.ThrowIfNull(linked);
        return linked.Count > 0 && linked.All(IsDone);
    }

    /// <summary>The Chinese name of a status.</summary>
    /// <param name="status">The status.</param>
    public static string Label(InstructionStatus status) => status switch
    {
        InstructionStatus.Registered => "登记",
        InstructionStatus.Assigned => "已交办",
        InstructionStatus.InProgress => "办理中",
        InstructionStatus.ResultsIn => "待报告",
        InstructionStatus.Reported => "已报告",
        InstructionStatus.Closed => "已办结",
    };

    /// <summary>The Chinese name of a report's stage.</summary>
    /// <param name="stage">The stage.</param>
    public static string Label(ReportStage stage) => stage switch
    {
        ReportStage.Draft => "草稿",
        ReportStage.Approved => "已审核",
        ReportStage.Sent => "已报送",
    };

    /// <summary>The instruction's number: 批示〔2026〕12号.</summary>
    /// <param name="year">The year of registration.</param>
    /// <param name="sequence">Its number within the year, from 1.</param>
    public static string Number(int year, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"批示〔{year}〕{sequence}号");
}
