using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Escalation;

/// <summary>The Chinese wording of escalation notices: matter code, stage, due instant and what happens next.</summary>
public static class NoticeText
{
    /// <summary>The title and body of a notice for one rung.</summary>
    public static (string Title, string Body) For(EscalationKind kind, string code, string title, Stage stage, DateTimeOffset due, int workingDaysOverdue) =>
        For(kind, code, title, Labels.Of(stage), due, workingDaysOverdue);

    /// <summary>The title and body of a notice for one rung of a named milestone (a work item's node 开工, 第3期进度填报).</summary>
    public static (string Title, string Body) For(EscalationKind kind, string code, string title, string stageName, DateTimeOffset due, int workingDaysOverdue)
    {
        var when = Deadline(due);
        return kind switch
        {
            EscalationKind.Warning => ($"【临期预警】{code} {stageName}即将到期",
                $"事项「{title}」（{code}）的{stageName}期限为 {when}，请抓紧办理。"),
            EscalationKind.Urge => ($"【催办】{code} {stageName}已到期",
                $"事项「{title}」（{code}）的{stageName}期限 {when} 已到，请单位负责人督促立即办理。"),
            EscalationKind.Supervise => ($"【督办】{code} {stageName}超期",
                $"事项「{title}」（{code}）的{stageName}已超期 {workingDaysOverdue.ToString(CultureInfo.InvariantCulture)} 个工作日（期限 {when}），督查室已督办。"),
            EscalationKind.Accountability => ($"【问责】{code} {stageName}严重超期",
                $"事项「{title}」（{code}）的{stageName}已超期 {workingDaysOverdue.ToString(CultureInfo.InvariantCulture)} 个工作日（期限 {when}），已列入问责清单，作为通报候选。"),
        };
    }

    /// <summary>A deadline as people say it: 24:00 of the last day rather than 00:00 of the next.</summary>
    /// <param name="due">The due instant.</param>
    /// <param name="withYear">Whether to write the year (notices) or leave it out (tables on a page).</param>
    public static string Deadline(DateTimeOffset due, bool withYear = true)
    {
        var local = ChinaTime.ToLocal(due);
        var day = withYear ? "yyyy年M月d日" : "M月d日";
        return local.TimeOfDay == TimeSpan.Zero
            ? local.AddDays(-1).ToString(day + " 24:00", CultureInfo.InvariantCulture)
            : local.ToString(day + " HH:mm", CultureInfo.InvariantCulture);
    }
}
