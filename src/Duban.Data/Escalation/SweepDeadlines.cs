using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What one sweep recorded.</summary>
public sealed record SweepSummary(int Warned, int Urged, int Escalated, int Accountability)
{
    public override string ToString() =>
        FormattableString.Invariant($"预警 {Warned} 条，催办 {Urged} 条，督办 {Escalated} 条，问责 {Accountability} 条");
}

/// <summary>
/// The deadline sweep: finds milestones whose next rung has fallen due (one index on NextEscalationAt, so the cost
/// follows what is due, not what is open), records each rung once, files accountability entries and queues notices
/// for working hours. It works a page of due milestones at a time: one query reads the page with its matters, the pure
/// <see cref="EscalationChain"/> decides in memory, and a few set-based statements (<see cref="RowWriter"/>) write
/// the escalations, accountability entries, notices and their deliveries (<see cref="NoticeRecipients"/>, as for
/// every notice) and move the milestones on. Idempotent: a rung is recorded with its milestone's NextEscalationAt
/// moved on in the same transaction, and (milestone, rung, due instant) is unique. Pages commit one by one, so a crash
/// loses at most the page in flight, which the next sweep redoes. On PostgreSQL several instances share the work
/// through <c>FOR UPDATE SKIP LOCKED</c>: each claims different rows and none waits for another; SQLite has one writer.
/// </summary>
public sealed class SweepDeadlines(DubanDbContext db, Rules rules, NotificationOptions notifications)
{
    public const int PageSize = 1000;

    private static readonly string[] MovedOn = [nameof(MilestoneRow.NextEscalationAt), nameof(MilestoneRow.EscalatedKinds)];

    public async Task<SweepSummary> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var writer = new RowWriter(db);
        var deliverAfter = rules.Escalation.Hours.NextDelivery(now, rules.Calendar); // notices wait for working hours
        int warned = 0, urged = 0, escalated = 0, accountability = 0;
        while (true)
        {
            // Each page in a transaction of its own, unless the caller's holds the whole sweep (the demo's first one).
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var page = await ClaimAsync(now, cancellationToken);
            if (page.Count == 0)
            {
                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }

                break;
            }

            var work = new Page();
            foreach (var (row, matter) in page)
            {
                if (matter.Status == MatterStatus.Returned)
                {
                    row.NextEscalationAt = null; // the clock is stopped
                    continue;
                }

                var chain = rules.Escalation.ChainFor(matter.Profile, row.Stage, matter.Level);
                var milestone = new Milestone(row.Stage, row.DueAt, row.DueSoonAt, row.IsProvisional, row.MetAt);
                var due = chain.DueBy(milestone, now, row.DoneKinds, rules.Calendar);
                for (var i = 0; i < due.Count; i++)
                {
                    var step = due[i];
                    var announced = i == due.Count - 1; // several rungs at once: announce only the most severe
                    Record(work, matter, row, step, announced, now, deliverAfter);
                    row.MarkDone(step.Step.Kind);
                    switch (step.Step.Kind)
                    {
                        case EscalationKind.Warning: warned++; break;
                        case EscalationKind.Urge: urged++; break;
                        case EscalationKind.Supervise: escalated++; break;
                        case EscalationKind.Accountability: accountability++; break;
                    }
                }

                row.NextEscalationAt = chain.NextAfter(milestone, row.DoneKinds, rules.Calendar);
            }

            await WriteAsync(writer, work, page.Select(p => p.Row).ToList(), cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        // Work items' colours move with time alone (a node or report falls overdue, expected progress grows).
        await ItemColours.RefreshAsync(db, rules, now, cancellationToken);
        return new SweepSummary(warned, urged, escalated, accountability);
    }

