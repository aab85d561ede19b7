using System.Collections.Concurrent;
using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Duban.Data;

/// <summary>
/// The matter ledger (事项台账): every matter the reader may see (all kinds, not only appeals), assigned in a period or
/// ever, one row each with its units, status and the three deadlines with when they were met. Streamed: the rows come
/// from a keyset-paged query (<see cref="PageSize"/> matters at a time, never the whole table in memory) and go
/// straight into MiniExcel's streaming writer, so a million rows stay within a few hundred megabytes.
/// </summary>
public sealed class MatterLedger(DubanDbContext db, TimeProvider clock, MatterQueries queries)
{
    public const string ContentType = ReviewWorkbook.ContentType;
    public const string SheetName = "事项台账";

    /// <summary>Matters read per query.</summary>
    public const int PageSize = 2000;

    private static readonly int StageCount = Enum.GetValues<Stage>().Length;

    /// <summary>The column heads, in order.</summary>
    public static readonly IReadOnlyList<string> Heads =
    [
        "编号", "标题", "类型", "来源", "交办单位", "牵头单位", "配合单位", "状态", "交办时间",
        "签收期限", "签收时间", "反馈期限", "反馈时间", "办结期限", "办结时间", "是否超期", "满意度", "销号时间",
    ];

    /// <summary>The file name of a work list's export: 事项清单-2024-03-01.xlsx (the day it was written, Beijing time).</summary>
    public static string ListFileName(DateTimeOffset now) => $"事项清单-{ChinaTime.DateOf(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.xlsx";

    /// <summary>The file name offered for download: 2024年3月事项台账.xlsx, or 事项台账.xlsx for all matters.</summary>
    public static string FileName(ReviewPeriod? period) => period is null ? "事项台账.xlsx" : $"{period.Label}事项台账.xlsx";

    /// <summary>
    /// Writes the ledger. MiniExcel's synchronous writer is used (its asynchronous one misplaces the sheet's drawing),
    /// so <paramref name="stream"/> must accept synchronous writes: a file or a memory stream, not a response body.
    /// </summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="period">Only matters assigned in it; null for all.</param>
    /// <param name="actor">Who reads: only the matters they may see.</param>
    /// <param name="cancellationToken">Checked between pages.</param>
    /// <returns>The number of matters written.</returns>
    public async Task<long> WriteAsync(Stream stream, ReviewPeriod? period, Actor actor, CancellationToken cancellationToken = default) =>
        await WriteAsync(stream, period, actor, MaxRowsPerSheet, cancellationToken);

    /// <summary>The rows a sheet holds below its head: Excel's limit of 1,048,576 rows less one.</summary>
    public const int MaxRowsPerSheet = 1_048_575;

    /// <summary>Writes the ledger, <paramref name="rowsPerSheet"/> matters to a sheet (事项台账, 事项台账（2）, …).</summary>
    public async Task<long> WriteAsync(Stream stream, ReviewPeriod? period, Actor actor, int rowsPerSheet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await WriteQueryAsync(stream, await QueryAsync(period, actor, cancellationToken), rowsPerSheet, cancellationToken);
    }

    /// <summary>
    /// Writes the matters a list's filter keeps (the work list's 导出 Excel: its tab, keyword, units, status, dates and
    /// person; the order and the page are ignored, the rows follow the codes' order of assignment). The same
    /// synchronous-stream rule as <see cref="WriteAsync(Stream, ReviewPeriod?, Actor, CancellationToken)"/>.
    /// </summary>
    /// <returns>The number of matters written.</returns>
    public async Task<long> WriteFilteredAsync(Stream stream, MatterFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var matters = (await queries.QueryAsync(filter, actor, cancellationToken)).AsNoTracking();
        return await WriteQueryAsync(stream, matters, MaxRowsPerSheet, cancellationToken);
    }

    private async Task<long> WriteQueryAsync(Stream stream, IQueryable<Matter> matters, int rowsPerSheet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerSheet, 1);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var expected = await matters.LongCountAsync(cancellationToken);
        var sheets = (int)Math.Max(1, (expected + rowsPerSheet - 1) / rowsPerSheet);
        var now = clock.GetUtcNow();
        long count = 0;

