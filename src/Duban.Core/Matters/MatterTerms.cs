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

/// <summary>Chinese labels for the enums, shown in the UI and in messages.</summary>
public static class Labels
{
    /// <summary>The Chinese name of a status.</summary>
    public static string Of(MatterStatus status) => status switch
    {
        MatterStatus.Assigned => "待签收",
        MatterStatus.Returned => "已退回",
        MatterStatus.Acknowledged => "办理中",
        MatterStatus.Reported => "待审核",
        MatterStatus.Verified => "已审核",
        MatterStatus.Rated => "已回访",
        MatterStatus.Closed => "已销号",
    };

    /// <summary>The Chinese name of an action.</summary>
    public static string Of(MatterAction action) => action switch
    {
        MatterAction.Assign => "交办",
        MatterAction.Acknowledge => "签收",
        MatterAction.Return => "退回",
        MatterAction.Feedback => "进展反馈",
        MatterAction.Complete => "申请办结",
        MatterAction.Verify => "办结审核",
        MatterAction.Rate => "回访评价",
        MatterAction.Close => "销号",
        MatterAction.Transfer => "转办",
        MatterAction.Reopen => "重新办理",
        MatterAction.Extend => "批准延期",
        MatterAction.Attach => "上传附件",
    };

    /// <summary>The Chinese name of a kind.</summary>
    public static string Of(MatterKind kind) => kind switch
    {
        MatterKind.Assignment => "交办事项",
        MatterKind.Appeal => "诉求",
        MatterKind.Petition => "信访",
    };

    /// <summary>The Chinese name of a source.</summary>
    public static string Of(MatterSource source) => source switch
    {
        MatterSource.Meeting => "会议",
        MatterSource.Instruction => "领导批示",
        MatterSource.Web => "网上",
        MatterSource.Hotline => "热线",
        MatterSource.Offline => "线下",
        MatterSource.Import => "导入",
        MatterSource.Visit => "包联走访",
    };

    /// <summary>The Chinese name of a stage.</summary>
    public static string Of(TimeLimits.Stage stage) => stage switch
    {
        TimeLimits.Stage.Acknowledge => "签收",
        TimeLimits.Stage.Feedback => "首次反馈",
        TimeLimits.Stage.Complete => "办结",
    };

    /// <summary>The Chinese name of a milestone status.</summary>
    public static string Of(MilestoneStatus status) => status switch
    {
        MilestoneStatus.Pending => "未到期",
        MilestoneStatus.DueSoon => "临期",
        MilestoneStatus.Overdue => "超期",
        MilestoneStatus.MetOnTime => "按时完成",
        MilestoneStatus.MetLate => "超期完成",
        MilestoneStatus.MetWithinExtension => "延期内完成",
        MilestoneStatus.Suspended => "已暂停",
    };

    /// <summary>The Chinese name of an escalation rung, as shown on a matter.</summary>
    public static string Of(Escalation.EscalationKind kind) => kind switch
    {
        Escalation.EscalationKind.Warning => "临期预警",
        Escalation.EscalationKind.Urge => "已催办",
        Escalation.EscalationKind.Supervise => "已督办",
        Escalation.EscalationKind.Accountability => "已列入问责",
    };

    /// <summary>Who hears of an escalation rung, in Chinese.</summary>
    public static string Of(Escalation.Recipient recipient) => recipient switch
    {
        Escalation.Recipient.HandlingUnit => "承办单位",
        Escalation.Recipient.UnitHead => "单位负责人",
        Escalation.Recipient.SupervisingUnit => "督查室（交办单位）",
    };

    /// <summary>The Chinese name of a role.</summary>
    public static string Of(Role role) => role switch
    {
        Role.Admin => "系统管理员",
        Role.Leader => "领导",
        Role.Supervisor => "督查室",
        Role.Handler => "承办人员",
        Role.Cadre => "包联干部",
    };

    /// <summary>The Chinese name of a rating.</summary>
    public static string Of(Satisfaction satisfaction) => satisfaction switch
    {
        Satisfaction.Satisfied => "满意",
        Satisfaction.Basically => "基本满意",
        Satisfaction.Dissatisfied => "不满意",
    };
}
