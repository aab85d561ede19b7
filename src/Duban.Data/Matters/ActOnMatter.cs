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
    public async Task<MatterEvent> ExecuteAsync(long matterId, MatterCommand command, string? targetUnitCode, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var request = new ActionRequest(matterId, command, targetUnitCode, actor);
        if (writer is null || !BatchingWriter.MayBatch(db))
        {
            return (await ActAsync(db, rules, clock, [request], cancellationToken))[0];
        }

        return await writer.WriteAsync(writer.SetWrite(() => new ActionSet(rules, clock)), request, cancellationToken);
    }

    /// <summary>One action asked for, as it waits for the writer.</summary>
    private sealed record ActionRequest(long MatterId, MatterCommand Command, string? TargetUnitCode, Actor Actor);

    /// <summary>Actions that reach the <see cref="BatchingWriter"/> together: their matters and units read once for the
    /// lot, each decided in order (an action sees the ones before it, on the same matter too), and one save. Should one
    /// of them fail, the writer makes each alone, so only its caller hears of it.</summary>
    private sealed class ActionSet(Rules rules, TimeProvider clock) : ISetWrite<ActionRequest, MatterEvent>
    {
        public Task<IReadOnlyList<MatterEvent>> WriteAsync(DubanDbContext db, IReadOnlyList<ActionRequest> items, CancellationToken cancellationToken) =>
            ActAsync(db, rules, clock, items, cancellationToken);
    }

    private static async Task<IReadOnlyList<MatterEvent>> ActAsync(DubanDbContext db, Rules rules, TimeProvider clock,
        IReadOnlyList<ActionRequest> items, CancellationToken cancellationToken)
    {
        var codes = items.Where(i => i.Command.Action == MatterAction.Transfer && !string.IsNullOrWhiteSpace(i.TargetUnitCode))
            .Select(i => i.TargetUnitCode!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var targets = codes.Count == 0
            ? []
            : await db.Units.AsNoTracking().Where(u => EF.MultipleParameters(codes).Contains(u.Code) && u.Active)
                .ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.Ordinal, cancellationToken);
        var (matters, tree) = await VisibleMatters.LoadForChangeAsync(db, [.. items.Select(i => i.MatterId)],
            [.. items.Select(i => i.Actor.UnitId), .. targets.Values], cancellationToken);

        var loaded = new Dictionary<long, MatterState>(); // each matter as the actions so far left it
        var versions = matters.ToDictionary(m => m.Key, m => m.Value.Version); // as read
        var events = new List<MatterEvent>(items.Count);
        foreach (var (matterId, asked, targetUnitCode, actor) in items)
        {
            var matter = matters.GetValueOrDefault(matterId);
            var state = matter is null ? null : loaded.GetValueOrDefault(matterId) ?? matter.ToState();
            if (matter is null || state is null || !AccessRules.CanSee(actor, state, tree))
            {
                throw new NotFoundException($"事项 {matterId} 不存在。"); // first: the unit asked for says nothing of a hidden matter
            }

            var command = asked;
            if (command.Action == MatterAction.Transfer && !string.IsNullOrWhiteSpace(targetUnitCode))
            {
                var code = targetUnitCode.Trim();
                command = command with
                {
                    TargetUnitId = targets.TryGetValue(code, out var target)
                        ? target
                        : throw ValidationFailedException.For("unit", $"单位代码「{code}」不存在或已停用。"),
                };
            }

            var now = clock.GetUtcNow();
            var next = rules.Lifecycle().Decide(state, command, actor, now, tree);
            var after = state.Apply(next);
            loaded[matterId] = after;
            matter.Store(after, rules);
            ItemColours.Update(db, matter, after, rules, now, WireEnum.Name(next.Action)); // a work item's colour moves with its actions
            matter.Events.Add(MatterEventRow.From(next));
            db.Attachments.AddRange(Attachment.From(matter, next)); // the files' rows come with their event
            // One 回头看 per closing instant: closed, reopened and closed again within one instant (one batch, a stopped
            // clock) is one closing to re-check, and the second would break the (matter, closed at) key.
            if (next.Action == MatterAction.Close && rules.LookBack.DueFor(matter.Id, after.Kind, now) is { } lookBackDue
                && !db.LookBacks.Local.Any(l => l.MatterId == matter.Id && l.ClosedAt == now)
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

            events.Add(next);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (items.Count == 1)
        {
            // The version check (or the unique event number) caught another writer: nothing of ours was written. (Several
            // actions that fail together are made again one by one by the writer, and each hears of its own.)
            db.ChangeTracker.Clear();
            var (matterId, expected) = (items[0].MatterId, versions[items[0].MatterId]);
            var actual = await db.Matters.AsNoTracking().Where(m => m.Id == matterId).Select(m => new { m.Version, m.Status })
                .SingleAsync(cancellationToken);
            if (actual.Version == expected)
            {
                throw new InvalidOperationException("Saving the matter failed for a reason other than a concurrent edit.", ex);
            }

            throw new ConcurrencyConflictException(expected, actual.Version) { Status = actual.Status };
        }

        return events;
    }
}
