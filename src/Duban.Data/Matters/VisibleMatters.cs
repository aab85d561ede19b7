using System.Linq.Expressions;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A matter loaded for an actor who may see it, with what the access rules decided on: its state and the
/// units involved (the actor's, the assigner's, the lead and co-units').</summary>
public sealed record VisibleMatter(Matter Row, MatterState State, UnitTree Tree);

/// <summary>
/// The one seam for "a matter this actor may see": every command and query that starts from a matter id loads it
/// here, and every list starts from <see cref="QueryAsync"/>. Someone who may not see a matter learns nothing about
/// it, not even that it exists: the answer is the same <see cref="NotFoundException"/> as for a missing one.
/// </summary>
public static class VisibleMatters
{
    /// <summary>Loads a matter with its co-units and milestones (and whatever <paramref name="include"/> adds).</summary>
    /// <param name="db">The context.</param>
    /// <param name="matterId">The matter.</param>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="track">Track the row, for a command that changes and saves it.</param>
    /// <param name="notFound">The message when it is missing or hidden, for callers that reach the matter through
    /// another record (an extension request, an accountability entry) and must not reveal the matter either.</param>
    /// <param name="include">More to load with the row (events, unit names).</param>
    /// <exception cref="NotFoundException">No such matter, or the actor may not see it.</exception>
    public static async Task<VisibleMatter> LoadAsync(DubanDbContext db, long matterId, Actor actor, CancellationToken cancellationToken,
        bool track = false, string? notFound = null, Func<IQueryable<Matter>, IQueryable<Matter>>? include = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var key = (matterId, actor.Id, actor.UnitId);
        var plain = !track && include is null;
        if (plain && db.ReadMatters.TryGetValue(key, out var read))
        {
            return read;
        }

        IQueryable<Matter> matters = track ? db.Matters : db.Matters.AsNoTracking();
        matters = matters.Include(m => m.CoUnits).Include(m => m.Milestones);
        if (include is not null)
        {
            matters = include(matters);
        }

        var message = notFound ?? $"事项 {matterId} 不存在。";
        var matter = await matters.SingleOrDefaultAsync(m => m.Id == matterId, cancellationToken) ?? throw new NotFoundException(message);
        var state = matter.ToState();
        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, state.AssignerUnitId, state.LeadUnitId, .. state.CoUnitIds], cancellationToken);
        if (!AccessRules.CanSee(actor, state, tree))
        {
            throw new NotFoundException(message);
        }

        var visible = new VisibleMatter(matter, state, tree);
        if (!track)
        {
            // Loaded with more (the matter page's events and units) serves a plain load too: the page's checks that
            // follow (attachments, people, 督办, extensions) no longer read the matter, its co-units, milestones and
            // units again.
            db.ReadMatters.TryAdd(key, visible);
        }

        return visible;
    }

    /// <summary>
    /// Several matters, tracked, with their co-units and milestones, for commands that change them together (the
    /// writer's batch of actions), and one tree of every unit involved: theirs and <paramref name="unitIds"/> (the
    /// actors' units, transfer targets). Whether each actor may see each matter is the caller's to ask, with
    /// <see cref="AccessRules.CanSee"/> on this tree, before it acts; a missing id is simply absent.
    /// </summary>
    public static async Task<(Dictionary<long, Matter> Matters, UnitTree Tree)> LoadForChangeAsync(DubanDbContext db,
        IReadOnlyCollection<long> matterIds, IEnumerable<long> unitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(matterIds);
        var ids = matterIds.Distinct().ToList();
        // One id is the common case (a lone action) and plans as a key look-up; several share padded parameters.
        var one = ids.Count == 1 ? ids[0] : 0;
        var rows = await (ids.Count == 1 ? db.Matters.Where(m => m.Id == one) : db.Matters.Where(m => EF.MultipleParameters(ids).Contains(m.Id)))
            .Include(m => m.CoUnits).Include(m => m.Milestones)
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var tree = await UnitTree.LoadAsync(db,
            [.. unitIds, .. rows.Values.SelectMany(m => (IEnumerable<long>)[m.AssignerUnitId, m.LeadUnitId, .. m.CoUnits.Select(c => c.UnitId)])],
            cancellationToken);
        return (rows, tree);
    }

    /// <summary>The matters the actor may see, as a query: the same rule as <see cref="AccessRules.CanSee"/>.</summary>
    public static async Task<IQueryable<Matter>> QueryAsync(DubanDbContext db, Actor actor, CancellationToken cancellationToken) =>
        (await ReachAsync(db, actor, cancellationToken)).Matters;

    /// <summary>The matters the actor may see, and how far that reaches: readers choose how to count by it.</summary>
    public static async Task<(IQueryable<Matter> Matters, Reach Reach)> ReachAsync(DubanDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var key = (actor.Id, actor.UnitId, string.Join(',', actor.Roles.Order()));
        if (!db.Reaches.TryGetValue(key, out var reach))
        {
            reach = await FindReachAsync(db, actor, cancellationToken);
            db.Reaches[key] = reach;
        }

        return reach;
    }

    private static async Task<(IQueryable<Matter> Matters, Reach Reach)> FindReachAsync(DubanDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        var matters = db.Matters.AsQueryable();
        if (actor.Has(Role.Admin))
        {
            return (matters, Reach.Everything);
        }

        var unitId = actor.UnitId;
        var tree = await UnitTree.LoadAsync(db, [unitId], cancellationToken);
        var scope = tree.OversightPath(actor);
        if (scope is null)
        {
            var own = Own(db, unitId, m => m.Id);
            return (matters.Where(m => own.Contains(m.Id)), Reach.Own);
        }

        // Overseeing the whole organisation (the city's 督查室): every matter's lead unit is in scope, so there is
        // nothing to filter, and the lists and counts read their own indexes.
        if (!await db.Units.AnyAsync(u => !u.Path.StartsWith(scope), cancellationToken))
        {
            return (matters, Reach.Everything);
        }

        // The overseen units as one uncorrelated subquery (both engines read it once), not a path compared per matter.
        var overseen = db.Units.Where(u => u.Path.StartsWith(scope)).Select(u => u.Id);
        var coLed = db.Set<MatterCoUnit>().Where(c => c.UnitId == unitId).Select(c => c.MatterId);
        return (matters.Where(m => overseen.Contains(m.LeadUnitId) || overseen.Contains(m.AssignerUnitId) || coLed.Contains(m.Id)), Reach.Subtree);
    }

    /// <summary>
    /// A unit's own matters (<see cref="Reach.Own"/>) as three disjoint parts of one query (UNION ALL): led by it;
    /// assigned by it and led by another; co-led by it and neither (a co-unit is one row per matter and unit). Both
    /// engines push a condition on it into each part, so a list's tab and order read each part's own index range,
    /// <c>(LeadUnitId, Status, NextDueAt)</c> and <c>(AssignerUnitId, …)</c>, instead of every matter in that state
    /// joined to the unit's ids (a township's 处理中 at 1M: 18,458 rows on PostgreSQL, 2.8 → 0.09 ms; SQLite 9.6 → 0.4 ms).
    /// For a list's page and count; other readers compose with <see cref="ReachAsync"/>'s ids, which any query
    /// shape takes.
    /// </summary>
    public static IQueryable<Matter> OwnParts(DubanDbContext db, long unitId)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The assigned part by id from the assigner's index: read whole, SQLite scanned the table for it (its statistics
        // average the office, which assigns nearly everything, with the units that assign nothing: 0.9 s a page).
        var assigned = db.Matters.Where(a => a.AssignerUnitId == unitId).Select(a => a.Id);
        return db.Matters.Where(m => m.LeadUnitId == unitId)
            .Concat(db.Matters.Where(m => assigned.Contains(m.Id) && m.LeadUnitId != unitId))
            .Concat(db.Set<MatterCoUnit>().Where(c => c.UnitId == unitId).Join(db.Matters, c => c.MatterId, m => m.Id, (_, m) => m)
                .Where(m => m.LeadUnitId != unitId && m.AssignerUnitId != unitId));
    }

    /// <summary>A unit's own matters (<see cref="Reach.Own"/>: led, assigned or co-led by it), each as
    /// <paramref name="select"/> picks from it, without repeats.</summary>
    /// <remarks>A union, each part read from its own index: as an OR over the rows, SQLite weighed "assigned by this
    /// unit" by its average (every matter is assigned by the city) and read the whole table. A selection of columns the
    /// unit indexes hold (the id, status, next due, next 临期) is read from them alone.</remarks>
    public static IQueryable<T> Own<T>(DubanDbContext db, long unitId, Expression<Func<Matter, T>> select)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(select);
        return db.Matters.Where(m => m.LeadUnitId == unitId).Select(select)
            .Union(db.Matters.Where(m => m.AssignerUnitId == unitId).Select(select))
            .Union(db.Set<MatterCoUnit>().Where(c => c.UnitId == unitId).Join(db.Matters, c => c.MatterId, m => m.Id, (_, m) => m).Select(select));
    }
}

