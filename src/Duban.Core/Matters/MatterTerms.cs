namespace Duban.Matters;

/// <summary>What a matter is (事项类型).</summary>
public enum MatterKind
{
    /// <summary>交办事项: from a meeting or a leader's instruction; needs the 四明确.</summary>
    Assignment,

    /// <summary>诉求: an appeal from an enterprise or a citizen.</summary>
    Appeal,

    /// <summary>信访: a petition.</summary>
    Petition,

    /// <summary>工作事项: a piece of key work, a project, a reform or a meeting decision run on a plan of dated nodes
    /// with periodic progress reports, in one of the <see cref="Items.ItemRegister"/>s.</summary>
    Item,
}

/// <summary>Where a matter came from (来源).</summary>
public enum MatterSource
{
    /// <summary>会议.</summary>
    Meeting,

    /// <summary>领导批示.</summary>
    Instruction,

    /// <summary>网上.</summary>
    Web,

    /// <summary>热线.</summary>
    Hotline,

    /// <summary>线下.</summary>
    Offline,

    /// <summary>导入.</summary>
    Import,

    /// <summary>包联走访: raised to a paired cadre on a visit and registered on the spot.</summary>
    Visit,
}

/// <summary>Where a matter stands in its lifecycle.</summary>
public enum MatterStatus
{
    /// <summary>已交办: waiting for the lead unit to acknowledge.</summary>
    Assigned,

    /// <summary>已退回: refused by the unit, back with the assigner to re-route.</summary>
    Returned,

    /// <summary>办理中: acknowledged and being handled.</summary>
    Acknowledged,

    /// <summary>待审核: the unit reported completion.</summary>
    Reported,

    /// <summary>已审核: the assigner accepted the result.</summary>
    Verified,

    /// <summary>已回访: satisfaction recorded.</summary>
    Rated,

    /// <summary>已销号: closed.</summary>
    Closed,
}

/// <summary>Every action on a matter; each becomes one immutable event.</summary>
public enum MatterAction
{
    /// <summary>交办.</summary>
    Assign,

    /// <summary>签收.</summary>
    Acknowledge,

    /// <summary>退回.</summary>
    Return,

    /// <summary>进展反馈.</summary>
    Feedback,

    /// <summary>申请办结.</summary>
    Complete,

    /// <summary>办结审核.</summary>
    Verify,

    /// <summary>回访评价.</summary>
    Rate,

    /// <summary>销号.</summary>
    Close,

    /// <summary>转办.</summary>
    Transfer,

    /// <summary>重新办理.</summary>
    Reopen,

    /// <summary>延期: an approved extension moves a milestone and re-bases the later ones.</summary>
    Extend,

    /// <summary>上传附件: files added to the matter; the state does not change, the history records what and by whom.</summary>
    Attach,

    /// <summary>增加节点: a work item's plan gains a dated node.</summary>
    Plan,

    /// <summary>完成节点: a work item's node is met, with evidence.</summary>
    Meet,

    /// <summary>进度填报: a work item's progress report (percent, done, problems, next steps); meets the report due and
    /// schedules the next one.</summary>
    Progress,

    /// <summary>更改人员: the named people (责任领导、责任人、联络员、包案领导) changed; the state does not change, the history
    /// records who changed them and the new list (in the note).</summary>
    People,
}

/// <summary>A satisfaction rating from the follow-up call (回访).</summary>
public enum Satisfaction
{
    /// <summary>满意.</summary>
    Satisfied,

    /// <summary>基本满意.</summary>
    Basically,

    /// <summary>不满意: reopens the matter.</summary>
    Dissatisfied,
}

/// <summary>The roles a person or token can hold.</summary>
public enum Role
{
    /// <summary>系统管理员.</summary>
    Admin,

    /// <summary>领导: sees and acts for the subtree of their unit.</summary>
    Leader,

    /// <summary>督查室: assigns and supervises for the government their office serves.</summary>
    Supervisor,

    /// <summary>承办人员: the unit's staff.</summary>
    Handler,

    /// <summary>包联干部: a cadre paired with enterprises.</summary>
    Cadre,
}

/// <summary>The level of a unit in the tree.</summary>
public enum UnitLevel
{
    /// <summary>市.</summary>
    City,

    /// <summary>县（市、区）.</summary>
    County,

    /// <summary>乡镇（街道）.</summary>
    Township,

    /// <summary>村（社区）.</summary>
    Village,

    /// <summary>部门: a department of the government above it.</summary>
    Department,
}

/// <summary>The tabs of the work list (工作台), each a question a unit asks every morning.</summary>
public enum InboxTab
{
    /// <summary>待签收: assigned, not yet acknowledged.</summary>
    Unacknowledged,

    /// <summary>办理中: acknowledged, being worked on.</summary>
    InProgress,

    /// <summary>临期: a deadline's warning window is open and nothing is overdue yet.</summary>
    DueSoon,

    /// <summary>超期: an unmet deadline has passed while the clock runs.</summary>
    Overdue,

    /// <summary>待审核: completion reported, waiting for verification.</summary>
    Reported,

    /// <summary>已办结: verified, rated or closed.</summary>
    Done,

    /// <summary>已退回: refused by the lead unit, waiting for the assigner to route it again.</summary>
    Returned,

    /// <summary>全部: every matter the reader may see.</summary>
    All,
}
