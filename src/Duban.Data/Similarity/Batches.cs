using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A new batch: the typical matter and the others like it.</summary>
public sealed record NewBatch(long? TypicalMatterId, IReadOnlyList<long>? MemberIds);

/// <summary>A matter of a batch as shown.</summary>
public sealed record BatchMemberView(long Id, string Code, string Title, MatterStatus Status, string StatusName, UnitRef LeadUnit, bool Typical);

/// <summary>A batch as shown.</summary>
public sealed record BatchView(long Id, long TypicalMatterId, DateTimeOffset CreatedAt, string CreatedByName, IReadOnlyList<BatchMemberView> Members);

/// <summary>What completing a batch did to one matter: <c>completed</c>, or <c>skipped</c> with the reason.</summary>
public sealed record BatchOutcome(long MatterId, string Code, string Outcome, string? Reason);

/// <summary>点办理、批处理: a supervisor groups matters like a typical one; one answer then completes them all.</summary>
public sealed class Batches(DubanDbContext db, ActOnMatter act, TimeProvider clock)
{
    public const int MaxMembers = 500;

    /// <exception cref="ForbiddenException">The actor may not assign (only the assigning side makes batches).</exception>
    /// <exception cref="ValidationFailedException">Missing typical matter, no members, too many, or one not visible.</exception>
    public async Task<long> CreateAsync(NewBatch input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以建立批处理。");
        }

        if (input.TypicalMatterId is not { } typical)
        {
            throw ValidationFailedException.For("typicalMatterId", "请指定典型事项。");
        }

        var ids = (input.MemberIds ?? []).Append(typical).Distinct().ToList();
        if (ids.Count < 2)
        {
            throw ValidationFailedException.For("memberIds", "至少还要一件同类事项。");
        }

        if (ids.Count > MaxMembers)
        {
            throw ValidationFailedException.For("memberIds", $"一批最多 {MaxMembers} 件。");
        }

        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var found = await visible.Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
        var missing = ids.Except(found).Order().ToList();
        if (missing.Count > 0)
        {
            var field = missing.Contains(typical) ? "typicalMatterId" : "memberIds";
            throw ValidationFailedException.For(field, $"事项 {string.Join("、", missing)} 不存在。");
        }

        var batch = new Batch
        {
            TypicalMatterId = typical,
            CreatedByUnitId = actor.UnitId,
            CreatedById = actor.Id,
            CreatedByName = actor.Name,
            CreatedAt = clock.GetUtcNow(),
            Members = ids.Select(id => new BatchMember { MatterId = id }).ToList(),
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Id;
    }

    /// <summary>A batch, if the reader may see its typical matter; members the reader may not see are left out.</summary>
    /// <exception cref="NotFoundException">No such batch, or its typical matter is not visible to the reader.</exception>
    public async Task<BatchView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var batch = await db.Batches.AsNoTracking().Include(b => b.Members).SingleOrDefaultAsync(b => b.Id == id, cancellationToken)
            ?? throw new NotFoundException($"批处理 {id} 不存在。");
        var ids = batch.Members.Select(m => m.MatterId).ToList();
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var members = await visible.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Code, m.Title, m.Status, LeadUnit = m.LeadUnit! }).ToListAsync(cancellationToken);
        if (members.All(m => m.Id != batch.TypicalMatterId))
        {
            throw new NotFoundException($"批处理 {id} 不存在。");
        }

        return new BatchView(batch.Id, batch.TypicalMatterId, Calendar.ChinaTime.ToLocal(batch.CreatedAt), batch.CreatedByName,
            members.OrderByDescending(m => m.Id == batch.TypicalMatterId).ThenBy(m => m.Id)
                .Select(m => new BatchMemberView(m.Id, m.Code, m.Title, m.Status, Labels.Of(m.Status), ViewMapping.Ref(m.LeadUnit), m.Id == batch.TypicalMatterId))
                .ToList());
    }

    /// <summary>
    /// 办结 with one answer for every member, each through <see cref="ActOnMatter"/>: each gets its own event and
    /// keeps its own verification and satisfaction follow-up. A member whose status or lead unit does not allow it
    /// is reported, not forced.
    /// </summary>
    public async Task<IReadOnlyList<BatchOutcome>> CompleteAsync(long id, string? answer, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var view = await GetAsync(id, actor, cancellationToken);
        answer = Text.UserText.Clean(answer)
            ?? throw ValidationFailedException.For("answer", "请填写办理结果。"); // the same for every member: checked once, before any
        var outcomes = new List<BatchOutcome>();
        foreach (var member in view.Members)
        {
            try
            {
                await act.ExecuteAsync(member.Id, new MatterCommand(MatterAction.Complete) { Note = answer }, null, actor, cancellationToken);
                outcomes.Add(new BatchOutcome(member.Id, member.Code, "completed", null));
            }
            catch (ValidationFailedException ex)
            {
                outcomes.Add(new BatchOutcome(member.Id, member.Code, "skipped", string.Join(" ", ex.Errors.SelectMany(e => e.Value))));
            }
            catch (DomainException ex)
            {
                outcomes.Add(new BatchOutcome(member.Id, member.Code, "skipped", ex.Message));
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return outcomes;
    }
}
