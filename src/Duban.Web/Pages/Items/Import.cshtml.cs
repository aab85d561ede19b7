using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Duban.Web.Auth;
using Duban.Web.Jobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Items;

/// <summary>
/// 导入台账: upload a register's spreadsheet (the columns <see cref="ItemLedger"/> writes), see every row as it would be
/// created and every error by row and column (a dry run: nothing stored), then 确认导入 the same file, which stores all
/// rows or, when any is refused, none. The uploaded file waits in a temporary file named by a random key between the two.
/// </summary>
[Authorize(Policy = PagePolicies.AssigningSide)]
[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
public sealed partial class ImportModel(ItemImport import) : FormPageModel
{
    public const int MaxUpload = 10 * 1024 * 1024;

    [BindProperty]
    public string Register { get; set; } = "key-work";

    /// <summary>The key of the checked file (32 hex digits).</summary>
    [BindProperty]
    public string? Upload { get; set; }

    [BindProperty]
    public string? FileName { get; set; }

    public ItemImportReport? Report { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>试导入: reads and checks every row, stores nothing, keeps the file for 确认导入.</summary>
    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "请选择要导入的 xlsx 或 CSV 文件。";
            return Page();
        }

        Upload = Guid.NewGuid().ToString("N");
        FileName = Path.GetFileName(file.FileName);
        Directory.CreateDirectory(ImportWorker.Folder);
        await using (var target = System.IO.File.Create(PathOf(Upload)))
        {
            await file.CopyToAsync(target, cancellationToken);
        }

        return await RunAsync(dryRun: true, cancellationToken);
    }

    /// <summary>确认导入: the checked file, for real.</summary>
    public async Task<IActionResult> OnPostImportAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || !KeyPattern().IsMatch(Upload) || !System.IO.File.Exists(PathOf(Upload)))
        {
            Error = "找不到已检查的文件（可能已导入或已过期），请重新选择文件。";
            return Page();
        }

        var result = await RunAsync(dryRun: false, cancellationToken);
        if (Report is { Stored: > 0 })
        {
            System.IO.File.Delete(PathOf(Upload));
            Upload = null;
        }

        return result;
    }

    private async Task<IActionResult> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = System.IO.File.OpenRead(PathOf(Upload!));
            var sheet = Spreadsheet.Open(stream, FileName ?? "file.xlsx");
            var register = ItemRegisters.TryParse(Register, out var r) ? r : ItemRegister.KeyWork;
            Report = await import.RunAsync(sheet, new ItemImportOptions(register, dryRun), User.ToActor(), cancellationToken);
        }
        catch (ValidationFailedException ex)
        {
            Error = string.Join(" ", ex.Errors.SelectMany(e => e.Value));
        }

        return Page();
    }

    // Beside the appeal imports' uploads, so a checked file never imported goes with their daily sweep.
    private static string PathOf(string key) => Path.Combine(ImportWorker.Folder, $"items-{key}.upload");

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
