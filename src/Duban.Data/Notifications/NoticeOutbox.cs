using System.Globalization;
using Duban.Appeals;
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
/// covers the notice's unit, one per group robot of the notice's own unit (<see cref="UnitChannel"/>), and, per
/// person in that unit (only leaders for <see cref="Audience.Heads"/>), one email when email is enabled and one text
/// message when the unit has SMS on and the person a mobile number. The first attempt is due at the notice's
/// DeliverAfter, so working-hours rules apply to every channel as to the inbox. Loaded once for the units of a batch
/// of notices.
/// </summary>
public sealed class NoticeRecipients
{
    private static readonly string LeaderRole = WireEnum.Name(Role.Leader);

    private readonly List<Hook> _hooks;
    private readonly Dictionary<long, string> _unitPaths;
    private readonly ILookup<long, Channel> _channels;
    private readonly ILookup<long, Person> _people;
    private readonly bool _email;

    private NoticeRecipients(List<Hook> hooks, Dictionary<long, string> unitPaths, List<Channel> channels, List<Person> people, bool email)
    {
        _hooks = hooks;
        _unitPaths = unitPaths;
        _channels = channels.ToLookup(c => c.UnitId);
        _people = people.ToLookup(p => p.UnitId);
        _email = email;
    }

    public static NoticeRecipients Load(DubanDbContext db, NotificationOptions options, IEnumerable<long> unitIds)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        var units = unitIds.Distinct().ToList();
        var hooks = Hooks(db).ToList();
        var paths = hooks.Any(h => h.UnitPath is not null) ? UnitPaths(db, units).ToDictionary(u => u.Id, u => u.Path) : [];
        var channels = Channels(db, units).ToList();
        var sms = channels.Where(c => c.Kind == ChannelKind.Sms).Select(c => c.UnitId).Distinct().ToList();
        var people = options.Email.Enabled || sms.Count > 0 ? People(db, options.Email.Enabled ? units : sms).ToList() : [];
        return new NoticeRecipients(hooks, paths, channels, people, options.Email.Enabled);
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
        var channels = await Channels(db, units).ToListAsync(cancellationToken);
        var sms = channels.Where(c => c.Kind == ChannelKind.Sms).Select(c => c.UnitId).Distinct().ToList();
        var people = options.Email.Enabled || sms.Count > 0 ? await People(db, options.Email.Enabled ? units : sms).ToListAsync(cancellationToken) : [];
        return new NoticeRecipients(hooks, paths, channels, people, options.Email.Enabled);
    }

    /// <summary>The notice's deliveries, linked to it by navigation and, when it already has an id, by key.</summary>
    public IEnumerable<Delivery> DeliveriesFor(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var channels = _channels[notice.UnitId].ToList();
        var people = _people[notice.UnitId].Where(p => notice.Audience == Audience.Unit || p.IsLeader).ToList();
        var targets = new List<(DeliveryChannel Channel, string Target)>();
        targets.AddRange(_hooks
            .Where(h => h.UnitPath is null || (_unitPaths.TryGetValue(notice.UnitId, out var path) && path.StartsWith(h.UnitPath, StringComparison.Ordinal)))
            .Select(h => (DeliveryChannel.Webhook, h.Id.ToString(CultureInfo.InvariantCulture))));
        targets.AddRange(channels.Where(c => c.Kind != ChannelKind.Sms).Select(c => (DeliveryChannel.Robot, c.Id.ToString(CultureInfo.InvariantCulture))));
        if (_email)
        {
            targets.AddRange(people.Where(p => !string.IsNullOrWhiteSpace(p.Email)).Select(p => p.Email!.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase).Select(address => (DeliveryChannel.Email, address)));
        }

        if (channels.Any(c => c.Kind == ChannelKind.Sms))
        {
            // Text messages only to mainland mobiles, each number once however many people share it.
            targets.AddRange(people.Select(p => PersonalData.NormalizePhone(p.Phone)).OfType<string>()
                .Where(phone => phone.Length == 11 && phone[0] == '1').Distinct(StringComparer.Ordinal).Select(phone => (DeliveryChannel.Sms, phone)));
        }

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

    private static IQueryable<Channel> Channels(DubanDbContext db, List<long> unitIds) =>
        db.UnitChannels.AsNoTracking().Where(c => unitIds.Contains(c.UnitId)).OrderBy(c => c.Id).Select(c => new Channel(c.Id, c.UnitId, c.Kind));

    private static IQueryable<Person> People(DubanDbContext db, List<long> unitIds) =>
        db.Users.AsNoTracking()
            .Where(u => unitIds.Contains(u.UnitId) && ((u.Email != null && u.Email != "") || (u.PhoneNumber != null && u.PhoneNumber != "")))
            .OrderBy(u => u.Id)
            .Select(u => new Person(u.UnitId, u.Email, u.PhoneNumber,
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == LeaderRole))));

    private sealed record Hook(long Id, string? UnitPath);

    private sealed record UnitPath(long Id, string Path);

    private sealed record Channel(long Id, long UnitId, ChannelKind Kind);

    private sealed record Person(long UnitId, string? Email, string? Phone, bool IsLeader);
}
