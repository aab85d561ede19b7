namespace Duban.Escalation;

/// <summary>Why a unit is on the accountability list (问责清单).</summary>
public enum AccountabilityReason
{
    /// <summary>签收超期: not acknowledged within the chain's accountability offset.</summary>
    AcknowledgeOverdue,

    /// <summary>反馈超期: no first feedback in time.</summary>
    FeedbackOverdue,

    /// <summary>办结超期: not completed in time.</summary>
    CompletionOverdue,

    /// <summary>两次不满意: the second dissatisfied rating.</summary>
    DissatisfiedTwice,

    /// <summary>销号后重新办理: reopened after it was closed (a 回头看 rebound, say).</summary>
    ReopenedAfterClosing,

    /// <summary>人工列入: put on the list by hand.</summary>
    Manual,

    /// <summary>节点超期: a work item's node not met within the chain's accountability offset.</summary>
    NodeOverdue,

    /// <summary>填报超期: a work item's progress report not made within the chain's accountability offset.</summary>
    ReportOverdue,
}

/// <summary>Where an accountability entry stands.</summary>
public enum AccountabilityStatus
{
    /// <summary>待处理.</summary>
    Pending,

    /// <summary>已约谈.</summary>
    Interviewed,

    /// <summary>已通报.</summary>
    Notified,

    /// <summary>已问责.</summary>
    Held,

    /// <summary>撤销 (with a reason).</summary>
    Withdrawn,
}
