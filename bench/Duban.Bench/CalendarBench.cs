using System.Diagnostics;
using Duban.Calendar;
using Duban.TimeLimits;

namespace Duban.Bench;

/// <summary>
/// The working-day clock on one thread: 7 working days from a start instant, and the full 13710 schedule (three
/// stages with their due-soon windows). Start instants are uniform over 2007-01-01..2026-12-31 in Shanghai time,
/// drawn from a fixed seed before timing starts.
/// </summary>
internal static class CalendarBench
{
    private const int Seed = 20070101;
    private const int Starts = 1 << 16;

    /// <summary>Keeps the JIT from dropping the measured work.</summary>
    private static long _sink;

    public static void Run(BenchOptions options, Report report)
    {
        var calendar = WorkingCalendar.China;
        var starts = RandomStarts();
        var sevenWorkingDays = TimeLimit.WorkingDays(7);
        var profile = TimeLimitProfile.Standard13710;

        Measure(report, "due_7wd", options.CalendarTime, starts,
            start => sevenWorkingDays.DueFrom(start, calendar).DueAt.UtcTicks);
        Measure(report, "schedule_13710", options.CalendarTime, starts,
            start => profile.Schedule(start, complex: false, calendar)[2].DueAt.UtcTicks);
    }

    private static DateTimeOffset[] RandomStarts()
    {
        var random = new Random(Seed);
        var from = ChinaTime.StartOf(new DateOnly(2007, 1, 1)).UtcTicks;
        var to = ChinaTime.EndOf(new DateOnly(2026, 12, 31)).UtcTicks;
        var starts = new DateTimeOffset[Starts];
        for (var i = 0; i < starts.Length; i++)
        {
            // Whole seconds, in Shanghai time as the product passes them.
            var ticks = from + (random.NextInt64(to - from) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
            starts[i] = ChinaTime.ToLocal(new DateTimeOffset(ticks, TimeSpan.Zero));
        }

        return starts;
    }

    private static void Measure(Report report, string name, TimeSpan duration, DateTimeOffset[] starts, Func<DateTimeOffset, long> operation)
    {
        // Warm-up: a tenth of the time, so tiered JIT has settled before timing.
        Loop(duration / 10, starts, operation);
        var (ops, elapsed) = Loop(duration, starts, operation);
        report.Add(new Measurement("calendar", "none", null, name,
        [
            ("ops_per_s", ops / elapsed.TotalSeconds),
            ("us_per_op", elapsed.TotalMicroseconds / ops),
            ("ops", ops),
        ]));
    }

    private static (long Ops, TimeSpan Elapsed) Loop(TimeSpan duration, DateTimeOffset[] starts, Func<DateTimeOffset, long> operation)
    {
        var stopwatch = Stopwatch.StartNew();
        long ops = 0, sink = 0;
        var i = 0;
        do
        {
            // Check the clock every 1024 operations only.
            for (var k = 0; k < 1024; k++)
            {
                sink ^= operation(starts[i]);
                i = (i + 1) & (Starts - 1);
            }

            ops += 1024;
        }
        while (stopwatch.Elapsed < duration);

        var elapsed = stopwatch.Elapsed;
        _sink ^= sink;
        return (ops, elapsed);
    }

    /// <summary>Read once at the end so the sink is observable.</summary>
    public static long Sink => _sink;
}
