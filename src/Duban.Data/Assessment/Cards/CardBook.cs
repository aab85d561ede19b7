using System.Globalization;
using Duban.Assessment;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A card rule as the office enters it: <paramref name="Id"/> keeps an existing rule (its cards stay tied to it).</summary>
public sealed record CardRuleInput(long? Id, string? Trigger, int? Threshold, string? Window, string? Colour);

/// <summary>A rule as pages and the API show it.</summary>
public sealed record CardRuleView(long Id, string Trigger, string TriggerName, int Threshold, CardWindow Window, CardColour Colour, string Description);

/// <summary>A card as pages and the API show it.</summary>
public sealed record CardView(long Id, UnitRef Unit, CardColour Colour, string ColourName, ReviewPeriod Window, long Count, string Reason,
    long RuleId, DateTimeOffset IssuedAt, string IssuedByName, DateTimeOffset? RevokedAt, string? RevokedByName, string? RevokeReason)
{
    /// <summary>Revoked (撤销) by the office.</summary>
    public bool Revoked => RevokedAt is not null;
}

/// <summary>红黄牌: the office's rules, issuing per period (idempotent), revoking with a reason. Each card notifies its
/// unit; a red card puts the unit on the 约谈 list.</summary>
public sealed class CardBook(DubanDbContext db, ReviewQueries reviews, TimeProvider clock)
{
    public const int MaxRules = 50, MaxRevokeReason = 300;

    /// <summary>The rules in force, in their order.</summary>
    public async Task<IReadOnlyList<CardRuleView>> RulesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Set<CardRuleRow>().AsNoTracking().Where(r => r.Active).OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    private static CardRuleView View(CardRuleRow row)
    {
        var rule = row.ToRule();
        return new CardRuleView(row.Id, row.Trigger, CardRule.TriggerLabel(rule.Event), row.Threshold, row.Window, row.Colour, rule.Describe());
    }