/// <summary>How far a reader's view of the matters reaches.</summary>
public enum Reach
{
    /// <summary>Their unit's matters: led, assigned or co-led by it (a few thousand at most).</summary>
    Own,

    /// <summary>A subtree of units they oversee.</summary>
    Subtree,

    /// <summary>Every matter (an administrator, the whole organisation's 督查室).</summary>
    Everything,
}

/// <summary>Conditions on stored matters that lists, counts and exports share, each written once.</summary>
public static class MatterConditions
{
    /// <summary>超期: an unmet deadline has passed while the clock runs (<see cref="Matter.NextDueAt"/> is null when it
    /// is stopped or everything is met).</summary>
    private static readonly Expression<Func<DateTimeOffset?, DateTimeOffset, bool>> OverdueRule = (nextDueAt, now) => nextDueAt != null && nextDueAt < now;

    private static readonly Func<DateTimeOffset?, DateTimeOffset, bool> OverdueCompiled = OverdueRule.Compile();

    /// <summary>Whether a matter with this next due instant is overdue at <paramref name="now"/>, for rows already read.</summary>
    public static bool IsOverdue(DateTimeOffset? nextDueAt, DateTimeOffset now) => OverdueCompiled(nextDueAt, now);

    /// <summary>The matters overdue at <paramref name="now"/>, as a query condition.</summary>
    public static Expression<Func<Matter, bool>> Overdue(DateTimeOffset now)
    {
        var matter = Expression.Parameter(typeof(Matter), "m");
        var body = new Substitution(new Dictionary<ParameterExpression, Expression>
        {
            [OverdueRule.Parameters[0]] = Expression.Property(matter, nameof(Matter.NextDueAt)),
            [OverdueRule.Parameters[1]] = Expression.Property(Expression.Constant(new Instant(now)), nameof(Instant.Value)),
        }).Visit(OverdueRule.Body);
        return Expression.Lambda<Func<Matter, bool>>(body, matter);
    }

