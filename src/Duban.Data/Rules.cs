using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>
/// The rules in force: the working calendar (shipped notices plus years added to this database), the
/// time-limit profiles (defaults plus <c>TimeLimits:Profiles</c> from configuration) and lifecycle settings.
/// One per process; <see cref="ReloadCalendarAsync"/> picks up a newly added year.
/// </summary>
public sealed class Rules
{
    private volatile WorkingCalendar _calendar = WorkingCalendar.China;

    public Rules(IReadOnlyList<TimeLimitProfile> profiles, LifecycleOptions lifecycleOptions, EscalationPolicy? escalation = null,
        LookBackPolicy? lookBack = null)
    {
        LookBack = lookBack ?? LookBackPolicy.Default;
        Profiles = profiles;
        LifecycleOptions = lifecycleOptions;
        Escalation = escalation ?? EscalationPolicy.Default;
    }

    public IReadOnlyList<TimeLimitProfile> Profiles { get; }

    /// <summary>Which closed matters are re-checked (回头看), and when.</summary>
    public LookBackPolicy LookBack { get; }

    /// <summary>The escalation chains and working hours for notices.</summary>
    public EscalationPolicy Escalation { get; }
    public LifecycleOptions LifecycleOptions { get; }
    public WorkingCalendar Calendar => _calendar;

    /// <summary>The lifecycle over the current calendar.</summary>
    public MatterLifecycle Lifecycle() => new(_calendar, Profiles, LifecycleOptions);

    /// <summary>Rebuilds the calendar from the shipped notices and those stored in the database.</summary>
    public async Task ReloadCalendarAsync(DubanDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stored = await db.CalendarYears.AsNoTracking().OrderBy(y => y.Year).ToListAsync(cancellationToken);
        _calendar = WorkingCalendar.China.With(stored.Select(y => HolidayNotice.Parse(y.NoticeJson)));
    }

    /// <summary>Stores a year's holiday notice (replacing that year's) and rebuilds this instance's calendar; other
    /// running instances pick it up on restart. The CLI's <c>calendar add-year</c> and the admin page both call this.</summary>
    /// <exception cref="FormatException">The text is not a valid notice.</exception>
    public async Task<HolidayNotice> SaveCalendarYearAsync(DubanDbContext db, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var notice = HolidayNotice.Parse(json);
        var existing = await db.CalendarYears.FindAsync([notice.Year], cancellationToken);
        if (existing is null)
        {
            db.CalendarYears.Add(new CalendarYear { Year = notice.Year, NoticeJson = notice.ToJson(), AddedAt = now });
        }
        else
        {
            existing.NoticeJson = notice.ToJson();
            existing.AddedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await ReloadCalendarAsync(db, cancellationToken);
        return notice;
    }

    /// <summary>
    /// Reads the rules from configuration. A malformed value stops start-up with a message naming its key.
    /// <code>
    /// "TimeLimits": { "RatingWindow": "5wd", "Profiles": { "13710": { "DisplayName": "…",
    ///   "Stages": { "acknowledge": { "Limit": "1wd", "DueSoon": "4h" }, "feedback": {…}, "complete": { "Limit": "7wd", "ComplexLimit": "10wd" } } } } }
    /// </code>
    /// </summary>
    public static Rules FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var profiles = TimeLimitProfile.Shipped.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var section = configuration.GetSection("TimeLimits");
        foreach (var profile in section.GetSection("Profiles").GetChildren())
        {
            var stages = profile.GetSection("Stages").GetChildren().ToDictionary(
                s => s.Key,
                s => (s["Limit"], s["ComplexLimit"], s["DueSoon"]),
                StringComparer.OrdinalIgnoreCase);
            profiles[profile.Key] = TimeLimitProfile.FromSettings(profile.Key, profile["DisplayName"], stages, $"TimeLimits:Profiles:{profile.Key}:Stages");
        }

        var options = new LifecycleOptions();
        if (section["RatingWindow"] is { } window)
        {
            options = options with
            {
                RatingWindow = TimeLimit.TryParse(window, out var limit)
                    ? limit
                    : throw new FormatException($"TimeLimits:RatingWindow: \"{window}\" 不是有效时限（如 5wd）"),
            };
        }

        if (section["ExtensionNoticeWorkingDays"] is { } notice)
        {
            options = options with
            {
                ExtensionNoticeWorkingDays = int.TryParse(notice, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days <= 30
                    ? days
                    : throw new FormatException($"TimeLimits:ExtensionNoticeWorkingDays: \"{notice}\" 应为 0–30 的整数"),
            };
        }

        options = options with { Items = ItemOptionsFrom(configuration.GetSection("Items")) };
        var lookBack = new Dictionary<MatterKind, LookBackRule>(LookBackPolicy.Default.Rules);
        foreach (var kind in Enum.GetValues<MatterKind>())
        {
            var key = $"LookBack:{WireEnum.Name(kind)}";
            if (configuration[key] is { } text)
            {
                lookBack[kind] = LookBackPolicy.TryParseRule(text, out var rule)
                    ? rule
                    : throw new FormatException($"{key}: \"{text}\" 应为「天数d/比例%」，如 30d/20% / must look like 30d/20%");
            }
        }

        return new Rules(profiles.Values.ToList(), options, EscalationOptions.FromConfiguration(configuration).Policy,
            new LookBackPolicy(lookBack));
    }

    /// <summary>
    /// Work items' settings: <c>"Items": { "Tolerance": 10, "NodeDueSoon": "3wd", "ReportDueSoon": "1wd" }</c> — the points
    /// reported progress may lag the expected progress before an item turns yellow, and the due-soon windows.
    /// </summary>
    private static Items.ItemOptions ItemOptionsFrom(IConfigurationSection section)
    {
        var options = new Items.ItemOptions();
        if (section["Tolerance"] is { } tolerance)
        {
            options = options with
            {
                Tolerance = int.TryParse(tolerance, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var points) && points <= 100
                    ? points
                    : throw new FormatException($"Items:Tolerance: \"{tolerance}\" 应为 0–100 的整数"),
            };
        }

        TimeLimit Window(string key, TimeLimit fallback) => section[key] is not { } text ? fallback
            : TimeLimit.TryParse(text, out var limit) ? limit
            : throw new FormatException($"Items:{key}: \"{text}\" 不是有效时限（如 3wd）");
        return options with
        {
            NodeDueSoon = Window("NodeDueSoon", options.NodeDueSoon),
            ReportDueSoon = Window("ReportDueSoon", options.ReportDueSoon),
        };
    }
}
