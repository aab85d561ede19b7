using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>交办: translates the submitted matter (codes and strings) into a typed one once, checks it, schedules the clock
/// and stores the matter with its first event in one transaction.</summary>
public sealed class AssignMatter(DubanDbContext db, Rules rules, TimeProvider clock)
{
    /// <summary>The rules it schedules by (for a copy on another context).</summary>
    internal Rules Rules => rules;

    public async Task<long> ExecuteAsync(NewMatter input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以交办事项。");
        }

        var (matter, errors) = await ResolveAsync(input, cancellationToken);
        var named = await new MatterPeople(db, rules, clock).ResolveAsync(input.People, matter.Kind, errors, cancellationToken);
        if (input.Campaigns is { Count: > 0 } && !Campaigns.MayManage(actor))
        {
            errors["campaigns"] = ["只有督查室可以把事项列入专项行动。"];
        }

        var tags = await Campaigns.ResolveAsync(db, input.Campaigns, errors, cancellationToken);
        var prepared = Prepare(matter, actor, clock.GetUtcNow(), errors);

        // Inside a batch (AssignList) the caller's transaction holds all the matters; alone, one of our own.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var stored = await AddAsync(prepared, cancellationToken);
        named.ForEach(p => p.Matter = stored);
        db.MatterPeople.AddRange(named);
        db.MatterCampaigns.AddRange(tags.Select(id => new MatterCampaign { Matter = stored, CampaignId = id }));
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return stored.Id;
    }

    /// <summary>A checked matter and its assignment event, not yet stored.</summary>
    internal sealed record Prepared(MatterToAssign Matter, MatterEvent Assigned, MatterState State);

    /// <summary>
    /// The edge: a submitted matter cleaned and checked once, its unit codes resolved to ids, with the field problems found
    /// (the matter is a draft while there are any: unknown units are id 0).
    /// </summary>
    /// <exception cref="ValidationFailedException">Too many co-units to look up.</exception>
    private async Task<(MatterToAssign Matter, Dictionary<string, string[]> Errors)> ResolveAsync(NewMatter input, CancellationToken cancellationToken)
    {
        input = NewMatterRules.Cleaned(input);
        var errors = new Dictionary<string, string[]>();
        var (kind, source, dueAt) = NewMatterRules.Check(input, errors);
        if (errors.ContainsKey("coUnits"))
        {
            throw new ValidationFailedException(errors); // too many to look up
        }

        var lead = input.LeadUnit?.Trim();
        var coUnits = (input.CoUnits ?? []).Select(c => c?.Trim() ?? string.Empty).ToList();
        var units = await ActiveUnitsAsync(string.IsNullOrEmpty(lead) ? coUnits : [.. coUnits, lead], cancellationToken);
        long leadUnitId = 0;
        if (!string.IsNullOrEmpty(lead) && !units.TryGetValue(lead, out leadUnitId))
        {
            errors["leadUnit"] = UnknownUnits([lead]);
        }

        if (coUnits.Where(c => !units.ContainsKey(c)).ToList() is { Count: > 0 } unknown)
        {
            errors["coUnits"] = UnknownUnits(unknown);
        }

        var matter = new MatterToAssign(kind, source, input.Title ?? string.Empty, input.Content ?? string.Empty, leadUnitId)
        {
            Goal = input.Goal,
            Standard = input.Standard,
            CoUnitIds = coUnits.Where(units.ContainsKey).Select(c => units[c]).ToList(),
            Profile = string.IsNullOrWhiteSpace(input.Profile) ? TimeLimits.TimeLimitProfile.DefaultName : input.Profile.Trim(),
            Complex = input.Complex,
            DueAt = dueAt,
            Note = input.Note,
        };
        return (matter, errors);
    }

    /// <summary>The ids of the active units among <paramref name="codes"/>, by code, in one query.</summary>
    internal async Task<Dictionary<string, long>> ActiveUnitsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
        codes.Count == 0
            ? new Dictionary<string, long>(StringComparer.Ordinal)
            : await db.Units.AsNoTracking().Where(u => codes.Contains(u.Code) && u.Active)
                .ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.Ordinal, cancellationToken);

    /// <summary>The field error for unit codes that name no active unit.</summary>
    internal static string[] UnknownUnits(IEnumerable<string> codes) => [$"单位代码「{string.Join("、", codes)}」不存在或已停用。"];

    /// <summary>
    /// Checks a typed matter as assigned at <paramref name="now"/> (the present, or a past instant for imported history)
    /// and makes its first event, writing nothing. <paramref name="errors"/> holds the field problems already found: then
    /// the lifecycle's own checks (profile, co-units, deadline) join them and every problem is reported at once; else
    /// <see cref="MatterLifecycle.Assign"/> checks. Either way <see cref="MatterLifecycle.CheckAssign"/> runs once.
    /// </summary>
    /// <exception cref="ValidationFailedException">Any field is invalid.</exception>
    internal Prepared Prepare(MatterToAssign matter, Actor actor, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var lifecycle = rules.Lifecycle();
        var command = new AssignCommand(matter.Kind, actor.UnitId, matter.LeadUnitId, matter.CoUnitIds, matter.Profile, matter.Complex, matter.DueAt)
        {
            Register = matter.Register,
            Plan = matter.Plan,
            Cycle = matter.Cycle,
        };
        if (errors.Count > 0)
        {
            foreach (var (field, messages) in lifecycle.CheckAssign(command, now))
            {
                errors.TryAdd(field, messages);
            }

            throw new ValidationFailedException(errors);
        }

        var assigned = lifecycle.Assign(command, actor, now, matter.Note);
        return new Prepared(matter, assigned, MatterState.Start(assigned));
    }

    /// <summary>Numbers a prepared matter and adds it, with <paramref name="later"/> events already decided (imported
    /// history), to the context. Call inside a transaction: the code counter is bumped at once, the rest on save.</summary>
    internal async Task<Matter> AddAsync(Prepared prepared, CancellationToken cancellationToken, params IReadOnlyList<MatterEvent> later)
    {
        var year = ChinaTime.DateOf(prepared.Assigned.At).Year;
        var matter = New(prepared, Code(year, await NextCodesAsync(year, 1, cancellationToken)), later, out var state);
        ItemColours.Update(db, matter, state, rules, prepared.Assigned.At, "assign");
        db.Matters.Add(matter);
        db.MatterSignatures.Add(MatterSignature.For(matter)); // for similar cases, in the same save
        return matter;
    }

    /// <summary>The matter row of a prepared matter with its events (its first and <paramref name="later"/>), numbered
    /// <paramref name="code"/>: what <see cref="AddAsync"/> adds, for writers that insert set-based.</summary>
    internal Matter New(Prepared prepared, string code, IReadOnlyList<MatterEvent> later, out MatterState state)
    {
        state = later.Aggregate(prepared.State, (s, e) => s.Apply(e));
        var matter = new Matter
        {
            Code = code,
            Source = prepared.Matter.Source,
            Title = prepared.Matter.Title,
            Content = prepared.Matter.Content,
            Goal = prepared.Matter.Goal,
            Standard = prepared.Matter.Standard,
            Profile = state.Profile,
        };
        matter.Store(state, rules);
        matter.Events.Add(MatterEventRow.From(prepared.Assigned));
        matter.Events.AddRange(later.Select(MatterEventRow.From));
        return matter;
    }

    /// <summary>DB-2024-000123.</summary>
    internal static string Code(int year, long number) => FormattableString.Invariant($"DB-{year}-{number:D6}");

    /// <summary>Takes <paramref name="count"/> numbers of a year's counter, bumped atomically (instances sharing a
    /// database never collide), and returns the last; the others are the <paramref name="count"/> − 1 before it.</summary>
    internal async Task<long> NextCodesAsync(int year, int count, CancellationToken cancellationToken)
    {
        var next = await db.Database.SqlQueryRaw<long>(
            """
            INSERT INTO code_counters ("Year", "Last") VALUES ({0}, {1})
            ON CONFLICT ("Year") DO UPDATE SET "Last" = code_counters."Last" + {1}
            RETURNING "Last" AS "Value"
            """, year, count).ToListAsync(cancellationToken);
        return next[0];
    }
}
