using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Matters;

/// <summary>交办: checks the 四明确 and unit codes, schedules the clock and stores the matter with its first
/// event in one transaction.</summary>
public sealed class AssignMatter(DubanDbContext db, Rules rules, TimeProvider clock)
{
    public async Task<long> ExecuteAsync(NewMatter input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以交办事项。");
        }

        var prepared = await PrepareAsync(input, actor, clock.GetUtcNow(), [], cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var matter = await AddAsync(prepared, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return matter.Id;
    }

    /// <summary>A checked matter and its assignment event, not yet stored.</summary>
    internal sealed record Prepared(NewMatter Input, MatterSource Source, MatterEvent Assigned, MatterState State);

    /// <summary>
    /// Checks a new matter as assigned at <paramref name="now"/> (the present, or a past instant for imported history)
    /// and makes its first event, writing nothing. <paramref name="errors"/> may already hold the caller's own field
    /// problems: every problem is reported at once.
    /// </summary>
    /// <exception cref="ValidationFailedException">Any field is invalid.</exception>
    internal async Task<Prepared> PrepareAsync(NewMatter input, Actor actor, DateTimeOffset now, Dictionary<string, string[]> errors,
        CancellationToken cancellationToken)
    {
        input = NewMatterRules.Cleaned(input);
        var (kind, source, dueAt) = NewMatterRules.Check(input, errors);
        if (errors.ContainsKey("coUnits"))
        {
            throw new ValidationFailedException(errors); // too many to look up
        }

        var codes = (input.CoUnits ?? []).Select(c => c?.Trim() ?? string.Empty).ToList();
        if (!string.IsNullOrWhiteSpace(input.LeadUnit))
        {
            codes.Add(input.LeadUnit.Trim());
        }

        var units = await db.Units.AsNoTracking().Where(u => codes.Contains(u.Code))
            .ToDictionaryAsync(u => u.Code, StringComparer.Ordinal, cancellationToken);
        long leadUnitId = 0;
        if (!string.IsNullOrWhiteSpace(input.LeadUnit))
        {
            if (!units.TryGetValue(input.LeadUnit.Trim(), out var lead) || !lead.Active)
            {
                errors["leadUnit"] = [$"单位代码「{input.LeadUnit.Trim()}」不存在或已停用。"];
            }
            else
            {
                leadUnitId = lead.Id;
            }
        }

        var coUnitIds = new List<long>();
        var unknown = new List<string>();
        foreach (var code in (input.CoUnits ?? []).Select(c => c?.Trim() ?? string.Empty))
        {
            if (units.TryGetValue(code, out var unit) && unit.Active)
            {
                coUnitIds.Add(unit.Id);
            }
            else
            {
                unknown.Add(code);
            }
        }

        if (unknown.Count > 0)
        {
            errors["coUnits"] = [$"单位代码「{string.Join("、", unknown)}」不存在或已停用。"];
        }

        // Every problem at once: the lifecycle's own checks (profile, deadline range) join the field checks.
        var lifecycle = rules.Lifecycle();
        var command = new AssignCommand(kind, actor.UnitId, leadUnitId, coUnitIds,
            string.IsNullOrWhiteSpace(input.Profile) ? TimeLimits.TimeLimitProfile.DefaultName : input.Profile.Trim(),
            input.Complex, dueAt);
        foreach (var (field, messages) in lifecycle.CheckAssign(command, now))
        {
            errors.TryAdd(field, messages);
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var assigned = lifecycle.Assign(command, actor, now, input.Note);
        return new Prepared(input, source, assigned, MatterState.Start(assigned));
    }

    /// <summary>Numbers a prepared matter and adds it, with <paramref name="later"/> events already decided (imported
    /// history), to the context. Call inside a transaction: the code counter is bumped at once, the rest on save.</summary>
    internal async Task<Matter> AddAsync(Prepared prepared, CancellationToken cancellationToken, params IReadOnlyList<MatterEvent> later)
    {
        var state = later.Aggregate(prepared.State, (s, e) => s.Apply(e));
        var matter = new Matter
        {
            Code = await NextCodeAsync(ChinaTime.DateOf(prepared.Assigned.At).Year, cancellationToken),
            Source = prepared.Source,
            Title = prepared.Input.Title!,
            Content = prepared.Input.Content!,
            Goal = prepared.Input.Goal,
            Standard = prepared.Input.Standard,
            Profile = state.Profile,
        };
        matter.Store(state, rules);
        matter.Events.Add(MatterEventRow.From(prepared.Assigned));
        matter.Events.AddRange(later.Select(MatterEventRow.From));
        db.Matters.Add(matter);
        return matter;
    }

    /// <summary>DB-2024-000123: a per-year counter bumped atomically, so instances sharing a database never collide.</summary>
    private async Task<string> NextCodeAsync(int year, CancellationToken cancellationToken)
    {
        var next = await db.Database.SqlQueryRaw<long>(
            """
            INSERT INTO code_counters ("Year", "Last") VALUES ({0}, 1)
            ON CONFLICT ("Year") DO UPDATE SET "Last" = code_counters."Last" + 1
            RETURNING "Last" AS "Value"
            """, year).ToListAsync(cancellationToken);
        return FormattableString.Invariant($"DB-{year}-{next[0]:D6}");
    }
}
