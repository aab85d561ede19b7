using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Duban.Web.Jobs;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace Duban.Web.Pages.Import;

/// <summary>
/// 批量导入诉求: upload → column mapping → dry run (a report, nothing saved) → import, both run in the background with
/// progress polled by the page → the report, downloadable as xlsx. After a dry run, "按此映射导入" imports the same
/// file with the mapping just checked. Supervision office and admins only.
/// </summary>
[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
public sealed class AppealsModel(ImportWorker worker, ImportRuns batches) : FormPageModel
{
    public const int MaxUpload = 50 * 1024 * 1024;

    public string? Error { get; private set; }
    public IReadOnlyList<string> Header { get; private set; } = [];
    public IReadOnlyDictionary<ImportField, int> Guessed { get; private set; } = new Dictionary<ImportField, int>();
    public string? SheetName { get; private set; }
    public IReadOnlyList<string> IgnoredSheets { get; private set; } = [];
    public ImportRunView? Batch { get; private set; }

    [BindProperty]
    public string? Upload { get; set; }

    [BindProperty]
    public string? FileName { get; set; }

    [BindProperty]
    public string? Sheet { get; set; }

    [BindProperty]
    public bool Historical { get; set; }

    public async Task<IActionResult> OnGetAsync(long? batch, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        if (batch is { } id)
        {
            Batch = await batches.GetAsync(id, User.ToActor(), cancellationToken);
            MayImportChecked = Batch is { DryRun: true, Finished: true, Error: null } && worker.HasChecked(id, User.ToActor());
        }

        return Page();
    }

    /// <summary>Whether the batch shown is a finished dry run whose file and mapping can be imported as checked.</summary>
    public bool MayImportChecked { get; private set; }

    /// <summary>按此映射导入: imports the dry run's file with the mapping it checked, without a new upload.</summary>
    public async Task<IActionResult> OnPostImportCheckedAsync(long batch, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        if (await worker.TakeCheckedAsync(batch, User.ToActor(), batches, cancellationToken) is { } id)
        {
            return RedirectToPage(new { batch = id });
        }

        Error = "试导入的文件已失效（已导入、超过一天或服务已重启），请重新上传。";
        return Page();
    }

    /// <summary>The progress the page polls: rows done, saved, rejected, and whether it has finished.</summary>
    public async Task<IActionResult> OnGetProgressAsync(long batch, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        var b = await batches.GetAsync(batch, User.ToActor(), cancellationToken);
        return new JsonResult(new { b.Done, b.Saved, b.Rejected, b.Finished, b.Error });
    }

    /// <summary>The report as xlsx: one line per row.</summary>
    public async Task<IActionResult> OnGetReportAsync(long batch, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        var report = (await batches.GetAsync(batch, User.ToActor(), cancellationToken)).Report ?? throw new NotFoundException("报告尚未生成。");
        var rows = report.Rows.Select(r => new Dictionary<string, object?>
        {
            ["行号"] = r.Row,
            ["结果"] = r.Outcome switch { RowOutcome.Saved => "已保存", RowOutcome.AlreadyImported => "已导入过", RowOutcome.Valid => "可导入", _ => "拒绝" },
            ["单元格"] = r.Cell,
            ["原因"] = r.Reason,
            ["查询码"] = r.TrackingCode,
        });
        var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows, sheetName: "导入报告", cancellationToken: cancellationToken);
        buffer.Position = 0;
        return File(buffer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FormattableString.Invariant($"import-report-{batch}.xlsx"));
    }

    /// <summary>Step 1: keep the upload, read its header, and show the guessed mapping.</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Error = "请选择要导入的 xlsx 或 CSV 文件。";
            return Page();
        }

        Directory.CreateDirectory(ImportWorker.Folder);
        Upload = Guid.NewGuid().ToString("N") + (Path.GetExtension(file.FileName).ToLowerInvariant() is ".csv" ? ".csv" : ".xlsx");
        FileName = Path.GetFileName(file.FileName);
        await using (var target = System.IO.File.Create(UploadPath(Upload)!))
        {
            await file.CopyToAsync(target, cancellationToken);
        }

        return ReadHeader();
    }

    /// <summary>Step 2: start a dry run or the import with the chosen mapping.</summary>
    public async Task<IActionResult> OnPostStartAsync(bool dryRun, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        if (UploadPath(Upload) is not { } path || !System.IO.File.Exists(path))
        {
            Error = "上传的文件已失效，请重新上传。";
            return Page();
        }

        // The form sends each field's column index, or nothing to leave it unmapped; as overrides they read 标题=C.
        var map = ColumnMapping.Fields.Select(f => int.TryParse(Request.Form["map-" + f.Field].ToString(), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var column) && column < 16384
            ? $"{f.Name}={Tabular.CellValues.ColumnName(column)}"
            : $"{f.Name}=").ToList();
        var actor = User.ToActor();
        var options = new AppealImportOptions(dryRun, Historical);
        var id = await batches.StartAsync(FileName ?? "upload", options, actor, cancellationToken);
        await worker.EnqueueAsync(new ImportJob(id, path, FileName ?? Upload!, Sheet, map, options, actor), cancellationToken);
        return RedirectToPage(new { batch = id });
    }

    private IActionResult ReadHeader()
    {
        using var stream = System.IO.File.OpenRead(UploadPath(Upload)!);
        var sheet = Spreadsheet.Open(stream, FileName ?? Upload!, Sheet);
        Header = sheet.Header;
        SheetName = sheet.Sheet;
        IgnoredSheets = sheet.IgnoredSheets;
        Guessed = ColumnMapping.Guess(sheet.Header).Columns;
        return Page();
    }

    /// <summary>An unreadable sheet: the reason at the top, and the upload dropped so the next step asks for a new one.</summary>
    protected override void ShowInvalid(ValidationFailedException error)
    {
        Error = string.Join(" ", error.Errors.SelectMany(e => e.Value));
        Upload = null;
    }

    /// <summary>Drawn again with 200, as the page's other messages are.</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    /// <summary>Only names this page made (a GUID and an extension) map to a file: nothing else on disk is reachable.</summary>
    private static string? UploadPath(string? upload) =>
        upload is { Length: 37 or 36 } && Guid.TryParseExact(upload[..32], "N", out _) && upload[32..] is ".csv" or ".xlsx"
            ? Path.Combine(ImportWorker.Folder, upload)
            : null;

    private bool Allowed()
    {
        var actor = User.ToActor();
        return actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
    }
}