        // The pages are read on one thread while the writer compresses on another: the two costs overlap on two cores.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var pages = new BlockingCollection<IDictionary<string, object?>>(boundedCapacity: 2 * PageSize);
        var reader = Task.Run(() =>
        {
            try
            {
                foreach (var row in Rows(matters, units, now, stop.Token))
                {
                    pages.Add(row, stop.Token);
                }
            }
            finally
            {
                pages.CompleteAdding();
            }
        }, stop.Token);
        using var rows = pages.GetConsumingEnumerable(stop.Token).GetEnumerator();

        // Each sheet takes the next rows from the one paged enumeration; the last takes whatever is left (also rows
        // added since the count).
        IEnumerable<IDictionary<string, object?>> Sheet(int index)
        {
            var taken = 0;
            while ((index == sheets - 1 || taken < rowsPerSheet) && rows.MoveNext())
            {
                taken++;
                count++;
                yield return rows.Current;
            }

            if (taken == 0)
            {
                // Without a row the writer has no columns: one line says why the ledger is empty, under the heads.
                yield return Heads.ToDictionary(h => h, h => (object?)(h == "标题" ? NothingNote : ""));
            }
        }

        var workbook = Enumerable.Range(0, sheets).ToDictionary(
            i => i == 0 ? SheetName : string.Create(CultureInfo.InvariantCulture, $"{SheetName}（{i + 1}）"), i => (object)Sheet(i));
        try
        {
            await Task.Run(() => stream.SaveAs(workbook, configuration: Configuration), cancellationToken);
        }
        catch
        {
            await stop.CancelAsync(); // the reader may be waiting for room
            throw;
        }
        finally
        {
            try
            {
                await reader; // its failure (a lost connection) is the reason the rows ended early
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped because the writer failed: the writer's exception is the one that matters.
            }
        }