    /// <summary>1 where the condition holds, else 0: to count matching rows in a group by summing.</summary>
    public static Expression<Func<Matter, int>> AsFlag(this Expression<Func<Matter, bool>> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Expression.Lambda<Func<Matter, int>>(
            Expression.Condition(condition.Body, Expression.Constant(1), Expression.Constant(0)), condition.Parameters);
    }

    /// <summary>Either condition.</summary>
    public static Expression<Func<Matter, bool>> Or(this Expression<Func<Matter, bool>> left, Expression<Func<Matter, bool>> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Expression.Lambda<Func<Matter, bool>>(Expression.OrElse(left.Body, Inline(right, left.Parameters[0])), left.Parameters);
    }

    /// <summary>Both conditions.</summary>
    public static Expression<Func<Matter, bool>> And(this Expression<Func<Matter, bool>> left, Expression<Func<Matter, bool>> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Expression.Lambda<Func<Matter, bool>>(Expression.AndAlso(left.Body, Inline(right, left.Parameters[0])), left.Parameters);
    }

    /// <summary>A condition's body over another parameter, to reuse it inside a larger lambda; the parameter may be a
    /// row of a few of the matter's columns, with properties named as the matter's that the condition reads.</summary>
    public static Expression Inline(LambdaExpression condition, ParameterExpression parameter)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return new Substitution(new Dictionary<ParameterExpression, Expression> { [condition.Parameters[0]] = parameter }).Visit(condition.Body);
    }

    /// <summary>The instant as a captured value, so EF Core sends it as a parameter (a constant would be inlined into
    /// the SQL text and defeat the statement cache).</summary>
    private sealed record Instant(DateTimeOffset Value);

    private sealed class Substitution(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? replacement : base.VisitParameter(node);

        // A matter's property read from a replacement of another type (a row of a few of its columns): that type's
        // property of the same name.
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression is ParameterExpression parameter && replacements.TryGetValue(parameter, out var replacement)
                && replacement.Type != parameter.Type
                ? Expression.Property(replacement, node.Member.Name)
                : base.VisitMember(node);
    }
}
