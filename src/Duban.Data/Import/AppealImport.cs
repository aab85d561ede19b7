using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Duban.Matters;
using Duban.Tabular;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A field an imported row can fill, with the Chinese name people map columns to.</summary>
public enum ImportField
{
    /// <summary>编号: the source's own id (e.g. 留言编号); the idempotency key when mapped.</summary>
    ExternalId,
    Title,
    Content,
    Category,
    Region,
    ContactName,
    ContactPhone,
    EnterpriseName,
    EnterpriseCode,
    ReceivedAt,
    Reply,
    RepliedAt,
    Likes,
    Dislikes,
}

/// <summary>Which column feeds which field: guessed from the Chinese headers, then overridable.</summary>
public sealed record ColumnMapping(IReadOnlyDictionary<ImportField, int> Columns)
{
    /// <summary>The Chinese name of each field (what <c>--map 标题=留言主题</c> names on the left) and the headers
    /// that are guessed to mean it.</summary>
    public static IReadOnlyList<(ImportField Field, string Name, string[] Headers)> Fields { get; } =
    [
        (ImportField.ExternalId, "编号", ["编号", "留言编号", "工单号", "工单编号", "诉求编号"]),
        (ImportField.Title, "标题", ["标题", "留言主题", "主题", "诉求标题"]),
        (ImportField.Content, "内容", ["内容", "留言详情", "诉求内容", "详情", "问题描述"]),
        (ImportField.Category, "分类", ["分类", "诉求分类", "一级分类", "一级标签", "类别"]),
        (ImportField.Region, "区域", ["区域", "所属区域", "区域代码"]),
        (ImportField.ContactName, "联系人", ["联系人", "联系人姓名", "姓名"]),
        (ImportField.ContactPhone, "电话", ["电话", "联系电话", "手机", "手机号"]),
        (ImportField.EnterpriseName, "企业", ["企业", "企业名称"]),
        (ImportField.EnterpriseCode, "信用代码", ["统一社会信用代码", "信用代码"]),
        (ImportField.ReceivedAt, "收到时间", ["收到时间", "留言时间", "受理时间", "来件时间", "提交时间"]),
        (ImportField.Reply, "答复", ["答复", "答复意见", "回复", "回复内容"]),
        (ImportField.RepliedAt, "答复时间", ["答复时间", "回复时间"]),
        (ImportField.Likes, "点赞数", ["点赞数"]),
        (ImportField.Dislikes, "反对数", ["反对数"]),
    ];

    /// <summary>The field's Chinese name.</summary>
    public static string NameOf(ImportField field) => Fields.First(f => f.Field == field).Name;

    /// <summary>Guesses from the header, then applies overrides written <c>字段=表头</c> (or <c>字段=C</c> for a column
    /// letter; <c>字段=</c> unmaps). Throws <see cref="ValidationFailedException"/> on the field <c>map</c>.</summary>
    public static ColumnMapping Guess(IReadOnlyList<string> header, IEnumerable<string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var columns = new Dictionary<ImportField, int>();
        foreach (var (field, _, names) in Fields)
        {
            var index = Enumerable.Range(0, header.Count).FirstOrDefault(i => names.Contains(header[i].Trim(), StringComparer.Ordinal), -1);
            if (index >= 0)
            {
                columns[field] = index;
            }
        }

        var errors = new List<string>();
        foreach (var text in overrides ?? [])
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? text.Trim() : text[..eq].Trim();
            var source = eq < 0 ? string.Empty : text[(eq + 1)..].Trim();
            var entry = Fields.FirstOrDefault(f => f.Name == name || string.Equals(f.Field.ToString(), name, StringComparison.OrdinalIgnoreCase));
            if (entry.Name is null)
            {
                errors.Add($"未知字段「{name}」，可用：{string.Join("、", Fields.Select(f => f.Name))}。");
                continue;
            }

            if (source.Length == 0)
            {
                columns.Remove(entry.Field);
                continue;
            }

            var column = Enumerable.Range(0, header.Count).FirstOrDefault(i => string.Equals(header[i].Trim(), source, StringComparison.Ordinal), -1);
            if (column < 0 && CellValues.ColumnIndex(source) is var letter and >= 0)
            {
                column = letter;
            }

            if (column < 0)
            {
                errors.Add($"「{name}={source}」：表头中没有列「{source}」；表头有：{string.Join("、", header.Where(h => h.Length > 0))}。");
                continue;
            }

            columns[entry.Field] = column;
        }