    /// <summary>The next page of due milestones with their matters' facts, untracked (the sweep writes set-based).</summary>
    private async Task<List<(MilestoneRow Row, MatterFacts Matter)>> ClaimAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = db.Database.IsNpgsql()
            ? db.Milestones.FromSqlInterpolated(
                $"""
                SELECT * FROM milestones WHERE "NextEscalationAt" <= {now.ToUniversalTime()}
                ORDER BY "NextEscalationAt" LIMIT {PageSize} FOR UPDATE SKIP LOCKED
                """)
            // SQLite: the transaction holds the only write lock, so reading the page inside it is a claim.
            : db.Milestones.Where(m => m.NextEscalationAt <= now).OrderBy(m => m.NextEscalationAt).Take(PageSize);
        var rows = await claimed.AsNoTracking()
            .Join(db.Matters, r => r.MatterId, m => m.Id,
                (r, m) => new { Row = r, Matter = new MatterFacts(m.Id, m.Code, m.Title, m.Profile, m.Status, m.SupervisionLevel, m.LeadUnitId, m.AssignerUnitId) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Row, r.Matter)).ToList();
    }

    /// <summary>Writes a page's decisions: ids first, so rows that refer to each other go out in one statement per table.</summary>
    private async Task WriteAsync(RowWriter writer, Page work, List<MilestoneRow> milestones, CancellationToken cancellationToken)
    {
        Assign(work.Records, await writer.ReserveIdsAsync<EscalationRecord>(work.Records.Count, cancellationToken), (r, id) => r.Id = id);
        Assign(work.Entries, await writer.ReserveIdsAsync<AccountabilityEntry>(work.Entries.Count, cancellationToken), (e, id) => e.Id = id);
        Assign(work.Notices, await writer.ReserveIdsAsync<Notice>(work.Notices.Count, cancellationToken), (n, id) => n.Id = id);
        var changes = new List<AccountabilityChange>();
        foreach (var entry in work.Entries)
        {
            entry.EscalationId = entry.Escalation!.Id;
            foreach (var change in entry.History)
            {
                change.EntryId = entry.Id;
                changes.Add(change);
            }
        }

        foreach (var notice in work.Notices)
        {
            notice.EscalationId = notice.Escalation!.Id;
        }

        var recipients = work.Notices.Count == 0
            ? null
            : await NoticeRecipients.LoadAsync(db, notifications, work.Notices.Select(n => n.UnitId), cancellationToken);
        await writer.InsertAsync(work.Records, cancellationToken);
        await writer.InsertAsync(work.Entries, cancellationToken);
        await writer.InsertAsync(changes, cancellationToken);
        await writer.InsertAsync(work.Notices, cancellationToken);
        await writer.InsertAsync(recipients is null ? [] : work.Notices.SelectMany(recipients.DeliveriesFor).ToList(), cancellationToken);
        await writer.UpdateAsync(milestones, MovedOn, cancellationToken);
    }

    private static void Assign<T>(List<T> rows, long[] ids, Action<T, long> set)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            set(rows[i], ids[i]);
        }
    }

    private void Record(Page work, MatterFacts matter, MilestoneRow row, DueStep step, bool announced, DateTimeOffset now, DateTimeOffset deliverAfter)
    {
        var record = new EscalationRecord
        {
            MatterId = matter.Id,
            MilestoneId = row.Id,
            Stage = row.Stage,
            Kind = step.Step.Kind,
            ForDueAt = row.DueAt,
            At = step.At,
            RecordedAt = now,
            UnitId = matter.LeadUnitId,
            Announced = announced,
        };
        work.Records.Add(record);
        if (step.Step.Kind == EscalationKind.Accountability)
        {
            var reason = row.Stage switch
            {
                Stage.Acknowledge => AccountabilityReason.AcknowledgeOverdue,
                Stage.Feedback => AccountabilityReason.FeedbackOverdue,
                Stage.Complete => AccountabilityReason.CompletionOverdue,
                Stage.Node => AccountabilityReason.NodeOverdue,
                Stage.Report => AccountabilityReason.ReportOverdue,
            };
            var entry = AccountabilityEntry.Open(matter.Id, matter.LeadUnitId, reason, row.Stage, now, "system:sweep", "时限系统");
            entry.Escalation = record;
            work.Entries.Add(entry);
        }

        if (!announced)
        {
            return;
        }

        var overdueDays = Math.Max(0, rules.Calendar.WorkingDaysBetween(ChinaTime.DateOf(row.DueAt.AddTicks(-1)), ChinaTime.DateOf(step.At.AddTicks(-1))));
        var name = Labels.Of(new Milestone(row.Stage, row.DueAt, row.DueSoonAt, row.IsProvisional, row.MetAt) { Node = row.Node, Name = row.Name });
        var (title, body) = NoticeText.For(step.Step.Kind, matter.Code, matter.Title, name, row.DueAt, overdueDays);
        var (unit, audience) = step.Step.Recipient switch
        {
            Recipient.HandlingUnit => (matter.LeadUnitId, Audience.Unit),
            Recipient.UnitHead => (matter.LeadUnitId, Audience.Heads),
            Recipient.SupervisingUnit => (matter.AssignerUnitId, Audience.Unit),
        };
        work.Notices.Add(new Notice
        {
            UnitId = unit,
            Audience = audience,
            MatterId = matter.Id,
            Escalation = record,
            Kind = step.Step.Kind,
            Title = title,
            Body = body,
            Link = FormattableString.Invariant($"/matters/{matter.Id}"),
            CreatedAt = now,
            DeliverAfter = deliverAfter,
        });
    }

    /// <summary>What one page records.</summary>
    private sealed class Page
    {
        public List<EscalationRecord> Records { get; } = [];
        public List<AccountabilityEntry> Entries { get; } = [];
        public List<Notice> Notices { get; } = [];
    }

    private sealed record MatterFacts(long Id, string Code, string Title, string Profile, MatterStatus Status,
        SupervisionLevel Level, long LeadUnitId, long AssignerUnitId);
}
