using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A notice as shown in the inbox.</summary>
public sealed record NoticeView(long Id, EscalationKind? Kind, string Title, string Body, string? Link, DateTimeOffset At, bool Read);

public sealed record InboxPage(IReadOnlyList<NoticeView> Items, int Unread);

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

    /// <summary>Marks a notice in the actor's inbox read for the actor alone; marking it again changes nothing.</summary>
    public async Task MarkReadAsync(long noticeId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await Delivered(actor).AnyAsync(n => n.Id == noticeId, cancellationToken))
        {
            throw new NotFoundException($"通知 {noticeId} 不存在。");
        }

        var reader = actor.Id;
        if (await db.NoticeReads.AnyAsync(r => r.NoticeId == noticeId && r.ReaderId == reader, cancellationToken))
        {
            return;
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
    }

    private IQueryable<Notice> Delivered(Actor actor)
    {
        var now = clock.GetUtcNow();
        var isHead = actor.Has(Role.Leader) || actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        return db.Notices.AsNoTracking().Where(n => n.UnitId == actor.UnitId && n.DeliverAfter <= now && (isHead || n.Audience == Audience.Unit));
    }
}
