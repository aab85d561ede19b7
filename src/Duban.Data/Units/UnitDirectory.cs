using Duban.Matters;
using Duban.Tabular;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A unit to create or update, as the API and the CSV spell it.</summary>
public sealed record UnitInput(string? Code, string? Name, string? ParentCode, string? Level, bool Active = true);

/// <summary>A unit as listed.</summary>
public sealed record UnitView(long Id, string Code, string Name, string? ParentCode, UnitLevel Level, bool Active, int Depth);

/// <summary>One line of an import report.</summary>
public sealed record ImportLine(int Line, string? Code, bool Saved, string? Error);

/// <summary>What an import did, line by line.</summary>
public sealed record ImportReport(IReadOnlyList<ImportLine> Lines)
{
    public int Saved => Lines.Count(l => l.Saved);
    public int Rejected => Lines.Count(l => !l.Saved);
}

/// <summary>The unit tree (单位): create, update, list, import from CSV.</summary>
public sealed class UnitDirectory(DubanDbContext db, IntakeDirectory? intake = null, UnitCatalog? catalog = null)
{
    public const int MaxCode = 64, MaxName = 200;

    /// <summary>Every unit in tree order (from the shared <see cref="UnitCatalog"/> when there is one).</summary>
    public async Task<IReadOnlyList<UnitView>> ListAsync(CancellationToken cancellationToken = default) =>
        catalog is null ? await UnitCatalog.ReadAsync(db, cancellationToken) : (await catalog.GetAsync(db, cancellationToken)).Units;

    /// <summary>The id of the unit named by its code or its number, if there is one.</summary>
    public async Task<long?> IdOfAsync(string codeOrId, CancellationToken cancellationToken = default)
    {
        var text = (codeOrId ?? "").Trim();
        var byId = long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id);
        return await db.Units.AsNoTracking().Where(u => u.Code == text || (byId && u.Id == id)).OrderBy(u => u.Code == text ? 0 : 1)
            .Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Creates a unit, or updates the one with the same code.</summary>
    /// <exception cref="ValidationFailedException">A field is invalid.</exception>
    public async Task<UnitView> SaveAsync(UnitInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var unit = await SaveOneAsync(input, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            catalog?.Invalidate(); // again: a page may have read the units between the save and the commit
        }
        return new UnitView(unit.Id, unit.Code, unit.Name, input.ParentCode?.Trim() is { Length: > 0 } p ? p : null,
            unit.Level, unit.Active, unit.Path.Count(c => c == '/') - 2);
    }

    /// <summary>
    /// Imports <c>code,name,parent_code,level</c> lines (a header line is recognised and skipped). Parents may come
    /// later in the file. Each good line is saved; each bad one is reported with its reason; the same file twice
    /// changes nothing the second time.
    /// </summary>
    /// <summary>The columns of a unit sheet, in order; a first row that starts with one of the first names is a header.</summary>
    private static readonly string[] ImportColumns = ["code", "name", "parent_code", "level"];

    private static readonly string[] HeaderNames = ["code", "代码", "单位代码"];

    /// <summary>Imports units from a sheet (xlsx or CSV, see <see cref="Spreadsheet"/>) of code, name, parent code
    /// and level, with or without a header row; parents may come after their children. Each row is saved on its own or
    /// reported with its reason; importing the same sheet twice changes nothing.</summary>
    public async Task<ImportReport> ImportAsync(Spreadsheet sheet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var pending = new List<(int Line, UnitInput Input)>();
        var report = new List<ImportLine>();
        var header = HeaderNames.Contains(sheet.Header[0].Trim(), StringComparer.OrdinalIgnoreCase);
        var rows = header ? sheet.Rows : sheet.Rows.Prepend(new SheetRow(sheet.HeaderRow, [.. sheet.Header]));
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fields = row.Cells.Select(c => CellValues.Text(c) ?? "").ToList();
            var used = fields.FindLastIndex(f => f.Length > 0) + 1;
            if (used != ImportColumns.Length)
            {
                report.Add(new ImportLine(row.Number, fields[0], false, $"应有 4 列（{string.Join(",", ImportColumns)}），实有 {used} 列。"));
                continue;
            }

            pending.Add((row.Number, new UnitInput(fields[0], fields[1], fields[2], fields[3])));
        }

