using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Calendar;
using Duban.Matters;
using Duban.Tabular;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>An enterprise as listed, with its current cadre.</summary>
public sealed record EnterpriseView(long Id, string Name, string CreditCode, string RegionCode, string RegionName,
    long? CadreId, string? CadreName, DateOnly? PairedSince, DateOnly? LastVisit);

/// <summary>One pairing row, current or past.</summary>
public sealed record PairingView(long Id, long CadreId, string CadreUserName, string CadreName, DateOnly From, DateOnly? To, string CreatedBy);

/// <summary>A cadre (包联干部): a person with the cadre role.</summary>
public sealed record CadreView(long Id, string UserName, string Name, string UnitName);

/// <summary>
/// 包联 enterprises and pairings: register enterprises, pair a cadre with an enterprise (one cadre, many enterprises;
/// one current cadre per enterprise), keep every change as a dated row, and import both from a spreadsheet.
/// </summary>
public sealed partial class Enterprises(DubanDbContext db, TimeProvider clock)
{
    public const int MaxName = 200;

    /// <summary>Who may register enterprises and pair cadres: the supervision office, leaders and admins.</summary>
    public static bool MayManage(Actor actor) =>
        actor is not null && (actor.Has(Role.Admin) || actor.Has(Role.Supervisor) || actor.Has(Role.Leader));

    /// <summary>The person id of an actor signed in as a person (<c>user:12</c>), or null for an API token.</summary>
    public static long? PersonOf(Actor actor) =>
        actor?.Id is { } id && id.StartsWith("user:", StringComparison.Ordinal)
        && long.TryParse(id.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Enterprises the actor may see: all for managers, their own current ones for a cadre.</summary>
    public async Task<IReadOnlyList<EnterpriseView>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var query = db.Enterprises.AsNoTracking();
        if (!MayManage(actor))
        {
            var me = PersonOf(actor) ?? throw new ForbiddenException("只有包联干部本人或督查室可以查看包联企业。");
            query = query.Where(e => db.EnterprisePairings.Any(p => p.EnterpriseId == e.Id && p.CadreId == me && p.To == null));
        }

        var rows = await query.OrderBy(e => e.Name)
            .Select(e => new
            {
                e.Id, e.Name, e.CreditCode, Region = e.RegionUnit!.Code, RegionName = e.RegionUnit.Name,
                Current = db.EnterprisePairings.Where(p => p.EnterpriseId == e.Id && p.To == null)
                    .Select(p => new { p.CadreId, p.Cadre!.DisplayName, p.From }).FirstOrDefault(),
                LastVisit = db.Visits.Where(v => v.EnterpriseId == e.Id).Max(v => (DateOnly?)v.Date),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new EnterpriseView(r.Id, r.Name, r.CreditCode, r.Region, r.RegionName, r.Current?.CadreId,
            r.Current?.DisplayName, r.Current?.From, r.LastVisit)).ToList();
    }

    /// <summary>One enterprise, if the actor may see it.</summary>
    /// <exception cref="NotFoundException">No such enterprise, or not the actor's.</exception>
    public async Task<EnterpriseView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default) =>
        (await ListAsync(actor, cancellationToken)).FirstOrDefault(e => e.Id == id) ?? throw new NotFoundException("企业不存在。");

