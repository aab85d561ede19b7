using Duban.Calendar;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A problem raised on a visit, as the form and the API spell it.</summary>
public sealed record ProblemInput(string? Title, string? Content, string? Category);

/// <summary>A visit to log.</summary>
public sealed record VisitInput(long EnterpriseId, string? Date, string? Content, IReadOnlyList<ProblemInput>? Problems);

/// <summary>A problem as listed, with the appeal registered for it.</summary>
public sealed record ProblemView(string Title, long? AppealId, long? MatterId, string? TrackingCode);

/// <summary>A visit as listed.</summary>
public sealed record VisitView(long Id, long EnterpriseId, string EnterpriseName, long CadreId, string CadreName, DateOnly Date,
    string Content, IReadOnlyList<ProblemView> Problems);

/// <summary>An enterprise not visited lately.</summary>
public sealed record StaleEnterprise(long Id, string Name, string? CadreName, DateOnly? LastVisit, int? DaysSince);

/// <summary>A cadre without a visit this month.</summary>
public sealed record IdleCadre(long Id, string Name, string UnitName, int Enterprises);

/// <summary>The coverage view (走访覆盖): who was missed.</summary>
public sealed record Coverage(DateOnly Today, int Days, IReadOnlyList<StaleEnterprise> NotVisited, DateOnly MonthStart, IReadOnlyList<IdleCadre> NoVisitsThisMonth);

/// <summary>
/// 走访: a paired cadre logs a visit; each problem the enterprise raised is registered on the spot as an appeal
/// through <see cref="AppealIntake"/> (channel 包联走访, the enterprise's name, credit code and region filled in) and
/// linked to the visit.
/// </summary>
public sealed class Visits(DubanDbContext db, AppealIntake intake, TimeProvider clock)
{
    public const int MaxContent = 4000, MaxProblems = 20;

