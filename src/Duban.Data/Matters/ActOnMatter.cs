using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>Any action on an existing matter: the lifecycle decides, the event and the new state are written
/// together, and a concurrent writer is detected by the version. Alone, the action runs in the
/// <see cref="BatchingWriter"/>'s next batch (read, decided and written there, so actions in one batch see each other in
/// order) and shares its commit; inside a caller's transaction, or with the caller's own changes waiting on the context
/// to be saved with it (a 回头看 record, an extension's answer), it runs there.</summary>
public sealed class ActOnMatter(DubanDbContext db, Rules rules, TimeProvider clock, BatchingWriter? writer = null)
{
    /// <summary>The rules that put a unit on the accountability list by what happened to a matter.</summary>
    public static AccountabilityReason? AccountabilityRule(MatterState before, MatterState after, MatterEvent e)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(e);
        return e.Action switch
        {
            MatterAction.Rate when after.DissatisfiedCount == 2 && before.DissatisfiedCount == 1 => AccountabilityReason.DissatisfiedTwice,
            MatterAction.Reopen when before.Status == MatterStatus.Closed => AccountabilityReason.ReopenedAfterClosing,
            _ => null,
        };
    }

    /// <param name="matterId">The matter.</param>
    /// <param name="command">The action and its fields.</param>
    /// <param name="targetUnitCode">For a transfer: the receiving unit's code.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The event recorded.</returns>
    public Task<MatterEvent> ExecuteAsync(long matterId, MatterCommand command, string? targetUnitCode, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        return writer is null || !BatchingWriter.MayBatch(db)
            ? ActAsync(db, matterId, command, targetUnitCode, actor, cancellationToken)
            : writer.WriteAsync((target, ct) => ActAsync(target, matterId, command, targetUnitCode, actor, ct), cancellationToken);
    }

    private async Task<MatterEvent> ActAsync(DubanDbContext db, long matterId, MatterCommand command, string? targetUnitCode, Actor actor,
        CancellationToken cancellationToken)
    {
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken, track: true);
        if (command.Action == MatterAction.Transfer && !string.IsNullOrWhiteSpace(targetUnitCode))
        {
            var code = targetUnitCode.Trim();
            var target = await db.Units.AsNoTracking().Where(u => u.Code == code && u.Active).Select(u => (long?)u.Id)
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw ValidationFailedException.For("unit", $"单位代码「{code}」不存在或已停用。");
            command = command with { TargetUnitId = target };
        }

        var now = clock.GetUtcNow();
        var next = rules.Lifecycle().Decide(state, command, actor, now, tree);
        var after = state.Apply(next);
        matter.Store(after, rules);
        ItemColours.Update(db, matter, after, rules, now, WireEnum.Name(next.Action)); // a work item's colour moves with its actions
        matter.Events.Add(MatterEventRow.From(next));
        db.Attachments.AddRange(Attachment.From(matter, next)); // the files' rows come with their event
        // One 回头看 per closing instant: closed, reopened and closed again within one instant (one batch, a stopped
        // clock) is one closing to re-check, and the second would break the (matter, closed at) key.
        if (next.Action == MatterAction.Close && rules.LookBack.DueFor(matter.Id, after.Kind, now) is { } lookBackDue
            && !await db.LookBacks.AnyAsync(l => l.MatterId == matter.Id && l.ClosedAt == now, cancellationToken))
        {
            db.LookBacks.Add(new LookBack { MatterId = matter.Id, UnitId = after.LeadUnitId, ClosedAt = now, DueAt = lookBackDue, Status = LookBackStatus.Pending });
        }

        if (AccountabilityRule(state, after, next) is { } reason)
        {
            // Filed with the event, in the same save: the list never misses a reopening or a second dissatisfaction.
            db.AccountabilityEntries.Add(
                AccountabilityEntry.Open(matter.Id, after.LeadUnitId, reason, null, now, actor.Id, actor.Name, next.Note));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // The version check (or the unique event number) caught another writer: nothing of ours was written.
            db.ChangeTracker.Clear();
            var actual = await db.Matters.AsNoTracking().Where(m => m.Id == matterId).Select(m => new { m.Version, m.Status })
                .SingleAsync(cancellationToken);
            if (actual.Version == state.Version)
            {
                throw new InvalidOperationException("Saving the matter failed for a reason other than a concurrent edit.", ex);
            }

            throw new ConcurrencyConflictException(state.Version, actual.Version) { Status = actual.Status };
        }

        return next;
    }
}