        return errors.Count > 0
            ? throw new ValidationFailedException(new Dictionary<string, string[]> { ["map"] = errors.ToArray() })
            : new ColumnMapping(columns);
    }

    /// <summary>The mapping as people read it: <c>标题=留言主题(C)</c>, one per mapped field.</summary>
    public IEnumerable<string> Describe(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Fields.Where(f => Columns.ContainsKey(f.Field))
            .Select(f => $"{f.Name}={(Columns[f.Field] < header.Count ? header[Columns[f.Field]] : string.Empty)}({CellValues.ColumnName(Columns[f.Field])})");
    }
}

/// <summary>What happened to one row.</summary>
public enum RowOutcome
{
    /// <summary>Saved as a new appeal.</summary>
    Saved,

    /// <summary>Imported before (same key); nothing written.</summary>
    AlreadyImported,

    /// <summary>Dry run: the row would be saved.</summary>
    Valid,

    /// <summary>Refused, with the reason and the cell.</summary>
    Rejected,
}

/// <summary>One line of the row-by-row report.</summary>
/// <param name="Row">The row number in the sheet.</param>
/// <param name="Outcome">Saved, imported before, valid (dry run) or rejected.</param>
/// <param name="Cell">The A1 reference of the offending cell, or null for the whole row.</param>
/// <param name="Reason">Why it was rejected, in Chinese.</param>
/// <param name="TrackingCode">The appeal's 查询码 when saved or found.</param>
public sealed record ImportRowResult(int Row, RowOutcome Outcome, string? Cell = null, string? Reason = null, string? TrackingCode = null);

/// <summary>Progress of a long import: rows done so far.</summary>
public sealed record ImportProgress(int Done, int Saved, int Rejected);

/// <summary>The report of a dry run or an import.</summary>
public sealed record AppealImportReport(bool DryRun, string? Sheet, IReadOnlyList<string> IgnoredSheets, string? Encoding,
    IReadOnlyList<string> Mapping, IReadOnlyList<ImportRowResult> Rows)
{
    public int Saved => Rows.Count(r => r.Outcome == RowOutcome.Saved);
    public int AlreadyImported => Rows.Count(r => r.Outcome == RowOutcome.AlreadyImported);
    public int Valid => Rows.Count(r => r.Outcome == RowOutcome.Valid);
    public int Rejected => Rows.Count(r => r.Outcome == RowOutcome.Rejected);

    /// <summary>One line: what was done, counted.</summary>
    public string Summary => DryRun
        ? FormattableString.Invariant($"试导入（未保存）：共 {Rows.Count} 行，可导入 {Valid}，已导入过 {AlreadyImported}，有误 {Rejected}")
        : FormattableString.Invariant($"导入完成：共 {Rows.Count} 行，新保存 {Saved}，已导入过 {AlreadyImported}，拒绝 {Rejected}");
}

/// <summary>How to import: dry run or not, history or new appeals.</summary>
/// <param name="DryRun">Check every row, save nothing.</param>
/// <param name="Historical">Rows are past, closed appeals: 收到时间, 答复 and 答复时间 are required, and each appeal is
/// stored closed with those instants.</param>
public sealed record AppealImportOptions(bool DryRun = false, bool Historical = false);

/// <summary>
/// 批量导入诉求: maps a sheet's columns to appeal fields, checks every row and registers the good ones through
/// <see cref="AppealIntake"/> (channel 导入), <see cref="BatchRows"/> at a time under a savepoint of the chunk's
/// transaction (a batch whose write fails goes again one row at a time), so a failure never leaves half a row and the
/// report says exactly which rows were saved. Each row's key (its 编号, else a hash of its mapped cells) is the
/// appeal's idempotency key, so the same file twice saves nothing new.
/// </summary>
public sealed class AppealImport(DubanDbContext db, AppealIntake intake)
{
    /// <summary>The client id import keys are stored under: one for every importer, so a file imported by the web
    /// page and again by the CLI still saves each row once.</summary>
    public const string Client = "import";

    private static readonly Dictionary<string, ImportField> ErrorFields = new(StringComparer.Ordinal)
    {
        ["title"] = ImportField.Title,
        ["content"] = ImportField.Content,
        ["category"] = ImportField.Category,
        ["region"] = ImportField.Region,
        ["contactName"] = ImportField.ContactName,
        ["contactPhone"] = ImportField.ContactPhone,
        ["enterpriseName"] = ImportField.EnterpriseName,
        ["enterpriseCode"] = ImportField.EnterpriseCode,
        ["receivedAt"] = ImportField.ReceivedAt,
        ["reply"] = ImportField.Reply,
        ["repliedAt"] = ImportField.RepliedAt,
        ["likes"] = ImportField.Likes,
    };