        return count;
    }

    /// <summary>The one line of a ledger with no matters.</summary>
    public const string NothingNote = "没有符合条件的事项。";

    /// <summary>The ledger's rows, column head to cell text, keyset-paged from the database as they are enumerated.</summary>
    public async Task<IEnumerable<IDictionary<string, object?>>> RowsAsync(ReviewPeriod? period, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var matters = await QueryAsync(period, actor, cancellationToken);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return Rows(matters, units, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<IQueryable<Matter>> QueryAsync(ReviewPeriod? period, Actor actor, CancellationToken cancellationToken)
    {
        var matters = (await VisibleMatters.QueryAsync(db, actor, cancellationToken)).AsNoTracking();
        if (period is not null)
        {
            var (start, end) = (ChinaTime.StartOf(period.From), ChinaTime.EndOf(period.To));
            matters = matters.Where(m => m.AssignedAt >= start && m.AssignedAt < end);
        }

        return matters;
    }

    private static readonly OpenXmlConfiguration Configuration = new()
    {
        DynamicColumns =
        [
            new("编号") { Width = 17 },
            new("标题") { Width = 36 },
            new("类型") { Width = 9 },
            new("来源") { Width = 9 },
            new("交办单位") { Width = 18 },
            new("牵头单位") { Width = 18 },
            new("配合单位") { Width = 24 },
            new("状态") { Width = 8 },
            .. new[] { "交办时间", "签收期限", "签收时间", "反馈期限", "反馈时间", "办结期限", "办结时间", "销号时间" }
                .Select(h => new DynamicExcelColumn(h) { Width = 17 }),
            new("是否超期") { Width = 9 },
            new("满意度") { Width = 9 },
        ],
    };

    private IEnumerable<IDictionary<string, object?>> Rows(IQueryable<Matter> matters, Dictionary<long, string> units, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        long last = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = matters.Where(m => m.Id > last).OrderBy(m => m.Id).Take(PageSize)
                .Select(m => new
                {
                    m.Id, m.Code, m.Title, m.Kind, m.Source, m.AssignerUnitId, m.LeadUnitId, m.Status, m.AssignedAt,
                    m.Satisfaction, m.ClosedAt, m.NextDueAt,
                })
                .ToList();
            if (page.Count == 0)
            {
                yield break;
            }

            last = page[^1].Id;
            // A dense page's milestones and co-units by the range of its ids (an index range: a list of 2,000 ids took the
            // engines longer than the page itself); a sparse page's (a unit's matters among everyone's) by the list.
            var (first, lastId) = (page[0].Id, page[^1].Id);
            var ids = page.Select(m => m.Id).ToList();
            var dense = lastId - first < 2L * page.Count;
            var milestones = new Dictionary<long, (DateTimeOffset DueAt, DateTimeOffset? MetAt)[]>(page.Count);
            foreach (var x in (dense
                         ? db.Milestones.AsNoTracking().Where(x => x.MatterId >= first && x.MatterId <= lastId)
                         : db.Milestones.AsNoTracking().Where(x => ids.Contains(x.MatterId)))
                     .Select(x => new { x.MatterId, x.Stage, x.DueAt, x.MetAt }))
            {
                // One row per matter and stage (a unique index): the stage's due date and when it was met.
                if (!milestones.TryGetValue(x.MatterId, out var stages))
                {
                    milestones[x.MatterId] = stages = new (DateTimeOffset, DateTimeOffset?)[StageCount];
                }

                stages[(int)x.Stage] = (x.DueAt, x.MetAt);
            }

            var coUnits = (dense
                    ? db.MatterCoUnits.AsNoTracking().Where(c => c.MatterId >= first && c.MatterId <= lastId)
                    : db.MatterCoUnits.AsNoTracking().Where(c => ids.Contains(c.MatterId)))
                .Select(c => new { c.MatterId, c.UnitId, c.Position })
                .ToList()
                .GroupBy(c => c.MatterId)
                .ToDictionary(g => g.Key, g => string.Join("、", g.OrderBy(c => c.Position).Select(c => units.GetValueOrDefault(c.UnitId, ""))));
            foreach (var m in page)
            {
                var stages = milestones.GetValueOrDefault(m.Id);
                string Due(Stage stage) => stages?[(int)stage] is { DueAt: var due } && due != default ? When(due) : "";
                string Met(Stage stage) => stages?[(int)stage].MetAt is { } at ? When(at) : "";
                var late = MatterConditions.IsOverdue(m.NextDueAt, now)
                    || (stages?.Any(x => x.MetAt is { } met && met > x.DueAt) ?? false);
                var row = new Dictionary<string, object?>
                {
                    ["编号"] = m.Code,
                    ["标题"] = m.Title,
                    ["类型"] = Labels.Of(m.Kind),
                    ["来源"] = Labels.Of(m.Source),
                    ["交办单位"] = units.GetValueOrDefault(m.AssignerUnitId, ""),
                    ["牵头单位"] = units.GetValueOrDefault(m.LeadUnitId, ""),
                    ["配合单位"] = coUnits.GetValueOrDefault(m.Id, ""),
                    ["状态"] = Labels.Of(m.Status),
                    ["交办时间"] = When(m.AssignedAt),
                    ["签收期限"] = Due(Stage.Acknowledge),
                    ["签收时间"] = Met(Stage.Acknowledge),
                    ["反馈期限"] = Due(Stage.Feedback),
                    ["反馈时间"] = Met(Stage.Feedback),
                    ["办结期限"] = Due(Stage.Complete),
                    ["办结时间"] = Met(Stage.Complete),
                    ["是否超期"] = late ? "是" : "否",
                    ["满意度"] = m.Satisfaction is { } s ? Labels.Of(s) : "",
                    ["销号时间"] = m.ClosedAt is { } closed ? When(closed) : "",
                };
                yield return row;
            }
        }
    }

    /// <summary>Beijing time as text, so it reads the same in every spreadsheet program and time zone.</summary>
    private static string When(DateTimeOffset at) => ChinaTime.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
