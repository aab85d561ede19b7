using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace Duban.Web.Pages.Lists;

/// <summary>An xlsx download of a list, written by MiniExcel with Chinese column headings.</summary>
public static class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static async Task<FileContentResult> FileAsync(string fileName, string sheet, IEnumerable<IDictionary<string, object?>> rows,
        CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await MiniExcel.SaveAsAsync(stream, rows, sheetName: sheet, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
        return new FileContentResult(stream.ToArray(), ContentType) { FileDownloadName = fileName };
    }
}
