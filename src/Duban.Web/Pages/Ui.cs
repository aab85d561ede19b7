using System.Globalization;
using Duban.Matters;

namespace Duban.Web.Pages;

/// <summary>Small helpers shared by the pages: colours and dates as people read them.</summary>
public static class Ui
{
    /// <summary>A count of matters as a badge or total reads it: a count stopped at its cap reads 1万+ (at least ten
    /// thousand, <see cref="Data.MatterQueries.CountCap"/>).</summary>
    public static string Count(int count, bool atLeast = false) =>
        count >= Data.MatterQueries.CountCap ? "1万+"
        : count.ToString(CultureInfo.InvariantCulture) + (atLeast ? "+" : "");

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

    /// <summary>The work-list tabs in order, with their keys in links, labels and board colours. 已退回 holds what a unit
    /// sent back for the assigner to route again; 全部 everything the reader may see.</summary>
    public static IReadOnlyList<(InboxTab Tab, string Key, string Label, string Colour)> Tabs { get; } =
    [
        (InboxTab.Unacknowledged, "unacknowledged", Labels.Of(InboxTab.Unacknowledged), "tab-yellow"),
        (InboxTab.InProgress, "in-progress", Labels.Of(InboxTab.InProgress), ""),
        (InboxTab.DueSoon, "due-soon", Labels.Of(InboxTab.DueSoon), "tab-blue"),
        (InboxTab.Overdue, "overdue", Labels.Of(InboxTab.Overdue), "tab-red"),
        (InboxTab.Reported, "reported", Labels.Of(InboxTab.Reported), ""),
        (InboxTab.Returned, "returned", Labels.Of(InboxTab.Returned), "tab-yellow"),
        (InboxTab.Done, "done", Labels.Of(InboxTab.Done), ""),
        (InboxTab.All, "all", Labels.Of(InboxTab.All), ""),
    ];

    /// <summary>"剩 2 个工作日 3 小时" or "超期 1 个工作日", and its colour, for a matter's next deadline.</summary>
    public static (string Text, string Class)? Countdown(DateTimeOffset? due, DateTimeOffset now, Duban.Calendar.WorkingCalendar calendar)
    {
        if (due is not { } d)
        {
            return null;
        }

        var countdown = Duban.TimeLimits.Countdown.Between(now, d, calendar);
        return (countdown.Text, countdown.Overdue ? "count-overdue" : countdown.WorkingDays < 1 ? "count-soon" : "count-ok");
    }

    /// <summary>What the person typed into a plain form field, for a page answered with errors: it keeps their input
    /// (fields that are not bound to a model property have nothing else to keep it).</summary>
    public static string Posted(Microsoft.AspNetCore.Http.HttpRequest request, string field) =>
        request.HasFormContentType ? request.Form[field].ToString() : "";

    public static string When(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
