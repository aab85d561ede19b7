using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A notice as shown in the inbox.</summary>
public sealed record NoticeView(long Id, EscalationKind? Kind, string Title, string Body, string? Link, DateTimeOffset At, bool Read);

public sealed record InboxPage(IReadOnlyList<NoticeView> Items, int Unread);

/// <summary>One page of the inbox, unread first, and how many there are in all.</summary>
public sealed record InboxPageView(IReadOnlyList<NoticeView> Items, int Unread, int Total, int Page, int PageSize);

/// <summary>A unit's notices (通知) as its people read them; read state is per person.</summary>
public sealed class NoticeInbox(DubanDbContext db, TimeProvider clock)
{
    /// <summary>The actor's unit's notices that are due for delivery (leaders also see those for heads), read or
    /// unread for this actor: read state is per person, so a colleague's reading leaves the notice unread here.</summary>
    public async Task<InboxPage> ListAsync(Actor actor, bool unreadOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var reader = actor.Id;
        var mine = Delivered(actor);
        var unread = await mine.CountAsync(n => !db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader), cancellationToken);
        var rows = await mine
            .Select(n => new { Notice = n, Read = db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader) })
            .Where(n => !unreadOnly || !n.Read)
            .OrderByDescending(n => n.Notice.DeliverAfter).ThenByDescending(n => n.Notice.Id)
            .Take(200).ToListAsync(cancellationToken);
        return new InboxPage(rows.Select(r => new NoticeView(r.Notice.Id, r.Notice.Kind, r.Notice.Title, r.Notice.Body, r.Notice.Link,
            ChinaTime.ToLocal(r.Notice.DeliverAfter), r.Read)).ToList(), unread);
    }

    /// <summary>How many notices in the actor's inbox the actor has not read: one count over the unit's notices
    /// (index on unit and delivery time) against the reader's marks (primary key), for the menu's badge.</summary>
    public Task<int> UnreadCountAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var reader = actor.Id;
        return Delivered(actor).CountAsync(n => !db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader), cancellationToken);
    }

    /// <summary>A page of the actor's inbox for the inbox page: unread first, then newest first.</summary>
    public async Task<InboxPageView> PageAsync(Actor actor, bool unreadOnly, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var reader = actor.Id;
        var rows = Delivered(actor)
            .Select(n => new { Notice = n, Read = db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader) })
            .Where(n => !unreadOnly || !n.Read);
        var total = await rows.CountAsync(cancellationToken);
        var unread = unreadOnly ? total : await UnreadCountAsync(actor, cancellationToken);
        var items = await rows
            .OrderBy(n => n.Read).ThenByDescending(n => n.Notice.DeliverAfter).ThenByDescending(n => n.Notice.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new InboxPageView(items.Select(r => new NoticeView(r.Notice.Id, r.Notice.Kind, r.Notice.Title, r.Notice.Body, r.Notice.Link,
            ChinaTime.ToLocal(r.Notice.DeliverAfter), r.Read)).ToList(), unread, total, page, pageSize);
    }

    /// <summary>Marks every notice now in the actor's inbox read for the actor alone; returns how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var reader = actor.Id;
        var ids = await Delivered(actor).Where(n => !db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader))
            .Select(n => n.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var chunk in ids.Chunk(500))
        {
            db.NoticeReads.AddRange(chunk.Select(id => new NoticeRead { NoticeId = id, ReaderId = reader, ReadAt = now }));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Marked one by one meanwhile (another tab): mark the rest of this chunk singly.
                db.ChangeTracker.Clear();
                foreach (var id in chunk)
                {
                    await MarkReadAsync(id, actor, cancellationToken);
                }
            }

            db.ChangeTracker.Clear();
        }

        return ids.Count;
    }

    /// <summary>Marks a notice in the actor's inbox read for the actor alone; marking it again changes nothing.
    /// Returns the notice's link (its matter's page), so opening one needs no second look-up.</summary>
    public async Task<string?> MarkReadAsync(long noticeId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var notice = await Delivered(actor).Where(n => n.Id == noticeId).Select(n => new { n.Link }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"通知 {noticeId} 不存在。");
        var reader = actor.Id;
        if (await db.NoticeReads.AnyAsync(r => r.NoticeId == noticeId && r.ReaderId == reader, cancellationToken))
        {
            return notice.Link;
        }

        db.NoticeReads.Add(new NoticeRead { NoticeId = noticeId, ReaderId = reader, ReadAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same reader may have marked it in another request meanwhile: read either way; anything else is a fault.
            db.ChangeTracker.Clear();
            if (!await db.NoticeReads.AnyAsync(r => r.NoticeId == noticeId && r.ReaderId == reader, cancellationToken))
            {
                throw;
            }
        }

        return notice.Link;
    }

    private IQueryable<Notice> Delivered(Actor actor)
    {
        var now = clock.GetUtcNow();
        var isHead = actor.Has(Role.Leader) || actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        return db.Notices.AsNoTracking().Where(n => n.UnitId == actor.UnitId && n.DeliverAfter <= now && (isHead || n.Audience == Audience.Unit));
    }
}