    /// <summary>Rows registered together (<see cref="AppealIntake.RegisterManyAsync"/>): one look-up and one multi-row
    /// INSERT per table for this many rows, where a row alone cost about a dozen statements.</summary>
    public const int BatchRows = 1000;

    public async Task<AppealImportReport> RunAsync(Spreadsheet sheet, ColumnMapping mapping, AppealImportOptions options, Actor actor,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(actor);
        CheckMapping(mapping, options);
        var importer = new Actor(Client, $"批量导入（{actor.Name}）", actor.UnitId, actor.Roles);
        var results = new List<ImportRowResult>();
        int saved = 0, rejected = 0;
        var chunk = new WriteChunks(db, options.DryRun);

        // The next rows are read and parsed (one core) while the rows before are checked and written (the other core and
        // the database): at most one read batch waits, so memory stays flat.
        var reads = Channel.CreateBounded<ReadBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAsync(sheet, mapping, options, importer, reads.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var read in reads.Reader.ReadAllAsync(cancellationToken))
            {
                if (read.Appeals.Count > 0)
                {
                    await chunk.BeginAsync(cancellationToken);
                    foreach (var (index, result) in await RegisterAsync(read.Appeals, mapping, options.DryRun, cancellationToken))
                    {
                        read.Results[index - read.First] = result;
                        saved += result.Outcome is RowOutcome.Saved or RowOutcome.Valid ? 1 : 0;
                    }

                    await chunk.EndRowsAsync(read.Appeals.Count, cancellationToken);
                }

                rejected += read.Results.Count(r => r!.Outcome == RowOutcome.Rejected);
                results.AddRange(read.Results.Select(r => r!));
                progress?.Report(new ImportProgress(results.Count, saved, rejected));
            }

            await reading; // a failed read (a damaged file) is thrown here
            await chunk.CommitAsync(cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await chunk.DisposeAsync();
        }

        progress?.Report(new ImportProgress(results.Count, saved, rejected));
        return new AppealImportReport(options.DryRun, sheet.Sheet, sheet.IgnoredSheets, sheet.Encoding, mapping.Describe(sheet.Header).ToList(), results);
    }

    /// <summary>Rows read and parsed together: the results known so far (the rejected rows'; null for an appeal to
    /// register) of rows <see cref="First"/> on, and the appeals.</summary>
    private sealed record ReadBatch(int First, ImportRowResult?[] Results, List<Parsed> Appeals);

