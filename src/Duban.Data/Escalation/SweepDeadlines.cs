using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Escalation;

/// <summary>What one sweep recorded.</summary>
public sealed record SweepSummary(int Warned, int Urged, int Escalated, int Accountability)
{
    public override string ToString() =>
        FormattableString.Invariant($"warned={Warned} urged={Urged} escalated={Escalated} accountability={Accountability}");
}

/// <summary>
/// The deadline sweep: finds milestones whose next rung has fallen due (one index on NextEscalationAt, so the cost
/// follows what is due, not what is open), records each rung once, files accountability entries and queues notices
/// for working hours. Idempotent: a rung is recorded with its milestone's NextEscalationAt moved on in the same
/// transaction, and (milestone, rung, due instant) is unique. Batches commit one by one, so a crash loses at most the
/// batch in flight, which the next sweep redoes. On PostgreSQL several instances share the work through
/// <c>FOR UPDATE SKIP LOCKED</c>: each claims different rows and none waits for another; SQLite has one writer.
/// </summary>
public sealed class SweepDeadlines(DubanDbContext db, Rules rules)
{
    public const int BatchSize = 500;

    public async Task<SweepSummary> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        int warned = 0, urged = 0, escalated = 0, accountability = 0;
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var milestones = await ClaimAsync(now, cancellationToken);
            if (milestones.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken);
                break;
            }

            var matterIds = milestones.Select(m => m.MatterId).Distinct().ToList();
            var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id))
                .Select(m => new MatterFacts(m.Id, m.Code, m.Title, m.Profile, m.Status, m.SupervisionLevel, m.LeadUnitId, m.AssignerUnitId))
                .ToDictionaryAsync(m => m.Id, cancellationToken);
            foreach (var row in milestones)
            {
                var matter = matters[row.MatterId];
                var chain = rules.Escalation.ChainFor(matter.Profile, row.Stage, matter.Level);
                var milestone = new Milestone(row.Stage, row.DueAt, row.DueSoonAt, row.IsProvisional, row.MetAt);
                if (matter.Status == MatterStatus.Returned)
                {
                    row.NextEscalationAt = null; // the clock is stopped
                    continue;
                }

                var due = chain.DueBy(milestone, now, row.DoneKinds, rules.Calendar);
                for (var i = 0; i < due.Count; i++)
                {
                    var step = due[i];
                    var announced = i == due.Count - 1; // several rungs at once: announce only the most severe
                    Record(matter, row, step, announced, now);
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

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return new SweepSummary(warned, urged, escalated, accountability);
    }

    private async Task<List<MilestoneRow>> ClaimAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            return await db.Milestones.FromSqlInterpolated(
                $"""
                SELECT * FROM milestones WHERE "NextEscalationAt" <= {now.ToUniversalTime()}
                ORDER BY "NextEscalationAt" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
        }

        // SQLite: the transaction holds the only write lock, so reading the batch inside it is a claim.
        return await db.Milestones.Where(m => m.NextEscalationAt <= now).OrderBy(m => m.NextEscalationAt)
            .Take(BatchSize).ToListAsync(cancellationToken);
    }

    private void Record(MatterFacts matter, MilestoneRow row, DueStep step, bool announced, DateTimeOffset now)
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
        db.Escalations.Add(record);
        if (step.Step.Kind == EscalationKind.Accountability)
        {
            var reason = row.Stage switch
            {
                Stage.Acknowledge => AccountabilityReason.AcknowledgeOverdue,
                Stage.Feedback => AccountabilityReason.FeedbackOverdue,
                Stage.Complete => AccountabilityReason.CompletionOverdue,
            };
            var entry = AccountabilityEntry.Open(matter.Id, matter.LeadUnitId, reason, row.Stage, now, "system:sweep", "时限系统");
            entry.Escalation = record;
            db.AccountabilityEntries.Add(entry);
        }

        if (!announced)
        {
            return;
        }

        var overdueDays = Math.Max(0, rules.Calendar.WorkingDaysBetween(ChinaTime.DateOf(row.DueAt.AddTicks(-1)), ChinaTime.DateOf(step.At.AddTicks(-1))));
        var (title, body) = NoticeText.For(step.Step.Kind, matter.Code, matter.Title, row.Stage, row.DueAt, overdueDays);
        var (unit, audience) = step.Step.Recipient switch
        {
            Recipient.HandlingUnit => (matter.LeadUnitId, Audience.Unit),
            Recipient.UnitHead => (matter.LeadUnitId, Audience.Heads),
            Recipient.SupervisingUnit => (matter.AssignerUnitId, Audience.Unit),
        };
        db.Notices.Add(new Notice
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
            DeliverAfter = rules.Escalation.Hours.NextDelivery(now, rules.Calendar),
        });
    }

    private sealed record MatterFacts(long Id, string Code, string Title, string Profile, MatterStatus Status,
        SupervisionLevel Level, long LeadUnitId, long AssignerUnitId);
}
