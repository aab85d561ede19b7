using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Duban.Web.Jobs;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Import;

/// <summary>
/// 批量导入交办事项: 下载模板 → upload → 预检 (every row checked as the import would, nothing saved) → 确认导入 (all rows
/// in one transaction, or none) → 已交办 N 项 with links to the work list. The upload is kept under a random name between
/// 预检 and 确认导入; the confirm form carries a submission key, and rows already assigned are skipped, so sending the
/// same file twice assigns nothing new. Supervision office, leaders and admins (those who may assign).
/// </summary>
[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
public sealed class MattersModel(MatterImport import, FormSubmissions submissions, TimeProvider clock) : FormPageModel
{
    public const int MaxUpload = 20 * 1024 * 1024;

    public string? Error { get; private set; }

    public MatterImportReport? Report { get; private set; }

    /// <summary>The kept upload between 预检 and 确认导入 (a random name made here).</summary>
    [BindProperty]
    public string? Upload { get; set; }

    [BindProperty]
    public string? FileName { get; set; }

    /// <summary>After an import: how many were assigned and how many had been before (shown with the links).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Assigned { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Before { get; set; }

    /// <summary>The day the import ran (the work list's filter), yyyy-MM-dd.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Day { get; set; }

    public IActionResult OnGet() => Allowed() ? Page() : Forbid();

    /// <summary>下载模板: the header, an example row, 单位名单 and 时限规则.</summary>
    public async Task<IActionResult> OnGetTemplateAsync(CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        var buffer = new MemoryStream();
        await import.WriteTemplateAsync(buffer, ChinaTime.DateOf(clock.GetUtcNow()), cancellationToken);
        buffer.Position = 0;
        return File(buffer, Lists.Xlsx.ContentType, "批量交办模板.xlsx");
    }

    /// <summary>上传并预检.</summary>
    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Error = "请选择要导入的 xlsx 文件。";
            return Page();
        }

        Directory.CreateDirectory(ImportWorker.Folder);
        Upload = Guid.NewGuid().ToString("N") + ".xlsx";
        FileName = Path.GetFileName(file.FileName);
        await using (var target = System.IO.File.Create(UploadPath(Upload)!))
        {
            await file.CopyToAsync(target, cancellationToken);
        }

        Report = await RunAsync(dryRun: true, cancellationToken);
        return Page();
    }

    /// <summary>确认导入: the checked file, all rows or none; the same form sent twice is one import.</summary>
    public async Task<IActionResult> OnPostImportAsync(CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return Forbid();
        }

        if (UploadPath(Upload) is not { } path || !System.IO.File.Exists(path))
        {
            Error = "预检过的文件已失效，请重新上传。";
            Upload = null;
            return Page();
        }

        var done = await submissions.OnceAsync(User.ToActor(), SubmissionKey.Of(Request), async () =>
        {
            Report = await RunAsync(dryRun: false, CancellationToken.None);
            if (!Report.Ok)
            {
                return null;
            }

            System.IO.File.Delete(path);
            var day = ChinaTime.DateOf(clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return FormattableString.Invariant($"/Import/Matters?assigned={Report.Assigned}&before={Report.AlreadyAssigned}&day={day}");
        }, cancellationToken);
        if (done is null)
        {
            Error = "有的行未通过检查，本次一项也没有交办。请按下表改正后重新上传。";
            return Page();
        }

        TempData["done"] = done.Repeated ? "这份文件已经导入过，没有重复交办。" : Report!.Summary;
        return Redirect(done.Outcome);
    }

    private async Task<MatterImportReport> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        await using var stream = System.IO.File.OpenRead(UploadPath(Upload)!);
        return await import.RunAsync(stream, FileName ?? Upload!, dryRun, User.ToActor(), cancellationToken);
    }

    /// <summary>An unreadable file: the reason at the top, and the upload dropped so the page asks for a new one.</summary>
    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = "文件无法导入：" + string.Join(" ", error.Errors.SelectMany(e => e.Value));
        if (UploadPath(Upload) is { } path)
        {
            System.IO.File.Delete(path);
        }

        Upload = null;
        Report = null;
    }

    /// <summary>Drawn again with 200, as the page's other messages are.</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    /// <summary>Only names this page made (a GUID and .xlsx) map to a file: nothing else on disk is reachable.</summary>
    private static string? UploadPath(string? upload) =>
        upload is { Length: 37 } && Guid.TryParseExact(upload[..32], "N", out _) && upload[32..] == ".xlsx"
            ? Path.Combine(ImportWorker.Folder, upload)
            : null;

    private bool Allowed() => AccessRules.MayAssign(User.ToActor());
}