    /// <summary>Logs a visit and registers its problems.</summary>
    /// <exception cref="ForbiddenException">The actor is not the enterprise's cadre on that date.</exception>
    /// <exception cref="ValidationFailedException">A field or a problem is invalid; nothing is saved.</exception>
    public async Task<VisitView> LogAsync(VisitInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var me = Enterprises.PersonOf(actor) ?? throw new ForbiddenException("走访记录须由包联干部本人登录填写。");
        var enterprise = await db.Enterprises.AsNoTracking().Include(e => e.RegionUnit).FirstOrDefaultAsync(e => e.Id == input.EnterpriseId, cancellationToken)
            ?? throw new NotFoundException("企业不存在。");
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var errors = new Dictionary<string, string[]>();
        DateOnly date = today;
        if (input.Date is { Length: > 0 } text)
        {
            try
            {
                date = Enterprises.ParseDate(text, "date");
            }
            catch (ValidationFailedException ex)
            {
                errors["date"] = ex.Errors["date"];
            }
        }

        if (date > today)
        {
            errors["date"] = ["走访日期不能晚于今天。"];
        }

        var content = UserText.Clean(input.Content);
        if (content is null or { Length: > MaxContent })
        {
            errors["content"] = [$"走访情况必填，不超过 {MaxContent} 字。"];
        }

        // Each problem is checked now, as its registration below will check it, so the visit is saved only if all pass.
        var now = clock.GetUtcNow();
        var problems = (input.Problems ?? []).Select(p => AppealIntake.Validate(new AppealInput
        {
            Title = p.Title,
            Content = p.Content,
            Category = p.Category,
            Region = enterprise.RegionUnit!.Code,
            EnterpriseName = enterprise.Name,
            EnterpriseCode = enterprise.CreditCode,
        }, new Intake(actor, MatterSource.Visit), now)).Where(p => p.Input.Title is not null || p.Input.Content is not null).ToList();
        if (problems.Count > MaxProblems)
        {
            errors["problems"] = [$"一次走访最多登记 {MaxProblems} 个问题。"];
        }

        for (var i = 0; i < problems.Count; i++)
        {
            foreach (var (field, messages) in problems[i].Errors)
            {
                errors[$"problems[{i}].{field}"] = messages;
            }
        }

        var paired = await db.EnterprisePairings.AnyAsync(p => p.EnterpriseId == enterprise.Id && p.CadreId == me && p.From <= date
            && (p.To == null || p.To > date), cancellationToken);
        if (!paired)
        {
            throw new ForbiddenException("您在该日期不是这家企业的包联干部。");
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var visit = new Visit
        {
            EnterpriseId = enterprise.Id, CadreId = me, Date = date, Content = content!, RecordedAt = clock.GetUtcNow(),
            Problems = problems.Select((p, i) => new VisitProblem { Position = i, Title = p.Input.Title! }).ToList(),
        };
        db.Visits.Add(visit);
        await db.SaveChangesAsync(cancellationToken);

        // Each problem under a key of its own row: a retry after a crash here registers the rest, never one twice.
        for (var i = 0; i < problems.Count; i++)
        {
            var row = visit.Problems[i];
            var registered = await intake.RegisterAsync(problems[i].Input, new Intake(actor, MatterSource.Visit)
            {
                IdempotencyKey = FormattableString.Invariant($"visit-problem:{row.Id}"),
            }, cancellationToken);
            row.AppealId = registered.AppealId;
            await db.SaveChangesAsync(cancellationToken);
        }

        return (await ListAsync(enterprise.Id, actor, cancellationToken)).First(v => v.Id == visit.Id);
    }

    /// <summary>The visits to an enterprise, newest first.</summary>
    public async Task<IReadOnlyList<VisitView>> ListAsync(long enterpriseId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var me = Enterprises.PersonOf(actor);
        if (!Enterprises.MayManage(actor) && !await db.EnterprisePairings.AnyAsync(p => p.EnterpriseId == enterpriseId && p.CadreId == me, cancellationToken))
        {
            throw new NotFoundException("企业不存在。");
        }

        var visits = await db.Visits.AsNoTracking().Where(v => v.EnterpriseId == enterpriseId)
            .OrderByDescending(v => v.Date).ThenByDescending(v => v.Id)
            .Select(v => new
            {
                v.Id, v.EnterpriseId, EnterpriseName = v.Enterprise!.Name, v.CadreId, CadreName = v.Cadre!.DisplayName, v.Date, v.Content,
                Problems = v.Problems.OrderBy(p => p.Position).Select(p => new
                {
                    p.Title, p.AppealId,
                    Appeal = db.Appeals.Where(a => a.Id == p.AppealId).Select(a => new { a.MatterId, a.TrackingCode }).FirstOrDefault(),
                }).ToList(),
            })
            .Take(500).ToListAsync(cancellationToken);
        return visits.Select(v => new VisitView(v.Id, v.EnterpriseId, v.EnterpriseName, v.CadreId, v.CadreName, v.Date, v.Content,
            v.Problems.Select(p => new ProblemView(p.Title, p.AppealId, p.Appeal?.MatterId, p.Appeal?.TrackingCode)).ToList())).ToList();
    }

    /// <summary>Enterprises not visited in <paramref name="days"/> days (or never), and cadres with no visit this month.</summary>
    public async Task<Coverage> CoverageAsync(int days, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (days is < 1 or > 3650)
        {
            throw ValidationFailedException.For("days", "天数应为 1–3650。");
        }

        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var since = today.AddDays(-days);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var me = Enterprises.PersonOf(actor);
        var manager = Enterprises.MayManage(actor);
        if (!manager && me is null)
        {
            throw new ForbiddenException("只有包联干部本人或督查室可以查看走访覆盖。");
        }

        var stale = await db.Enterprises.AsNoTracking()
            .Where(e => manager || db.EnterprisePairings.Any(p => p.EnterpriseId == e.Id && p.CadreId == me && p.To == null))
            .Select(e => new
            {
                e.Id, e.Name,
                Cadre = db.EnterprisePairings.Where(p => p.EnterpriseId == e.Id && p.To == null).Select(p => p.Cadre!.DisplayName).FirstOrDefault(),
                Last = db.Visits.Where(v => v.EnterpriseId == e.Id).Max(v => (DateOnly?)v.Date),
            })
            .Where(e => e.Last == null || e.Last <= since)
            .OrderBy(e => e.Last != null).ThenBy(e => e.Last).ThenBy(e => e.Name) // never visited first, on both engines
            .Take(1000).ToListAsync(cancellationToken);

        var role = WireEnum.Name(Role.Cadre).ToUpperInvariant();
        var idle = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == role)))
            .Where(u => manager || u.Id == me)
            .Where(u => !db.Visits.Any(v => v.CadreId == u.Id && v.Date >= monthStart))
            .OrderBy(u => u.DisplayName)
            .Select(u => new IdleCadre(u.Id, u.DisplayName, u.Unit!.Name, db.EnterprisePairings.Count(p => p.CadreId == u.Id && p.To == null)))
            .Take(1000).ToListAsync(cancellationToken);

        return new Coverage(today, days, stale.Select(e => new StaleEnterprise(e.Id, e.Name, e.Cadre, e.Last,
            e.Last is { } last ? today.DayNumber - last.DayNumber : null)).ToList(), monthStart, idle);
    }
}