    /// <summary>Every pairing of an enterprise, newest first.</summary>
    public async Task<IReadOnlyList<PairingView>> HistoryAsync(long enterpriseId, Actor actor, CancellationToken cancellationToken = default)
    {
        await GetAsync(enterpriseId, actor, cancellationToken);
        return await db.EnterprisePairings.AsNoTracking().Where(p => p.EnterpriseId == enterpriseId)
            .OrderByDescending(p => p.From).ThenByDescending(p => p.Id)
            .Select(p => new PairingView(p.Id, p.CadreId, p.Cadre!.UserName!, p.Cadre.DisplayName, p.From, p.To, p.CreatedByName))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The people with the cadre role.</summary>
    public async Task<IReadOnlyList<CadreView>> CadresAsync(CancellationToken cancellationToken = default) =>
        await CadreUsers().OrderBy(u => u.DisplayName)
            .Select(u => new CadreView(u.Id, u.UserName!, u.DisplayName, u.Unit!.Name)).ToListAsync(cancellationToken);

    /// <summary>Registers an enterprise, or renames / moves the one with the same credit code.</summary>
    /// <exception cref="ValidationFailedException">A field is invalid.</exception>
    public async Task<EnterpriseView> SaveAsync(string? name, string? creditCode, string? region, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireManager(actor);
        var enterprise = await SaveOneAsync(name, creditCode, region, cancellationToken);
        return await GetAsync(enterprise.Id, actor, cancellationToken);
    }

    /// <summary>
    /// Pairs a cadre with an enterprise from a date: the current pairing (if another cadre's) ends that day and a new
    /// row begins. Pairing the current cadre again changes nothing.
    /// </summary>
    /// <exception cref="ValidationFailedException">Unknown cadre, or a start before the current pairing's.</exception>
    public async Task<PairingView> PairAsync(long enterpriseId, string? cadre, string? from, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireManager(actor);
        var start = from is null ? ChinaTime.DateOf(clock.GetUtcNow()) : ParseDate(from, "from");
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var row = await PairOneAsync(enterpriseId, cadre, start, actor, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return (await HistoryAsync(enterpriseId, actor, cancellationToken)).First(p => p.Id == row.Id);
    }

    /// <summary>Imports enterprises: 企业名称, 统一社会信用代码, 区域 (a unit code). Idempotent by credit code.</summary>
    public Task<IReadOnlyList<ImportRowResult>> ImportEnterprisesAsync(Spreadsheet sheet, Actor actor, CancellationToken cancellationToken = default) =>
        ImportAsync(sheet, actor, [("企业名称", "name"), ("统一社会信用代码", "creditCode"), ("区域", "region")], async (row, cells) =>
        {
            await SaveOneAsync(CellValues.Text(row[cells[0]]), CellValues.Text(row[cells[1]]), CellValues.Text(row[cells[2]]), cancellationToken);
        }, cancellationToken);

    /// <summary>Imports pairings: 统一社会信用代码, 干部 (a user name), 起始日期. Idempotent: a pairing that is already
    /// current changes nothing.</summary>
    public Task<IReadOnlyList<ImportRowResult>> ImportPairingsAsync(Spreadsheet sheet, Actor actor, CancellationToken cancellationToken = default) =>
        ImportAsync(sheet, actor, [("统一社会信用代码", "creditCode"), ("干部", "cadre"), ("起始日期", "from")], async (row, cells) =>
        {
            var code = CellValues.Text(row[cells[0]])?.ToUpperInvariant();
            var enterprise = await db.Enterprises.AsNoTracking().Where(e => e.CreditCode == code).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw ValidationFailedException.For("creditCode", $"没有统一社会信用代码为「{code}」的企业，请先导入企业。");
            var value = row[cells[2]];
            if (!CellValues.TryParseInstant(value, out var start))
            {
                throw ValidationFailedException.For("from", $"起始日期「{CellValues.Text(value)}」不是可识别的日期。");
            }

            await PairOneAsync(enterprise, CellValues.Text(row[cells[1]]), ChinaTime.DateOf(start), actor, cancellationToken);
        }, cancellationToken);

    /// <summary>Each row in its own transaction; a bad row is reported with the cell of the field at fault.</summary>
    private async Task<IReadOnlyList<ImportRowResult>> ImportAsync(Spreadsheet sheet, Actor actor, (string Header, string Field)[] columns,
        Func<SheetRow, int[], Task> save, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        RequireManager(actor);
        var cells = columns.Select(c => Enumerable.Range(0, sheet.Header.Count).FirstOrDefault(i => sheet.Header[i].Trim() == c.Header, -1)).ToArray();
        if (cells.Any(c => c < 0))
        {
            throw ValidationFailedException.For("map", $"表头须有：{string.Join("、", columns.Select(c => c.Header))}；实有：{string.Join("、", sheet.Header)}。");
        }

        var results = new List<ImportRowResult>();
        foreach (var row in sheet.Rows)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                await save(row, cells);
                await transaction.CommitAsync(cancellationToken);
                results.Add(new ImportRowResult(row.Number, RowOutcome.Saved));
            }
            catch (ValidationFailedException ex)
            {
                await transaction.RollbackAsync(cancellationToken);
                var field = ex.Errors.Keys.First();
                var at = Array.FindIndex(columns, c => c.Field == field);
                var column = at < 0 ? -1 : cells[at];
                results.Add(new ImportRowResult(row.Number, RowOutcome.Rejected, column < 0 ? null : CellValues.Reference(column, row.Number),
                    string.Join(" ", ex.Errors.SelectMany(e => e.Value))));
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return results;
    }

    private async Task<Enterprise> SaveOneAsync(string? name, string? creditCode, string? region, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var cleanName = UserText.Clean(name);
        var code = UserText.Clean(creditCode)?.ToUpperInvariant();
        var regionCode = UserText.Clean(region);
        if (cleanName is null or { Length: > MaxName })
        {
            errors["name"] = [$"企业名称必填，不超过 {MaxName} 字。"];
        }

        if (code is null || !CreditCodePattern().IsMatch(code))
        {
            errors["creditCode"] = ["统一社会信用代码应为 18 位数字或大写字母。"];
        }

        var unit = regionCode is null ? null : await db.Units.AsNoTracking().Where(u => u.Code == regionCode && u.Active).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            errors["region"] = [regionCode is null ? "所属区域必填（单位代码）。" : $"区域「{regionCode}」不是已有的单位代码。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var enterprise = await db.Enterprises.FirstOrDefaultAsync(e => e.CreditCode == code, cancellationToken);
        if (enterprise is null)
        {
            enterprise = new Enterprise { Name = cleanName!, CreditCode = code!, RegionUnitId = unit!.Value, CreatedAt = clock.GetUtcNow() };
            db.Enterprises.Add(enterprise);
        }
        else
        {
            enterprise.Name = cleanName!;
            enterprise.RegionUnitId = unit!.Value;
        }

        await db.SaveChangesAsync(cancellationToken);
        return enterprise;
    }

    private async Task<EnterprisePairing> PairOneAsync(long enterpriseId, string? cadre, DateOnly start, Actor actor, CancellationToken cancellationToken)
    {
        if (!await db.Enterprises.AnyAsync(e => e.Id == enterpriseId, cancellationToken))
        {
            throw new NotFoundException("企业不存在。");
        }

        var userName = UserText.Clean(cadre);
        var person = userName is null ? null : await CadreUsers().Where(u => u.UserName == userName).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            throw ValidationFailedException.For("cadre", userName is null ? "请选择包联干部。" : $"「{userName}」不是包联干部（需有 cadre 角色的登录账号）。");
        }

        var current = await db.EnterprisePairings.FirstOrDefaultAsync(p => p.EnterpriseId == enterpriseId && p.To == null, cancellationToken);
        if (current is not null && current.CadreId == person)
        {
            return current;
        }

        if (current is not null)
        {
            if (start <= current.From)
            {
                throw ValidationFailedException.For("from", FormattableString.Invariant($"起始日期须晚于现任干部的起始日期 {current.From:yyyy-MM-dd}：以往的包联记录不改写。"));
            }

            current.To = start;
            current.EndedById = actor.Id;
            current.EndedAt = clock.GetUtcNow();
        }

        var row = new EnterprisePairing
        {
            EnterpriseId = enterpriseId, CadreId = person.Value, From = start, CreatedById = actor.Id, CreatedByName = actor.Name,
            CreatedAt = clock.GetUtcNow(),
        };
        db.EnterprisePairings.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    private IQueryable<User> CadreUsers()
    {
        var role = WireEnum.Name(Role.Cadre).ToUpperInvariant();
        return db.Users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == role)));
    }

    private static void RequireManager(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以管理包联企业。");
        }
    }

    internal static DateOnly ParseDate(string text, string field)
    {
        if (CellValues.TryParseInstant(text, out var instant))
        {
            return ChinaTime.DateOf(instant);
        }

        throw ValidationFailedException.For(field, $"「{text}」不是可识别的日期（如 2024-03-01）。");
    }

    [GeneratedRegex("^[0-9A-Z]{18}$", RegexOptions.CultureInvariant)]
    private static partial Regex CreditCodePattern();
}
