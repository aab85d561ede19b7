using Duban.Text;
using Duban.Assessment;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A scheme as shown: its current rules and every version.</summary>
public sealed record SchemeView(long Id, string Name, string Group, PeriodKind PeriodKind, DateOnly From, DateOnly? To, UnitRef Owner,
    int Version, SchemeRules Rules, IReadOnlyList<SchemeVersionView> Versions, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>One version of a scheme's rules.</summary>
public sealed record SchemeVersionView(long Id, int Version, SchemeRules Rules, string? Note, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// 考评办法: the office makes schemes and revises them; every revision is a new version, so a published result keeps the
/// rules it was computed with. Two schemes of one peer group and kind of period may not cover the same day.
/// </summary>
public sealed class AssessmentSchemes(DubanDbContext db, ReviewOptions options, TimeProvider clock)
{
    /// <summary>Makes a scheme with its first version.</summary>
    /// <exception cref="ForbiddenException">The actor is not the supervision office or an administrator.</exception>
    /// <exception cref="ValidationFailedException">Any field is invalid, or the dates overlap another scheme's.</exception>
    public async Task<long> CreateAsync(SchemeInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureManager(actor);
        var (name, group, kind, from, to, rules) = await ValidateAsync(input, null, cancellationToken);
        var now = clock.GetUtcNow();
        var scheme = new AssessmentScheme
        {
            Name = name, Group = group, PeriodKind = kind, From = from, To = to, OwnerUnitId = actor.UnitId, CurrentVersion = 1,
            CreatedAt = now, CreatedBy = actor.Name,
        };
        scheme.Versions.Add(new AssessmentSchemeVersion
        {
            Version = 1, Rules = SchemeJson.Write(rules), Note = Clean(input.Note), CreatedAt = now, CreatedBy = actor.Name,
        });
        db.AssessmentSchemes.Add(scheme);
        await db.SaveChangesAsync(cancellationToken);
        return scheme.Id;
    }

    /// <summary>Revises a scheme: its name and dates change in place, its rules become a new version (published results
    /// keep theirs).</summary>
    /// <exception cref="RuleConflictException">The scheme changed since <paramref name="version"/> was read.</exception>
    public async Task<int> ReviseAsync(long id, SchemeInput input, int? version, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureManager(actor);
        var scheme = await db.AssessmentSchemes.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw NotFound(id);
        if (version is { } v && v != scheme.CurrentVersion)
        {
            throw new RuleConflictException($"考评办法已被修改为第 {scheme.CurrentVersion} 版，请刷新后再改。");
        }

        var (name, group, kind, from, to, rules) = await ValidateAsync(input, id, cancellationToken);
        if (group != scheme.Group || kind != scheme.PeriodKind)
        {
            var published = await db.AssessmentResults.AnyAsync(r => r.SchemeId == id, cancellationToken);
            if (published)
            {
                throw ValidationFailedException.For("group", "已有发布的考评结果，不能再改变考评对象或周期；请另建考评办法。");
            }
        }

        var now = clock.GetUtcNow();
        (scheme.Name, scheme.Group, scheme.PeriodKind, scheme.From, scheme.To) = (name, group, kind, from, to);
        scheme.CurrentVersion++;
        db.AssessmentSchemeVersions.Add(new AssessmentSchemeVersion
        {
            SchemeId = id, Version = scheme.CurrentVersion, Rules = SchemeJson.Write(rules), Note = Clean(input.Note), CreatedAt = now,
            CreatedBy = actor.Name,
        });
        await db.SaveChangesAsync(cancellationToken); // the unique (scheme, version) index turns a concurrent revision into a failure
        return scheme.CurrentVersion;
    }

    /// <summary>Every scheme, newest first.</summary>
    public async Task<IReadOnlyList<SchemeView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var ids = await db.AssessmentSchemes.AsNoTracking().OrderByDescending(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
        var views = new List<SchemeView>();
        foreach (var id in ids)
        {
            views.Add(await GetAsync(id, cancellationToken));
        }

        return views;
    }

    /// <summary>A scheme with its versions.</summary>
    /// <exception cref="NotFoundException">No such scheme.</exception>
    public async Task<SchemeView> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var s = await db.AssessmentSchemes.AsNoTracking().Include(x => x.OwnerUnit).Include(x => x.Versions)
            .SingleOrDefaultAsync(x => x.Id == id, cancellationToken) ?? throw NotFound(id);
        var versions = s.Versions.OrderByDescending(v => v.Version)
            .Select(v => new SchemeVersionView(v.Id, v.Version, SchemeJson.Read(v.Rules), v.Note, v.CreatedAt, v.CreatedBy)).ToList();
        return new SchemeView(s.Id, s.Name, s.Group, s.PeriodKind, s.From, s.To, new UnitRef(s.OwnerUnit!.Id, s.OwnerUnit.Code, s.OwnerUnit.Name),
            s.CurrentVersion, versions[0].Rules, versions, s.CreatedAt, s.CreatedBy);
    }

    /// <summary>The peer groups a scheme may assess.</summary>
    public IReadOnlyList<string> Groups => [.. options.Groups.Select(g => g.Name), ReviewOptions.OtherGroup];

    private async Task<(string Name, string Group, PeriodKind Kind, DateOnly From, DateOnly? To, SchemeRules Rules)> ValidateAsync(
        SchemeInput input, long? id, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Clean(input.Name);
        if (name is null)
        {
            errors["name"] = ["请填写考评办法的名称。"];
        }
        else if (name.Length > 100)
        {
            errors["name"] = ["名称最长 100 字。"];
        }

        var group = Clean(input.Group);
        if (group is null || !Groups.Contains(group))
        {
            errors["group"] = [$"请选择考评对象（单位分组）：{string.Join("、", Groups)}。"];
        }

        var kind = SchemeJson.PeriodKindOf(input.Period);
        if (kind is null)
        {
            errors["period"] = ["请选择考评周期：月度、季度或年度。"];
        }

        if (input.From is null)
        {
            errors["from"] = ["请填写起始日期。"];
        }
        else if (input.From.Value.Year < 2000 || input.From.Value.Year > 2100)
        {
            errors["from"] = ["起始日期须在 2000 年至 2100 年之间。"];
        }
        else if (input.To is { } end && end < input.From)
        {
            errors["to"] = ["截止日期不能早于起始日期。"];
        }
        else if (input.To is { Year: > 2100 })
        {
            errors["to"] = ["截止日期须在 2100 年之前。"];
        }

        var rules = SchemeJson.Rules(input, errors);
        if (errors.Count == 0)
        {
            // Overlap with another scheme of the same group and period: [from, to] meets [s.From, s.To ?? ∞].
            var (from, to) = (input.From!.Value, input.To ?? DateOnly.MaxValue);
            var clash = await db.AssessmentSchemes.AsNoTracking()
                .Where(s => s.Id != (id ?? 0) && s.Group == group && s.PeriodKind == kind && s.From <= to && (s.To == null || s.To >= from))
                .Select(s => new { s.Name, s.From, s.To }).FirstOrDefaultAsync(cancellationToken);
            if (clash is not null)
            {
                errors["from"] = [$"与考评办法「{clash.Name}」（{clash.From:yyyy-MM-dd} 至 {(clash.To is { } t ? t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "长期")}）的时段重叠：同一分组同一周期只能有一个考评办法。"];
            }
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : (name!, group!, kind!.Value, input.From!.Value, input.To, rules);
    }

    internal static void EnsureManager(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Has(Role.Supervisor) && !actor.Has(Role.Admin))
        {
            throw new ForbiddenException("考评办法由督查室制定和修改。");
        }
    }

    internal static NotFoundException NotFound(long id) => new($"考评办法 {id} 不存在。");

    private static string? Clean(string? text) => UserText.Clean(text) is { Length: > 0 } t ? t : null;
}
