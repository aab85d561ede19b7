namespace Duban.Matters;

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
        MatterAction.Plan => "增加节点",
        MatterAction.Meet => "完成节点",
        MatterAction.Progress => "进度填报",
        MatterAction.People => "更改人员",
    };

    /// <summary>The Chinese name of a kind.</summary>
    public static string Of(MatterKind kind) => kind switch
    {
        MatterKind.Assignment => "交办事项",
        MatterKind.Appeal => "诉求",
        MatterKind.Petition => "信访",
        MatterKind.Item => "工作事项",
    };

    /// <summary>The Chinese name of a work item's register.</summary>
    public static string Of(Items.ItemRegister register) => register switch
    {
        Items.ItemRegister.KeyWork => "重点工作",
        Items.ItemRegister.Project => "重大项目",
        Items.ItemRegister.Reform => "改革事项",
        Items.ItemRegister.Meeting => "会议议定事项",
    };

    /// <summary>The Chinese name of a colour.</summary>
    public static string Of(Items.Colour colour) => colour switch
    {
        Items.Colour.Green => "绿",
        Items.Colour.Yellow => "黄",
        Items.Colour.Red => "红",
    };

    /// <summary>A milestone as people name it: the stage (签收), the node's own name (开工) or 第3期进度填报.</summary>
    public static string Of(Milestone milestone)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        return milestone.Stage switch
        {
            TimeLimits.Stage.Node when milestone.Name is { } name => name,
            TimeLimits.Stage.Report => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"第{milestone.Node}期进度填报"),
            _ => Of(milestone.Stage),
        };
    }

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
        TimeLimits.Stage.Node => "时间节点",
        TimeLimits.Stage.Report => "进度填报",
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

    /// <summary>The Chinese name of a unit level.</summary>
    public static string Of(UnitLevel level) => level switch
    {
        UnitLevel.City => "市",
        UnitLevel.County => "县（区）",
        UnitLevel.Township => "乡镇（街道）",
        UnitLevel.Village => "村（社区）",
        UnitLevel.Department => "部门",
    };

    /// <summary>The Chinese name of a work-list tab.</summary>
    public static string Of(InboxTab tab) => tab switch
    {
        InboxTab.Unacknowledged => "待签收",
        InboxTab.InProgress => "办理中",
        InboxTab.DueSoon => "临期",
        InboxTab.Overdue => "超期",
        InboxTab.Reported => "待审核",
        InboxTab.Done => "已办结",
        InboxTab.Returned => "已退回",
        InboxTab.All => "全部",
    };

    /// <summary>一般督办 / 重点督办 / 挂牌督办 (a matter under no level is shown as 一般督办 once supervised).</summary>
    public static string Of(Escalation.SupervisionLevel level) => level switch
    {
        Escalation.SupervisionLevel.None or Escalation.SupervisionLevel.General => "一般督办",
        Escalation.SupervisionLevel.Key => "重点督办",
        Escalation.SupervisionLevel.Listed => "挂牌督办",
    };

    /// <summary>Why a unit is on the accountability list, in Chinese.</summary>
    public static string Of(Escalation.AccountabilityReason reason) => reason switch
    {
        Escalation.AccountabilityReason.AcknowledgeOverdue => "签收超期",
        Escalation.AccountabilityReason.FeedbackOverdue => "反馈超期",
        Escalation.AccountabilityReason.CompletionOverdue => "办结超期",
        Escalation.AccountabilityReason.DissatisfiedTwice => "两次不满意",
        Escalation.AccountabilityReason.ReopenedAfterClosing => "销号后重新办理",
        Escalation.AccountabilityReason.Manual => "人工列入",
        Escalation.AccountabilityReason.NodeOverdue => "节点超期",
        Escalation.AccountabilityReason.ReportOverdue => "进度填报超期",
    };

    /// <summary>Where an accountability entry stands, in Chinese.</summary>
    public static string Of(Escalation.AccountabilityStatus status) => status switch
    {
        Escalation.AccountabilityStatus.Pending => "待处理",
        Escalation.AccountabilityStatus.Interviewed => "已约谈",
        Escalation.AccountabilityStatus.Notified => "已通报",
        Escalation.AccountabilityStatus.Held => "已问责",
        Escalation.AccountabilityStatus.Withdrawn => "撤销",
    };

    /// <summary>The stage a citizen sees on the tracking page: coarser than the staff's status.</summary>
    public static string ForPublic(MatterStatus status) => status switch
    {
        MatterStatus.Assigned or MatterStatus.Returned => "已受理，待办理",
        MatterStatus.Acknowledged => "办理中",
        MatterStatus.Reported => "办理中（结果审核中）",
        MatterStatus.Verified => "已办结，待评价",
        MatterStatus.Rated => "已评价",
        MatterStatus.Closed => "已办结",
    };
}
