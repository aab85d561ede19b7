using System.Globalization;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data;

/// <summary>
/// The outbox hook: whenever a <see cref="Notice"/> is saved through the change tracker, by anyone, the same
/// SaveChanges (and so the same transaction) adds its deliveries (<see cref="NoticeRecipients"/>). A notice therefore
/// cannot be saved without its deliveries, nor its deliveries without it. The deadline sweep writes its notices
/// set-based, past this hook, and adds their deliveries with the same <see cref="NoticeRecipients"/> in its own transaction.
/// </summary>
public sealed class NoticeOutbox(NotificationOptions options) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db && NewNotices(db) is { Count: > 0 } notices)
        {
            var recipients = NoticeRecipients.Load(db, options, notices.Select(n => n.UnitId));
            db.Deliveries.AddRange(notices.SelectMany(recipients.DeliveriesFor));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db && NewNotices(db) is { Count: > 0 } notices)
        {
            var recipients = await NoticeRecipients.LoadAsync(db, options, notices.Select(n => n.UnitId), cancellationToken);
            db.Deliveries.AddRange(notices.SelectMany(recipients.DeliveriesFor));
        }

        return result;
    }

    /// <summary>Notices being added that have no delivery yet (a SaveChanges retried after a failure adds none twice).</summary>
    private static List<Notice> NewNotices(DubanDbContext db)
    {
        var notices = db.ChangeTracker.Entries<Notice>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (notices.Count == 0)
        {
            return notices;
        }

        var queued = db.ChangeTracker.Entries<Delivery>().Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity.Notice).OfType<Notice>().ToHashSet(ReferenceEqualityComparer.Instance);
        return notices.Where(n => !queued.Contains(n)).ToList();
    }
}

/// <summary>
/// The one place deliveries are decided: for a notice, one <see cref="Delivery"/> per active webhook whose unit filter
/// covers the notice's unit and, when email is enabled, one per address in that unit (only leaders for
/// <see cref="Audience.Heads"/>). The first attempt is due at the notice's DeliverAfter, so working-hours rules apply
/// to email and webhooks as to the inbox. Loaded once for the units of a batch of notices.
/// </summary>
public sealed class NoticeRecipients
{
    private static readonly string LeaderRole = WireEnum.Name(Role.Leader);

    private readonly List<Hook> _hooks;
    private readonly Dictionary<long, string> _unitPaths;
    private readonly ILookup<long, Person> _people;

    private NoticeRecipients(List<Hook> hooks, Dictionary<long, string> unitPaths, List<Person> people)
    {
        _hooks = hooks;
        _unitPaths = unitPaths;
        _people = people.ToLookup(p => p.UnitId);
    }

    public static NoticeRecipients Load(DubanDbContext db, NotificationOptions options, IEnumerable<long> unitIds)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        var units = unitIds.Distinct().ToList();
        var hooks = Hooks(db).ToList();
        var paths = hooks.Any(h => h.UnitPath is not null) ? UnitPaths(db, units).ToDictionary(u => u.Id, u => u.Path) : [];
        var people = options.Email.Enabled ? People(db, units).ToList() : [];
        return new NoticeRecipients(hooks, paths, people);
    }

    public static async Task<NoticeRecipients> LoadAsync(DubanDbContext db, NotificationOptions options, IEnumerable<long> unitIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        var units = unitIds.Distinct().ToList();
        var hooks = await Hooks(db).ToListAsync(cancellationToken);
        var paths = hooks.Any(h => h.UnitPath is not null)
            ? await UnitPaths(db, units).ToDictionaryAsync(u => u.Id, u => u.Path, cancellationToken)
            : [];
        var people = options.Email.Enabled ? await People(db, units).ToListAsync(cancellationToken) : [];
        return new NoticeRecipients(hooks, paths, people);
    }

    /// <summary>The notice's deliveries, linked to it by navigation and, when it already has an id, by key.</summary>
    public IEnumerable<Delivery> DeliveriesFor(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var targets = _hooks
            .Where(h => h.UnitPath is null || (_unitPaths.TryGetValue(notice.UnitId, out var path) && path.StartsWith(h.UnitPath, StringComparison.Ordinal)))
            .Select(h => (Channel: DeliveryChannel.Webhook, Target: h.Id.ToString(CultureInfo.InvariantCulture)))
            .Concat(_people[notice.UnitId]
                .Where(p => notice.Audience == Audience.Unit || p.IsLeader)
                .Select(p => p.Email.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(address => (Channel: DeliveryChannel.Email, Target: address)));
        return targets.Select(t => new Delivery
        {
            Notice = notice,
            NoticeId = notice.Id,
            Channel = t.Channel,
            Target = t.Target,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = notice.DeliverAfter,
            CreatedAt = notice.CreatedAt,
        });
    }

    private static IQueryable<Hook> Hooks(DubanDbContext db) =>
        db.Webhooks.AsNoTracking().Where(w => w.Active).OrderBy(w => w.Id).Select(w => new Hook(w.Id, w.Unit == null ? null : w.Unit.Path));

    private static IQueryable<UnitPath> UnitPaths(DubanDbContext db, List<long> unitIds) =>
        db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => new UnitPath(u.Id, u.Path));

    private static IQueryable<Person> People(DubanDbContext db, List<long> unitIds) =>
        db.Users.AsNoTracking()
            .Where(u => unitIds.Contains(u.UnitId) && u.Email != null && u.Email != "")
            .OrderBy(u => u.Id)
            .Select(u => new Person(u.UnitId, u.Email!,
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == LeaderRole))));

    private sealed record Hook(long Id, string? UnitPath);

    private sealed record UnitPath(long Id, string Path);

    private sealed record Person(long UnitId, string Email, bool IsLeader);
}