        // Parents first: pass over the lines while some wait for a parent saved in this import (a pass per level of
        // the tree at most, so the import stays linear). Lines commit in short chunks (WriteChunks), each line under its
        // own savepoint, and the tracker is emptied after each, so the thousandth line costs what the first did.
        var existing = await db.Units.AsNoTracking().Select(u => u.Code).ToListAsync(cancellationToken);
        var known = new HashSet<string>(existing, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var ready = new List<(int Line, UnitInput Input)>();
            var waiting = new List<(int Line, UnitInput Input)>();
            foreach (var p in pending)
            {
                (string.IsNullOrWhiteSpace(p.Input.ParentCode) || known.Contains(p.Input.ParentCode.Trim()) ? ready : waiting).Add(p);
            }

            if (ready.Count == 0)
            {
                (ready, waiting) = (waiting, []); // the rest fail with "parent not found"
            }

            await using var chunk = new WriteChunks(db, dryRun: false);
            foreach (var (line, input) in ready)
            {
                await chunk.BeginAsync(cancellationToken);
                try
                {
                    var unit = await SaveOneAsync(input, cancellationToken);
                    known.Add(unit.Code);
                    report.Add(new ImportLine(line, unit.Code, true, null));
                }
                catch (ValidationFailedException ex)
                {
                    report.Add(new ImportLine(line, input.Code, false, string.Join(" ", ex.Errors.SelectMany(e => e.Value))));
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }

                await chunk.EndRowAsync(cancellationToken);
            }

            await chunk.CommitAsync(cancellationToken);
            catalog?.Invalidate();
            pending = waiting;
        }

        return new ImportReport(report.OrderBy(l => l.Line).ToList());
    }

    private async Task<Unit> SaveOneAsync(UnitInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var code = input.Code?.Trim() ?? string.Empty;
        var name = Text.UserText.Clean(input.Name) ?? string.Empty;
        if (code.Length is 0 or > MaxCode || code.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format))
        {
            errors["code"] = [$"单位代码必填，1–{MaxCode} 个字符，不含空白和不可见字符。"];
        }

        if (name.Length is 0 or > MaxName)
        {
            errors["name"] = [$"单位名称必填，不超过 {MaxName} 字。"];
        }

        if (!WireEnum.TryParse<UnitLevel>(input.Level, out var level))
        {
            errors["level"] = ["层级必须是 city、county、township、village 或 department。"];
        }

        Unit? parent = null;
        var parentCode = input.ParentCode?.Trim();
        if (!string.IsNullOrEmpty(parentCode))
        {
            parent = await db.Units.SingleOrDefaultAsync(u => u.Code == parentCode, cancellationToken);
            if (parent is null)
            {
                errors["parentCode"] = [$"上级单位「{parentCode}」不存在。"];
            }
            else if (parentCode == code)
            {
                errors["parentCode"] = ["上级单位不能是自己。"];
            }
        }

        if (!errors.ContainsKey("level") && !errors.ContainsKey("parentCode") && AllowedParent(level, parent?.Level) is { } problem)
        {
            errors["parentCode"] = [problem];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, cancellationToken);
        if (unit is not null && unit.ParentId != parent?.Id)
        {
            // Moving a unit would rewrite its subtree's paths and the access of everyone in it: not done by import.
            throw ValidationFailedException.For("parentCode", "单位已存在且上级不同；调整隶属关系请在管理界面操作。");
        }

        if (unit is null)
        {
            unit = new Unit { Code = code, Name = name, Level = level, ParentId = parent?.Id, Active = input.Active };
            db.Units.Add(unit);
            await db.SaveChangesAsync(cancellationToken);
            unit.Path = $"{parent?.Path ?? "/"}{unit.Id}/";
        }
        else
        {
            unit.Name = name;
            unit.Level = level;
            unit.Active = input.Active;
        }

        await db.SaveChangesAsync(cancellationToken);
        intake?.Invalidate();
        catalog?.Invalidate();
        return unit;
    }

    /// <summary>Which levels may sit under which: village under township under county (or city) under city;
    /// departments under a city, county or township government.</summary>
    private static string? AllowedParent(UnitLevel level, UnitLevel? parent) => (level, parent) switch
    {
        (UnitLevel.City, null or UnitLevel.City) => null,
        (UnitLevel.County, UnitLevel.City) => null,
        // Towns sit directly under a city where it has no districts (不设区的地级市, e.g. 东莞、中山).
        (UnitLevel.Township, UnitLevel.County or UnitLevel.City) => null,
        (UnitLevel.Village, UnitLevel.Township) => null,
        (UnitLevel.Department, UnitLevel.City or UnitLevel.County or UnitLevel.Township) => null,
        (_, null) => "只有市级单位可以没有上级。",
        _ => $"{Labels.Of(level)}不能隶属于{Labels.Of(parent!.Value)}。",
    };
}
