using Duban.Matters;
using Duban.Reviews;

namespace Duban.Data;

/// <summary>What a person submits to create a weekly session.</summary>
/// <param name="Date">The meeting's date, <c>2024-03-04</c>.</param>
/// <param name="Meeting">会议名称.</param>
/// <param name="Note">备注 (optional).</param>
public sealed record NewWeeklySession(string? Date, string? Meeting, string? Note);

/// <summary>A session as lists show it; <see cref="Progress"/> covers the matters this reader may see in it.</summary>
public sealed record WeeklySessionSummary(long Id, int Year, int Number, DateOnly Date, string Meeting, string? Note,
    WeeklySessionStatus Status, DateTimeOffset? SentAt, SessionProgress Progress)
{
    /// <summary>第3次周交办.</summary>
    public string Title => WeeklySessions.TitleOf(Number);

    /// <summary>2024年第3次周交办.</summary>
    public string FullTitle => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Year}年{Title}");

    /// <summary>草稿 or 已下发.</summary>
    public string StatusName => WeeklySessions.StatusName(Status);
}

/// <summary>A matter of a session with its 四明确, as the session page and the 交办单 show it.</summary>
public sealed record WeeklyMatterView(long Id, string Code, string Title, string Content, string? Goal, string? Standard,
    MatterStatus Status, UnitRef Lead, IReadOnlyList<UnitRef> CoUnits, DateTimeOffset? CompleteDueAt, bool Overdue)
{
    public string StatusName => Labels.Of(Status);

    /// <summary>Whether the unit leads or co-handles this matter.</summary>
    public bool Involves(long unitId) => Lead.Id == unitId || CoUnits.Any(c => c.Id == unitId);
}

/// <summary>A lead unit's unfinished matters of the previous session.</summary>
public sealed record UnitUnfinished(UnitRef Unit, int Overdue, IReadOnlyList<WeeklyMatterView> Matters);

/// <summary>上次交办落实情况: the previous session's matters as they stand now.</summary>
public sealed record PreviousSessionReport(WeeklySessionSummary Session, IReadOnlyList<UnitUnfinished> Unfinished)
{
    public SessionProgress Progress => Session.Progress;
}

/// <summary>A session with its matters, the units that get a 交办单, and the report on the previous session.</summary>
/// <param name="Session">The header.</param>
/// <param name="Owner">The government whose session it is.</param>
/// <param name="CreatedByName">Who created it.</param>
/// <param name="CreatedAt">When (Beijing).</param>
/// <param name="SentByName">Who sent it, once sent.</param>
/// <param name="Matters">The matters this reader may see, by lead unit then code.</param>
/// <param name="Units">The units with a 交办单 this reader may open (lead and co-units), by name.</param>
/// <param name="CanManage">Whether the reader may add, remove and send.</param>
/// <param name="Previous">The report on the previous sent session, or null when this is the first.</param>
public sealed record WeeklySessionDetails(WeeklySessionSummary Session, UnitRef Owner, string CreatedByName, DateTimeOffset CreatedAt,
    string? SentByName, IReadOnlyList<WeeklyMatterView> Matters, IReadOnlyList<UnitRef> Units, bool CanManage, PreviousSessionReport? Previous);

/// <summary>交办单: one unit's matters of a session, with the 四明确 of each.</summary>
public sealed record WeeklySheet(WeeklySessionSummary Session, UnitRef Owner, UnitRef Unit, IReadOnlyList<WeeklyMatterView> Matters);

/// <summary>An open matter that may join a session, for the picker.</summary>
public sealed record WeeklyCandidate(long Id, string Code, string Title, MatterStatus Status, UnitRef Lead, DateTimeOffset? CompleteDueAt,
    bool Overdue, DateTimeOffset AssignedAt)
{
    public string StatusName => Labels.Of(Status);
}

/// <summary>A draft session for the "纳入周交办" pickers of the assign pages.</summary>
public sealed record WeeklyDraft(long Id, int Year, int Number, DateOnly Date, string Meeting)
{
    /// <summary>2024年第3次周交办（3月4日 市委市政府重点工作周例会）.</summary>
    public string Label => FormattableString.Invariant($"{Year}年{WeeklySessions.TitleOf(Number)}（{Date.Month}月{Date.Day}日 {Meeting}）");
}
