using System.Globalization;
using Duban.Matters;

namespace Duban.Web.Pages;

/// <summary>Small helpers shared by the pages: colours and dates as people read them.</summary>
public static class Ui
{
    /// <summary>Blue for due soon, red for overdue, green for met on time, as on a 13710 board.</summary>
    public static string PillClass(MilestoneStatus status) => status switch
    {
        MilestoneStatus.Pending => "pill-pending",
        MilestoneStatus.DueSoon => "pill-soon",
        MilestoneStatus.Overdue => "pill-overdue",
        MilestoneStatus.MetOnTime => "pill-ok",
        MilestoneStatus.MetLate => "pill-late",
        MilestoneStatus.MetWithinExtension => "pill-late",
        MilestoneStatus.Suspended => "pill-pending",
    };

    /// <summary>The 13710 board colours: blue warning, yellow 催办, red 督办 and 问责.</summary>
    public static string EscalationClass(Duban.Escalation.EscalationKind kind) => kind switch
    {
        Duban.Escalation.EscalationKind.Warning => "alert-blue",
        Duban.Escalation.EscalationKind.Urge => "alert-yellow",
        Duban.Escalation.EscalationKind.Supervise => "alert-red",
        Duban.Escalation.EscalationKind.Accountability => "alert-red",
    };

    /// <summary>A deadline at 24:00 reads as that day's 24:00, not the next day's 00:00.</summary>
    public static string Due(DateTimeOffset due) => Duban.Escalation.NoticeText.Deadline(due, withYear: false);

    public static string When(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
