using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Reviews;
using Duban.Tabular;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Duban.Tests.Reviews;

/// <summary>
/// The 2,816 real replied appeals of 泰迪杯 2020 (留言时间 → 答复时间), imported as historical closed appeals: the reviews
/// show their real 13710 on-time rates on the working-day calendar, and they equal figures worked out here straight from
/// the CSV — without the counters, the ledger or SQL: a deadline is the Nth working day after the day received (1 to
/// acknowledge, 7 to complete), met when the reply came on or before it.
/// </summary>
public sealed class RealDataReviewTests(ITestOutputHelper output)
{
    private sealed record Reply(DateTimeOffset Received, DateTimeOffset Replied);

    private static List<Reply> ReadReplies()
    {
        using var reader = new StreamReader(Import.AppealImportTests.TaidiReplies());
        var records = Csv.Read(reader).ToList();
        var header = records[0].Fields;
        int received = Csv.Column(header, "留言时间"), replied = Csv.Column(header, "答复时间");
        var china = TimeSpan.FromHours(8);
        DateTimeOffset At(string text) => new(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), china);
        return records.Skip(1).Select(r => new Reply(At(r.Fields[received]), At(r.Fields[replied]))).ToList();
    }

    /// <summary>The Nth working day after the date (the date itself never counts).</summary>
    private static DateOnly NthWorkingDayAfter(DateOnly date, int n)
    {
        var day = date;
        for (var counted = 0; counted < n;)
        {
            day = day.AddDays(1);
            if (WorkingCalendar.China.IsWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    private static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(at.DateTime);

    /// <summary>(on time, decided, working days used) of the stage filed in [from, to], from the CSV alone.</summary>
    private static (int OnTime, int Decided, long WorkingDays) Independent(List<Reply> replies, int limit, DateOnly from, DateOnly to)
    {
        int onTime = 0, decided = 0;
        long days = 0;
        foreach (var reply in replies)
        {
            var due = NthWorkingDayAfter(DateOf(reply.Received), limit);
            if (due < from || due > to)
            {
                continue;
            }

            decided++;
            if (DateOf(reply.Replied) <= due)
            {
                onTime++;
            }

            for (var d = DateOf(reply.Received).AddDays(1); d <= DateOf(reply.Replied); d = d.AddDays(1))
            {
                days += WorkingCalendar.China.IsWorkingDay(d) ? 1 : 0;
            }
        }

        return (onTime, decided, days);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Taidi2020Replies_MonthlyAndYearlyOnTimeRates_MatchTheCsv(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00");
        var file = await File.ReadAllBytesAsync(Import.AppealImportTests.TaidiReplies());
        var report = await s.RunAsync(sp =>
        {
            var sheet = Spreadsheet.Open(new MemoryStream(file), "replies.csv");
            return sp.GetRequiredService<AppealImport>().RunAsync(sheet, ColumnMapping.Guess(sheet.Header, null),
                new AppealImportOptions(Historical: true), s.Org.Supervisor);
        });
        Assert.Equal(2816, report.Saved);
        var replies = ReadReplies();
        var today = ChinaTime.DateOf(s.Clock.GetUtcNow());

        // The busiest months of the data, a quiet one, and a whole year.
        foreach (var key in new[] { "2019-01", "2019-04", "2018-12", "2017-07", "2019" })
        {
            var period = ReviewPeriod.Parse(key, today);
            var review = await s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(period, null, s.Org.Supervisor));
            var totals = review.Totals!;
            var acknowledge = Independent(replies, 1, period.From, period.To);
            var complete = Independent(replies, 7, period.From, period.To);
            Assert.True(complete.Decided > 0, $"{key}: no appeal fell due");
            output.WriteLine($"{period.Label}: 应办结 {complete.Decided}, 按时签收率 {Metrics.Format(Metric.OnTimeAcknowledgeRate, totals.Value(Metric.OnTimeAcknowledgeRate))}, "
                + $"按时办结率 {Metrics.Format(Metric.OnTimeCompleteRate, totals.Value(Metric.OnTimeCompleteRate))}, 平均办结用时 {totals.Value(Metric.AverageWorkingDays)} 个工作日");

            Assert.Equal(acknowledge.Decided, totals.Decided(TimeLimits.Stage.Acknowledge));
            Assert.Equal((double)acknowledge.OnTime / acknowledge.Decided, totals.Value(Metric.OnTimeAcknowledgeRate));
            Assert.Equal(complete.Decided, totals.Decided(TimeLimits.Stage.Complete));
            Assert.Equal((double)complete.OnTime / complete.Decided, totals.Value(Metric.OnTimeCompleteRate));
            Assert.Equal(complete.Decided - complete.OnTime, totals.Value(Metric.Overdue));
            Assert.Equal(Math.Round((double)complete.WorkingDays / complete.Decided, 1), totals.Value(Metric.AverageWorkingDays));
            Assert.Equal(1.0, totals.Value(Metric.ResolutionRate)); // every imported appeal was closed as resolved
        }
    }
}
