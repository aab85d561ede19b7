using System.CommandLine;
using Duban.Calendar;
using Duban.Data;
using Duban.TimeLimits;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban calendar add|is-workday|years|add-year</c>: the working-day calendar (工作日历).</summary>
internal sealed class CalendarCommand(CliContext cli)
{
    private readonly Argument<string> _start = new("start") { Description = "开始时间（北京时间）" };
    private readonly Argument<int> _count = new("count") { Description = "期限数量" };
    private readonly Option<string> _unit = new("--unit") { Description = "wd=工作日, d=自然日, h=小时", DefaultValueFactory = _ => "wd" };
    private readonly Argument<string> _date = new("date") { Description = "日期" };
    private readonly Argument<FileInfo> _file = new("file") { Description = "国务院节假日通知 JSON（holiday-cn 格式）" };

    public Command Create()
    {
        var add = new Command("add", "计算期限届满时间（开始当日不计入）") { _start, _count, _unit };
        add.SetAction(AddAsync);
        var isWorkday = new Command("is-workday", "是否工作日") { _date };
        isWorkday.SetAction(IsWorkdayAsync);
        var years = new Command("years", "已载入的节假日通知年份");
        years.SetAction(YearsAsync);
        var addYear = new Command("add-year", "加入一年的节假日通知（存入数据库，所有实例共用）") { _file };
        addYear.SetAction(AddYearAsync);
        return new Command("calendar", "工作日历") { add, isWorkday, years, addYear };
    }

    private async Task<int> AddAsync(ParseResult result, CancellationToken ct)
    {
        var calendar = await LoadCalendarAsync(result, ct);
        if (!ChinaTime.TryParseInstant(result.GetValue(_start)!, out var from))
        {
            throw new FormatException($"无法识别的时间：{result.GetValue(_start)}");
        }

        if (!TimeLimit.TryParse($"{result.GetValue(_count)}{result.GetValue(_unit)}", out var limit))
        {
            throw new FormatException($"期限必须是 1–{TimeLimit.MaxAmount} 的整数，单位 wd|d|h");
        }

        var due = limit.DueFrom(from, calendar);
        await cli.Output.WriteLineAsync(CliContext.Iso(due.DueAt));
        await WarnIfProvisionalAsync(due.IsProvisional);
        return 0;
    }

    private async Task<int> IsWorkdayAsync(ParseResult result, CancellationToken ct)
    {
        var calendar = await LoadCalendarAsync(result, ct);
        if (!ChinaTime.TryParseDate(result.GetValue(_date), out var d))
        {
            throw new FormatException($"日期格式应为 yyyy-MM-dd（如 2024-02-18）：{result.GetValue(_date)}");
        }

        var info = calendar.Describe(d);
        await cli.Output.WriteLineAsync(info.IsWorkingDay ? "工作日" : "休息日");
        await WarnIfProvisionalAsync(!info.IsCertain);
        return 0;
    }

    private async Task<int> YearsAsync(ParseResult result, CancellationToken ct)
    {
        var calendar = await LoadCalendarAsync(result, ct);
        foreach (var notice in calendar.Notices)
        {
            await cli.Output.WriteLineAsync(FormattableString.Invariant(
                $"{notice.Year}\t放假 {notice.Days.Count(d => d.IsOffDay)} 天\t调休上班 {notice.Days.Count(d => !d.IsOffDay)} 天"));
        }

        await cli.Output.WriteLineAsync("其他年份按周一至周五计算并标注暂定");
        return 0;
    }

    private async Task<int> AddYearAsync(ParseResult result, CancellationToken ct)
    {
        var json = await File.ReadAllTextAsync(result.GetValue(_file)!.FullName, ct);
        HolidayNotice.Parse(json); // a bad file is reported before the database is opened
        await using var scope = await cli.OpenAsync(result, ct);
        var notice = await scope.ServiceProvider.GetRequiredService<Rules>().SaveCalendarYearAsync(
            scope.ServiceProvider.GetRequiredService<DubanDbContext>(), json, cli.Clock.GetUtcNow(), ct);
        await cli.Output.WriteLineAsync(FormattableString.Invariant(
            $"{notice.Year}: 放假 {notice.Days.Count(d => d.IsOffDay)} 天，调休上班 {notice.Days.Count(d => !d.IsOffDay)} 天，已保存。运行中的实例重启后生效"));
        return 0;
    }

    private async Task WarnIfProvisionalAsync(bool provisional)
    {
        if (provisional)
        {
            await cli.Error.WriteLineAsync("注意：涉及尚无国务院节假日通知的年份，暂按周一至周五计算");
        }
    }

    /// <summary>The shipped calendar, plus years added to the database when there is one (a calendar question
    /// never creates a database).</summary>
    private async Task<WorkingCalendar> LoadCalendarAsync(ParseResult result, CancellationToken ct)
    {
        var options = DatabaseOptions.From(CliContext.Configuration(result));
        if (options.SqliteFile is { } file && !File.Exists(file))
        {
            return WorkingCalendar.China;
        }

        await using var scope = await cli.OpenAsync(result, ct);
        return scope.ServiceProvider.GetRequiredService<Rules>().Calendar;
    }
}