    /// <summary>Reads and parses the sheet's rows into batches of <see cref="BatchRows"/> appeals (or of four times as
    /// many rows, so a file of bad rows still shows progress).</summary>
    private static async Task ReadAsync(Spreadsheet sheet, ColumnMapping mapping, AppealImportOptions options, Actor importer,
        ChannelWriter<ReadBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            var seenKeys = new HashSet<string>(StringComparer.Ordinal);
            var results = new List<ImportRowResult?>();
            var appeals = new List<Parsed>(BatchRows);
            var first = 0;
            foreach (var row in sheet.Rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var parsed = Parse(row, mapping, options, importer, seenKeys, first + results.Count);
                results.Add(parsed.Rejected);
                if (parsed.Rejected is null)
                {
                    appeals.Add(parsed);
                }

                if (appeals.Count == BatchRows || results.Count == 4 * BatchRows)
                {
                    await batches.WriteAsync(new ReadBatch(first, [.. results], appeals), cancellationToken);
                    first += results.Count;
                    results.Clear();
                    appeals = new List<Parsed>(BatchRows);
                }
            }

            if (results.Count > 0)
            {
                await batches.WriteAsync(new ReadBatch(first, [.. results], appeals), cancellationToken);
            }
        }
        finally
        {
            batches.Complete(); // a failed read is thrown where the reading task is awaited, as itself
        }
    }

    /// <summary>A row read: rejected already, or an appeal to register.</summary>
    private sealed record Parsed(int Index, int Row, ImportRowResult? Rejected, AppealInput? Input = null, Intake? Intake = null);

    /// <summary>Registers a batch of rows together; should the batch's write fail (someone importing the same file at
    /// the same moment took a key), it is rolled back to its savepoint and its rows registered one at a time.</summary>
    private async Task<List<(int Index, ImportRowResult Result)>> RegisterAsync(List<Parsed> batch, ColumnMapping mapping, bool dryRun,
        CancellationToken cancellationToken)
    {
        var items = batch.Select(p => (p.Input!, p.Intake!)).ToList();
        IReadOnlyList<AppealIntake.Outcome> outcomes;
        if (dryRun)
        {
            outcomes = await intake.RegisterManyAsync(items, true, cancellationToken);
        }
        else
        {
            var transaction = db.Database.CurrentTransaction!;
            var mark = AuditTrail.Mark(db);
            await transaction.CreateSavepointAsync(Savepoint, cancellationToken);
            try
            {
                outcomes = await intake.RegisterManyAsync(items, false, cancellationToken);
                await transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
            }
            catch (Exception e) when (e is DbException or DbUpdateException)
            {
                await transaction.RollbackToSavepointAsync(Savepoint, cancellationToken);
                AuditTrail.RollBack(db, mark);
                db.ChangeTracker.Clear();
                outcomes = await OneAtATimeAsync(items, cancellationToken);
            }
        }

        return [.. batch.Select((p, i) => (p.Index, Result(p.Row, outcomes[i], mapping, dryRun)))];
    }

    private const string Savepoint = "duban_import";

    private async Task<List<AppealIntake.Outcome>> OneAtATimeAsync(List<(AppealInput Input, Intake Intake)> items, CancellationToken cancellationToken)
    {
        var outcomes = new List<AppealIntake.Outcome>(items.Count);
        foreach (var (input, request) in items)
        {
            try
            {
                outcomes.Add(new AppealIntake.Outcome(await intake.RegisterAsync(input, request, cancellationToken), null));
            }
            catch (Exception e) when (e is ValidationFailedException or RuleConflictException or DbUpdateException)
            {
                // EF Core rolled a failed row back to its savepoint: the chunk goes on.
                outcomes.Add(new AppealIntake.Outcome(null, e));
            }
            finally
            {
                db.ChangeTracker.Clear(); // one row's entities never outlive it: memory stays flat
            }
        }

        return outcomes;
    }

    /// <summary>The report line of a registered (or checked) row.</summary>
    private static ImportRowResult Result(int row, AppealIntake.Outcome outcome, ColumnMapping mapping, bool dryRun)
    {
        string? Cell(ImportField field) => mapping.Columns.TryGetValue(field, out var c) ? CellValues.Reference(c, row) : null;
        switch (outcome.Refused)
        {
            case null when outcome.Registered is { } registered:
                return new ImportRowResult(row, registered.Created ? RowOutcome.Saved : RowOutcome.AlreadyImported, TrackingCode: registered.TrackingCode);
            case null:
                return new ImportRowResult(row, dryRun ? RowOutcome.Valid : RowOutcome.Saved);
            case ValidationFailedException ex:
                var field = ex.Errors.Keys.First();
                return new ImportRowResult(row, RowOutcome.Rejected, ErrorFields.TryGetValue(field, out var f) ? Cell(f) : null,
                    string.Join(" ", ex.Errors.SelectMany(e => e.Value)));
            case RuleConflictException ex:
                return new ImportRowResult(row, RowOutcome.Rejected, Cell(ImportField.ExternalId), $"此编号已导入过，但内容不同：{ex.Message}");
            case DbUpdateException:
                // Most likely the same file being imported at the same moment by someone else won the key.
                return new ImportRowResult(row, RowOutcome.Rejected, null, "此行保存失败（可能有人正同时导入同一文件）；稍后重新导入即可，不会重复。");
            default:
                throw outcome.Refused; // not the row's fault (the importer may not receive appeals): the import stops
        }
    }

    private static void CheckMapping(ColumnMapping mapping, AppealImportOptions options)
    {
        var required = new List<ImportField> { ImportField.Title, ImportField.Content };
        if (options.Historical)
        {
            required.AddRange([ImportField.ReceivedAt, ImportField.Reply, ImportField.RepliedAt]);
        }

        var missing = required.Where(f => !mapping.Columns.ContainsKey(f)).Select(ColumnMapping.NameOf).ToList();
        if (missing.Count > 0)
        {
            throw ValidationFailedException.For("map", $"未对应必需的字段：{string.Join("、", missing)}。请用「字段=表头」指定。");
        }
    }

    /// <summary>Reads a row into an appeal to register, or rejects it for what the row alone shows.</summary>
    private static Parsed Parse(SheetRow row, ColumnMapping mapping, AppealImportOptions options, Actor importer, HashSet<string> seenKeys, int index)
    {
        Parsed Rejected(ImportRowResult result) => new(index, row.Number, result);
        string? Cell(ImportField field) => mapping.Columns.TryGetValue(field, out var c) ? CellValues.Reference(c, row.Number) : null;
        object? Value(ImportField field) => mapping.Columns.TryGetValue(field, out var c) ? row[c] : null;
        string? Text(ImportField field) => CellValues.Text(Value(field));
        ImportRowResult Reject(ImportField? field, string reason) => new(row.Number, RowOutcome.Rejected, field is { } f ? Cell(f) : null, reason);

        DateTimeOffset? Instant(ImportField field, out ImportRowResult? error)
        {
            error = null;
            var value = Value(field);
            if (CellValues.Text(value) is null)
            {
                return null;
            }

            if (CellValues.TryParseInstant(value, out var instant))
            {
                return instant;
            }

            error = Reject(field, $"{ColumnMapping.NameOf(field)}「{CellValues.Text(value)}」不是可识别的时间（如 2024-03-01 09:00、2024/3/1、2024年3月1日）。");
            return null;
        }

        int? Count(ImportField field, out ImportRowResult? error)
        {
            error = null;
            var text = Text(field);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            error = Reject(field, $"{ColumnMapping.NameOf(field)}「{text}」应为非负整数。");
            return null;
        }

        var receivedAt = Instant(ImportField.ReceivedAt, out var bad) ;
        if (bad is not null)
        {
            return Rejected(bad);
        }

        var repliedAt = Instant(ImportField.RepliedAt, out bad);
        if (bad is not null)
        {
            return Rejected(bad);
        }

        var likes = Count(ImportField.Likes, out bad);
        if (bad is not null)
        {
            return Rejected(bad);
        }

        var dislikes = Count(ImportField.Dislikes, out bad);
        if (bad is not null)
        {
            return Rejected(bad);
        }

        var reply = Text(ImportField.Reply);
        if (options.Historical)
        {
            foreach (var (field, present) in new[] { (ImportField.ReceivedAt, receivedAt is not null), (ImportField.Reply, reply is not null), (ImportField.RepliedAt, repliedAt is not null) })
            {
                if (!present)
                {
                    return Rejected(Reject(field, $"历史诉求必须有{ColumnMapping.NameOf(field)}。"));
                }
            }

            if (repliedAt < receivedAt)
            {
                return Rejected(Reject(ImportField.RepliedAt, "答复时间早于收到时间。"));
            }
        }
        else if (reply is not null || repliedAt is not null)
        {
            return Rejected(Reject(reply is not null ? ImportField.Reply : ImportField.RepliedAt, "新诉求不能带答复；导入已办结的历史诉求请选择「历史诉求」（--historical）。"));
        }

        var input = new AppealInput
        {
            Title = Text(ImportField.Title),
            Content = Text(ImportField.Content),
            Category = Text(ImportField.Category),
            Region = Text(ImportField.Region),
            ContactName = Text(ImportField.ContactName),
            ContactPhone = Text(ImportField.ContactPhone),
            EnterpriseName = Text(ImportField.EnterpriseName),
            EnterpriseCode = Text(ImportField.EnterpriseCode),
            Likes = likes,
            Dislikes = dislikes,
        };
        var key = Key(row, mapping, Text(ImportField.ExternalId));
        if (!seenKeys.Add(key))
        {
            return Rejected(Reject(Text(ImportField.ExternalId) is null ? null : ImportField.ExternalId, "与本文件前面的一行重复（同一编号或完全相同的内容）。"));
        }

        var request = new Intake(importer, MatterSource.Import)
        {
            IdempotencyKey = key,
            ReceivedAt = receivedAt,
            Closed = options.Historical ? new AppealReply(repliedAt!.Value, reply!) : null,
        };

        return new Parsed(index, row.Number, null, input, request);
    }

    /// <summary>The row's idempotency key: its 编号 when mapped, else a hash of every mapped cell (so the same row
    /// in a re-exported file, wherever it sits, is still the same row).</summary>
    private static string Key(SheetRow row, ColumnMapping mapping, string? externalId)
    {
        if (externalId is not null)
        {
            return "id:" + externalId;
        }

        var text = string.Join('\u001F', mapping.Columns.OrderBy(c => c.Key).Select(c => $"{c.Key}={CellValues.Text(row[c.Value])}"));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
