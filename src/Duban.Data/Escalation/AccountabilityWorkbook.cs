using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;

namespace Duban.Data;

/// <summary>
/// The accountability list (问责清单) as an .xlsx workbook, one row per entry with Chinese column headers; the API's
/// download and <c>duban accountability export</c> both write it from <see cref="AccountabilityList.ListAsync"/>,
/// so they hold the same rows the caller may see.
/// </summary>
public static class AccountabilityWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string SheetName = "问责清单";

    public static async Task WriteAsync(Stream stream, IEnumerable<AccountabilityView> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(entries);
        var rows = entries.Select(e => new Row
        {
            Id = e.Id,
            MatterCode = e.MatterCode,
            MatterTitle = e.MatterTitle,
            Unit = e.Unit.Name,
            Responsible = e.Responsible ?? "",
            Reason = Labels.Of(e.Reason),
            Stage = e.Stage is { } stage ? Labels.Of(stage) : "",
            Status = Labels.Of(e.Status),
            CreatedAt = When(e.CreatedAt),
            Note = e.Note ?? "",
            History = string.Join("；", e.History.Select(h => $"{When(h.At)} {h.ActorName} {Labels.Of(h.Status)}{(h.Note is null ? "" : "：" + h.Note)}")),
        }).ToList();
        await stream.SaveAsAsync(rows, sheetName: SheetName, cancellationToken: cancellationToken);
    }

    private static string When(DateTimeOffset at) => ChinaTime.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>One sheet row; text cells, so times read the same in every spreadsheet program and time zone.</summary>
    private sealed class Row
    {
        [ExcelColumnName("编号")] public long Id { get; init; }
        [ExcelColumnName("事项编号")] public required string MatterCode { get; init; }
        [ExcelColumnName("事项")] public required string MatterTitle { get; init; }
        [ExcelColumnName("责任单位")] public required string Unit { get; init; }
        [ExcelColumnName("责任人")] public required string Responsible { get; init; }
        [ExcelColumnName("原因")] public required string Reason { get; init; }
        [ExcelColumnName("节点")] public required string Stage { get; init; }
        [ExcelColumnName("状态")] public required string Status { get; init; }
        [ExcelColumnName("登记时间")] public required string CreatedAt { get; init; }
        [ExcelColumnName("备注")] public required string Note { get; init; }
        [ExcelColumnName("处理记录")] public required string History { get; init; }
    }
}
