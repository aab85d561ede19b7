using Duban.Appeals;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A routing rule as the API spells it: unit codes, not ids.</summary>
public sealed record RoutingRuleInput
{
    public string? Name { get; init; }
    public int? Priority { get; init; }
    public string? Category { get; init; }

    /// <summary>A unit code: the rule applies to appeals in its subtree.</summary>
    public string? Region { get; init; }

    /// <summary>Keywords, any one of which must occur (comma-separated).</summary>
    public string? Keywords { get; init; }
    public string? EnterpriseCode { get; init; }

    /// <summary>The suggested lead unit's code.</summary>
    public string? LeadUnit { get; init; }
    public bool? Active { get; init; }
}

/// <summary>A routing rule as shown, with the level (层级) its lead unit sits at.</summary>
public sealed record RoutingRuleView(long Id, string Name, int Priority, string? Category, UnitRef? Region, IReadOnlyList<string> Keywords,
    string? EnterpriseCode, UnitRef LeadUnit, UnitLevel Level, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Which rule would route an appeal, and to whom (a dry run for whoever edits the rules).</summary>
public sealed record TriageTrial(RoutingRuleView? Rule, string Outcome);

/// <summary>Managing the routing rules (分层分级): list, create, change, deactivate, and try them on an appeal.</summary>
public sealed class RoutingRules(DubanDbContext db, TimeProvider clock, IntakeDirectory intake)
{
    public const int MaxRules = 10_000;

    public async Task<IReadOnlyList<RoutingRuleView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rules = await Loaded().OrderByDescending(r => r.Priority).ThenBy(r => r.Id).Take(MaxRules).ToListAsync(cancellationToken);
        return rules.Select(View).ToList();
    }

    /// <exception cref="NotFoundException">No such rule.</exception>
    public async Task<RoutingRuleView> GetAsync(long id, CancellationToken cancellationToken = default) =>
        View(await Loaded().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"分派规则 {id} 不存在。"));

    /// <exception cref="ValidationFailedException">A field is invalid.</exception>
    public async Task<RoutingRuleView> CreateAsync(RoutingRuleInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await db.RoutingRules.CountAsync(cancellationToken) >= MaxRules)
        {
            throw new RuleConflictException($"分派规则不能超过 {MaxRules} 条。");
        }

        var now = clock.GetUtcNow();
        var rule = new RoutingRule { Name = string.Empty, CreatedAt = now };
        await ApplyAsync(rule, input, cancellationToken);
        db.RoutingRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        intake.Invalidate();
        return await GetAsync(rule.Id, cancellationToken);
    }

    /// <summary>Replaces a rule's fields (those given; <c>active: false</c> switches it off).</summary>
    /// <exception cref="NotFoundException">No such rule.</exception>
    /// <exception cref="ValidationFailedException">A field is invalid.</exception>
    public async Task<RoutingRuleView> UpdateAsync(long id, RoutingRuleInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rule = await db.RoutingRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"分派规则 {id} 不存在。");
        await ApplyAsync(rule, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        intake.Invalidate();
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Deletes a rule no appeal was routed by; one that routed appeals is deactivated instead, so history still names it.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var rule = await db.RoutingRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"分派规则 {id} 不存在。");
        if (await db.Appeals.AnyAsync(a => a.RoutingRuleId == id, cancellationToken))
        {
            rule.Active = false;
            rule.UpdatedAt = clock.GetUtcNow();
        }
        else
        {
            db.RoutingRules.Remove(rule);
        }

        await db.SaveChangesAsync(cancellationToken);
        intake.Invalidate();
    }

    /// <summary>Which active rule would route an appeal with these facts.</summary>
    public async Task<TriageTrial> TryAsync(AppealInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var region = UserText.Clean(input.Region);
        var regionId = region is null ? (long?)null
            : await db.Units.AsNoTracking().Where(u => u.Code == region).Select(u => (long?)u.Id).SingleOrDefaultAsync(cancellationToken)
              ?? throw ValidationFailedException.For("region", $"区域代码「{region}」不存在。");
        var rules = await Loaded().Where(r => r.Active).OrderBy(r => r.Id).Take(MaxRules).ToListAsync(cancellationToken);
        var tree = await UnitTree.LoadAsync(db, regionId is { } r ? [r] : [], cancellationToken);
        var facts = new RouteFacts(UserText.Clean(input.Category), regionId, $"{input.Title}\n{input.Content}", UserText.Clean(input.EnterpriseCode)?.ToUpperInvariant());
        var picked = Router.Pick(rules.Select(r => r.ToRule()), facts, tree);
        var rule = picked is null ? null : rules.First(r => r.Id == picked.Id);
        return rule is null
            ? new TriageTrial(null, "没有规则匹配：由受理单位办理（首接首办）。")
            : new TriageTrial(View(rule), $"按规则「{rule.Name}」交由{rule.LeadUnit!.Name}办理。");
    }

    private IQueryable<RoutingRule> Loaded() => db.RoutingRules.AsNoTracking().Include(r => r.LeadUnit).Include(r => r.RegionUnit);

    private async Task ApplyAsync(RoutingRule rule, RoutingRuleInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = UserText.Clean(input.Name) ?? (rule.Id == 0 ? null : rule.Name);
        if (name is null)
        {
            errors["name"] = ["规则名称不能为空。"];
        }
        else if (name.Length > 100)
        {
            errors["name"] = ["规则名称不能超过 100 字。"];
        }

        if (input.Priority is < -1000 or > 1000)
        {
            errors["priority"] = ["优先级应在 -1000 到 1000 之间。"];
        }

        var category = input.Category is null ? rule.Category : UserText.Clean(input.Category);
        if (category is not null && !AppealCategories.IsKnown(category))
        {
            errors["category"] = [$"未知的诉求分类「{category}」，可选：{string.Join("、", AppealCategories.All)}。"];
        }

        var keywords = input.Keywords is null ? rule.Keywords : UserText.Clean(input.Keywords);
        if (keywords is { Length: > 1000 })
        {
            errors["keywords"] = ["关键词合计不能超过 1000 字。"];
        }

        var enterprise = input.EnterpriseCode is null ? rule.EnterpriseCode : UserText.Clean(input.EnterpriseCode)?.ToUpperInvariant();
        if (enterprise is not null && (enterprise.Length != 18 || !enterprise.All(char.IsAsciiLetterOrDigit)))
        {
            errors["enterpriseCode"] = ["统一社会信用代码应为 18 位数字或大写字母。"];
        }

        var regionId = input.Region is null ? rule.RegionUnitId : await UnitIdAsync(input.Region, "region", "区域", errors, cancellationToken);
        var leadId = input.LeadUnit is null ? rule.LeadUnitId : await UnitIdAsync(input.LeadUnit, "leadUnit", "承办单位", errors, cancellationToken) ?? 0;
        if (leadId == 0 && !errors.ContainsKey("leadUnit"))
        {
            errors["leadUnit"] = ["必须指定承办单位。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        rule.Name = name!;
        rule.Priority = input.Priority ?? rule.Priority;
        rule.Category = category;
        rule.Keywords = keywords;
        rule.EnterpriseCode = enterprise;
        rule.RegionUnitId = regionId;
        rule.LeadUnitId = leadId;
        rule.Active = input.Active ?? rule.Active;
        rule.UpdatedAt = clock.GetUtcNow();
    }

    /// <summary>An empty string clears an optional unit; an unknown code is an error.</summary>
    private async Task<long?> UnitIdAsync(string text, string field, string label, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var code = UserText.Clean(text);
        if (code is null)
        {
            return null;
        }

        var id = await db.Units.AsNoTracking().Where(u => u.Code == code && u.Active).Select(u => (long?)u.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            errors[field] = [$"{label}代码「{code}」不存在或已停用。"];
        }

        return id;
    }

    private static RoutingRuleView View(RoutingRule r) => new(r.Id, r.Name, r.Priority, r.Category,
        r.RegionUnit is null ? null : new UnitRef(r.RegionUnit.Id, r.RegionUnit.Code, r.RegionUnit.Name), r.KeywordList, r.EnterpriseCode,
        new UnitRef(r.LeadUnit!.Id, r.LeadUnit.Code, r.LeadUnit.Name), r.LeadUnit.Level, r.Active,
        Calendar.ChinaTime.ToLocal(r.CreatedAt), Calendar.ChinaTime.ToLocal(r.UpdatedAt));
}
