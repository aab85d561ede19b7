using System.Globalization;
using Duban.Data.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data.Notifications;

/// <summary>
/// The outbox hook: whenever a <see cref="Notice"/> is saved, by anyone, the same SaveChanges (and so the same
/// transaction) adds a <see cref="Delivery"/> for each active webhook whose unit filter covers the notice's unit and,
/// when email is enabled, for each address in that unit (only leaders for <see cref="Audience.Heads"/>). A notice
/// therefore cannot be saved without its deliveries, nor its deliveries without it. The first attempt is due at the
/// notice's DeliverAfter, so working-hours rules apply to email and webhooks as to the inbox.
/// </summary>
public sealed class NoticeOutbox(NotificationOptions options) : SaveChangesInterceptor
{
    private static readonly string LeaderRole = WireEnum.Name(Role.Leader);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db && NewNotices(db) is { Count: > 0 } notices)
        {
            var unitIds = notices.Select(n => n.UnitId).Distinct().ToList();
            var hooks = Hooks(db).ToList();
            var paths = hooks.Any(h => h.UnitPath is not null) ? UnitPaths(db, unitIds).ToDictionary(u => u.Id, u => u.Path) : [];
            var people = options.Email.Enabled ? People(db, unitIds).ToList() : [];
            Enqueue(db, notices, hooks, paths, people);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db && NewNotices(db) is { Count: > 0 } notices)
        {
            var unitIds = notices.Select(n => n.UnitId).Distinct().ToList();
            var hooks = await Hooks(db).ToListAsync(cancellationToken);
            var paths = hooks.Any(h => h.UnitPath is not null)
                ? await UnitPaths(db, unitIds).ToDictionaryAsync(u => u.Id, u => u.Path, cancellationToken)
                : [];
            var people = options.Email.Enabled ? await People(db, unitIds).ToListAsync(cancellationToken) : [];
            Enqueue(db, notices, hooks, paths, people);
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

    private static void Enqueue(DubanDbContext db, List<Notice> notices, List<Hook> hooks, Dictionary<long, string> unitPaths, List<Person> people)
    {
        var byUnit = people.ToLookup(p => p.UnitId);
        foreach (var notice in notices)
        {
            var targets = hooks
                .Where(h => h.UnitPath is null || (unitPaths.TryGetValue(notice.UnitId, out var path) && path.StartsWith(h.UnitPath, StringComparison.Ordinal)))
                .Select(h => (Channel: DeliveryChannel.Webhook, Target: h.Id.ToString(CultureInfo.InvariantCulture)))
                .Concat(byUnit[notice.UnitId]
                    .Where(p => notice.Audience == Audience.Unit || p.IsLeader)
                    .Select(p => p.Email.Trim())
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .Select(address => (Channel: DeliveryChannel.Email, Target: address)));
            foreach (var (channel, target) in targets)
            {
                db.Deliveries.Add(new Delivery
                {
                    Notice = notice,
                    Channel = channel,
                    Target = target,
                    Status = DeliveryStatus.Pending,
                    NextAttemptAt = notice.DeliverAfter,
                    CreatedAt = notice.CreatedAt,
                });
            }
        }
    }

    private sealed record Hook(long Id, string? UnitPath);

    private sealed record UnitPath(long Id, string Path);

    private sealed record Person(long UnitId, string Email, bool IsLeader);
}