    /// <summary>Replaces the rules: those given (an id keeps a rule, no id adds one), those left out are retired (their
    /// cards stay). All checked first; nothing is stored when one is wrong.</summary>
    /// <exception cref="ValidationFailedException">A threshold below 1, an unknown trigger, window or colour, an unknown
    /// id (each field as <c>rules[2].threshold</c>).</exception>
    public async Task<IReadOnlyList<CardRuleView>> SaveRulesAsync(IReadOnlyList<CardRuleInput>? input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        input ??= [];
        if (input.Count > MaxRules)
        {
            throw ValidationFailedException.For("rules", $"规则最多 {MaxRules} 条。");
        }

        var existing = await db.Set<CardRuleRow>().ToListAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var parsed = new List<(long? Id, CardRule Rule)>();
        for (var i = 0; i < input.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"rules[{i}].");
            var r = input[i];
            try
            {
                var trigger = CardRule.ParseTrigger(r.Trigger, prefix + "trigger");
                var window = r.Window?.Trim().ToUpperInvariant() switch
                {
                    "MONTH" or "月" => CardWindow.Month,
                    "QUARTER" or "季度" => (CardWindow?)CardWindow.Quarter,
                    _ => null,
                } ?? throw ValidationFailedException.For(prefix + "window", "统计周期只能是月或季度。");
                var colour = r.Colour?.Trim().ToUpperInvariant() switch
                {
                    "YELLOW" or "黄牌" => CardColour.Yellow,
                    "RED" or "红牌" => (CardColour?)CardColour.Red,
                    _ => null,
                } ?? throw ValidationFailedException.For(prefix + "colour", "牌色只能是黄牌或红牌。");
                if (r.Id is { } id && existing.All(e => e.Id != id || !e.Active))
                {
                    throw ValidationFailedException.For(prefix + "id", "没有这条规则（可能已被删除），请刷新后再试。");
                }

                var rule = new CardRule(r.Id ?? 0, trigger, r.Threshold ?? 0, window, colour);
                rule.Validate(prefix);
                parsed.Add((r.Id, rule));
            }
            catch (ValidationFailedException ex)
            {
                foreach (var (key, value) in ex.Errors)
                {
                    errors[key] = value;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var now = clock.GetUtcNow();
        var kept = parsed.Where(p => p.Id is not null).Select(p => p.Id!.Value).ToHashSet();
        foreach (var row in existing.Where(e => e.Active && !kept.Contains(e.Id)))
        {
            row.Active = false;
            row.UpdatedAt = now;
        }

        for (var i = 0; i < parsed.Count; i++)
        {
            var (id, rule) = parsed[i];
            var row = id is { } known ? existing.Single(e => e.Id == known) : db.Set<CardRuleRow>().Add(new CardRuleRow { Trigger = "" }).Entity;
            row.Trigger = CardRule.TriggerName(rule.Event);
            row.Threshold = rule.Threshold;
            row.Window = rule.Window;
            row.Colour = rule.Colour;
            row.Position = i;
            row.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return await RulesAsync(cancellationToken);
    }

    /// <summary>
    /// Issues the cards due for a month (2024-03) or a quarter (2024-Q1) under the rules in force: counts per unit over
    /// each month and quarter the period covers (review facts, accountability, rebounds and published criticisms), the
    /// cards already issued, <see cref="Cards.Due"/>. Running it again issues nothing new. Each new card notifies its
    /// unit; each red card opens a 约谈 entry. One save.
    /// </summary>
    /// <returns>The new cards.</returns>
    public async Task<IReadOnlyList<CardView>> IssueAsync(string? period, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var parsed = string.IsNullOrWhiteSpace(period)
            ? throw ValidationFailedException.For("period", "请指定发牌的月份（如 2024-03）或季度（如 2024-Q1）。")
            : ReviewPeriod.Parse(period, today);
        var windows = Cards.Windows(parsed);
        if (windows.Min(w => w.From) > today)
        {
            throw ValidationFailedException.For("period", $"{parsed.Label}还没有开始，不能发牌。");
        }

        var ruleRows = await db.Set<CardRuleRow>().AsNoTracking().Where(r => r.Active).ToListAsync(cancellationToken);
        if (ruleRows.Count == 0)
        {
            throw ValidationFailedException.For("rules", "还没有红黄牌规则，请先在规则页设置。");
        }

        var rules = ruleRows.Select(r => r.ToRule()).ToList();
        var units = await db.Units.AsNoTracking().Where(u => u.Active).Select(u => new { u.Id, u.Code, u.Name }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var events = rules.Where(r => r.Event is not null).Select(r => r.Event!.Value).Distinct().ToList();
        var counts = new List<WindowCounts>();
        foreach (var window in windows)
        {
            var metrics = await reviews.LeadMetricsAsync(window, cancellationToken);
            var published = await Citations.CountAsync(db, window.From, window.To, cancellationToken);
            var perUnit = new Dictionary<long, IReadOnlyDictionary<PointEvent, long>>();
            foreach (var unitId in metrics.Keys.Union(published.Keys).Where(units.ContainsKey))
            {
                var m = metrics.GetValueOrDefault(unitId) ?? UnitMetrics.From(new UnitFacts());
                var p = published.GetValueOrDefault(unitId) ?? new Dictionary<PointEvent, long>();
                perUnit[unitId] = events.ToDictionary(e => e, e => Scoring.Count(e, m, p));
            }

            counts.Add(new WindowCounts(window, perUnit));
        }

        // Cards of every window touching the period's quarter(s): the red rules count the yellow cards of the quarter.
        var (from, to) = (windows.Min(w => w.From), windows.Max(w => w.To));
        var issuedRows = await db.Set<IssuedCardRow>().AsNoTracking().Where(c => c.WindowFrom >= from && c.WindowTo <= to).ToListAsync(cancellationToken);
        var issued = issuedRows.Select(c => new IssuedCard(c.RuleId, c.UnitId, Window(c), c.Colour, c.RevokedAt is not null)).ToList();
        var due = Cards.Due(rules, counts, issued);
        var now = clock.GetUtcNow();
        var made = new List<IssuedCardRow>();
        foreach (var d in due)
        {
            var unit = units[d.UnitId];
            var what = d.Rule.Event is { } e ? $"{Scoring.Label(e)} {d.Count.ToString(CultureInfo.InvariantCulture)} 个" : $"黄牌 {d.Count.ToString(CultureInfo.InvariantCulture)} 张";
            var card = new IssuedCardRow
            {
                RuleId = d.Rule.Id,
                UnitId = d.UnitId,
                Colour = d.Rule.Colour,
                Window = d.Rule.Window,
                WindowFrom = d.Window.From,
                WindowTo = d.Window.To,
                Count = d.Count,
                Reason = $"{d.Window.Label}{what}（{d.Rule.Describe()}）",
                IssuedAt = now,
                IssuedByName = actor.Name,
            };
            db.Add(card);
            made.Add(card);
            var colour = Cards.ColourLabel(d.Rule.Colour);
            db.Notices.Add(new Notice
            {
                UnitId = d.UnitId,
                Audience = Audience.Unit,
                Title = $"【{colour}】{unit.Name}{d.Window.Label}被亮{colour}",
                Body = d.Rule.Colour == CardColour.Red
                    ? $"{card.Reason}。贵单位已列入约谈名单，督查室将另行通知约谈时间。"
                    : $"{card.Reason}。请及时整改，避免累计升级为红牌。",
                Link = "/Assessment/Cards",
                CreatedAt = now,
                DeliverAfter = now,
            });
        }

        foreach (var card in made.Where(c => c.Colour == CardColour.Red))
        {
            db.Add(new Interview
            {
                UnitId = card.UnitId,
                Card = card,
                Reason = $"红牌：{card.Reason}",
                CreatedAt = now,
                CreatedByName = actor.Name,
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken); // cards, notices and interviews together
        }
        catch (DbUpdateException)
        {
            throw new RuleConflictException("另一位同事刚刚对同一期发了牌，请刷新后查看。");
        }

        return made.Select(c => View(c, units[c.UnitId].Code, units[c.UnitId].Name)).ToList();
    }

    /// <summary>The cards of the windows a period covers (all, newest first, without a period), as the reader may see.</summary>
    public async Task<IReadOnlyList<CardView>> ListAsync(string? period, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var query = db.Set<IssuedCardRow>().AsNoTracking().Include(c => c.Unit).AsQueryable();
        if (!string.IsNullOrWhiteSpace(period))
        {
            var windows = Cards.Windows(ReviewPeriod.Parse(period, ChinaTime.DateOf(clock.GetUtcNow())));
            var (from, to) = (windows.Min(w => w.From), windows.Max(w => w.To));
            query = query.Where(c => c.WindowFrom >= from && c.WindowTo <= to);
        }

        if (!Citations.MayManage(actor))
        {
            var readable = await Citations.ReadableUnitsAsync(db, actor, cancellationToken);
            query = query.Where(c => readable == null || readable.Contains(c.UnitId));
        }

        var rows = await query.OrderByDescending(c => c.WindowFrom).ThenBy(c => c.Id).Take(1000).ToListAsync(cancellationToken);
        return rows.Select(c => View(c, c.Unit?.Code ?? "", c.Unit?.Name ?? "")).ToList();
    }

    /// <summary>Revokes a card with a reason (kept on the card); a red card's open 约谈 entry is closed with the reason
    /// (「红牌已撤销：…」) and stays on the list under 已关闭.</summary>
    /// <exception cref="RuleConflictException">Revoked already.</exception>
    public async Task RevokeAsync(long id, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var text = reason?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw ValidationFailedException.For("reason", "请填写撤销理由。");
        }

        if (text.Length > MaxRevokeReason)
        {
            throw ValidationFailedException.For("reason", $"撤销理由最多 {MaxRevokeReason} 字。");
        }

        var card = await db.Set<IssuedCardRow>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("没有找到这张牌。");
        if (card.RevokedAt is not null)
        {
            throw new RuleConflictException("这张牌已经撤销。");
        }

        card.RevokedAt = clock.GetUtcNow();
        card.RevokedByName = actor.Name;
        card.RevokeReason = text;
        var open = await db.Set<Interview>().Where(i => i.CardId == id && i.RecordedAt == null).ToListAsync(cancellationToken);
        foreach (var entry in open)
        {
            // Closed without an interview: no person, no date; the notes say why.
            entry.RecordedAt = card.RevokedAt;
            entry.RecordedByName = actor.Name;
            entry.Notes = InterviewView.RevokedPrefix + text;
            entry.Version++;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static ReviewPeriod Window(IssuedCardRow c) => ReviewPeriod.Holding(Cards.KindOf(c.Window), c.WindowFrom);

    private static CardView View(IssuedCardRow c, string code, string name) => new(c.Id, new UnitRef(c.UnitId, code, name), c.Colour,
        Cards.ColourLabel(c.Colour), Window(c), c.Count, c.Reason, c.RuleId, c.IssuedAt, c.IssuedByName, c.RevokedAt, c.RevokedByName, c.RevokeReason);

    private static void Manage(Actor actor)
    {
        if (!Citations.MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以设置规则、发放和撤销红黄牌。");
        }
    }
}
