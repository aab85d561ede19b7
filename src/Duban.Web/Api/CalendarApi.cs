using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

public static class CalendarApi
{
    public sealed record YearView(int Year, int Holidays, int MakeUpWorkdays, IReadOnlyList<string> Papers);

    public sealed record CalendarView(IReadOnlyList<YearView> Years, string Coverage);

    public static RouteGroupBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calendar").WithTags("Calendar").RequireAuthorization(ApiAuth.Policy);
        group.MapGet("/", (Rules rules) => TypedResults.Ok(Describe(rules.Calendar)))
            .WithSummary("已载入的节假日通知年份 / notice years loaded");
        group.MapGet("/{date}", Day).WithSummary("某日是否工作日 / one date");
        return group;
    }

    public static CalendarView Describe(WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var years = calendar.Notices.Select(n => new YearView(n.Year, n.Days.Count(d => d.IsOffDay), n.Days.Count(d => !d.IsOffDay), n.Papers)).ToList();
        return new CalendarView(years, years.Count == 0
            ? "无节假日数据，按周一至周五计算。"
            : $"{years[0].Year}–{years[^1].Year} 年按国务院通知计算；其他年份按周一至周五计算，并标注为「暂定」。");
    }

    private static Ok<DayInfo> Day(string date, Rules rules) =>
        Calendar.ChinaTime.TryParseDate(date, out var d)
            ? TypedResults.Ok(rules.Calendar.Describe(d))
            : throw ValidationFailedException.For("date", "日期格式为 yyyy-MM-dd。");
}
