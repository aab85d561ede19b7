using System.Text;
using Duban.Data;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Admin;

/// <summary>单位: the tree, one unit saved by hand, or many imported from a sheet (xlsx or CSV) (<see cref="UnitDirectory"/>).</summary>
public sealed class UnitsModel(UnitDirectory units) : FormPageModel
{
    /// <summary>During an import, the field its errors go beside: <c>file</c> or <c>csv</c>.</summary>
    private string? _importField;

    public const int MaxFileBytes = 2 * 1024 * 1024;

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public ImportReport? Report { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostSaveAsync(string? code, string? name, string? parent, string? level, bool active, CancellationToken cancellationToken)
    {
        await units.SaveAsync(new UnitInput(code, name, string.IsNullOrWhiteSpace(parent) ? null : parent, level, active), cancellationToken);
        TempData["done"] = $"已保存单位 {code}。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, string? csv, CancellationToken cancellationToken)
    {
        _importField = file is { Length: > 0 } ? "file" : "csv";
        if (file is { Length: > MaxFileBytes })
        {
            ModelState.AddModelError("file", $"文件不能超过 {MaxFileBytes / 1024 / 1024} MB。");
        }
        else if (file is { Length: > 0 })
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            Report = await units.ImportAsync(Spreadsheet.Open(buffer, file.FileName), cancellationToken);
        }
        else if (!string.IsNullOrWhiteSpace(csv))
        {
            using var pasted = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            Report = await units.ImportAsync(Spreadsheet.Open(pasted, "pasted.csv"), cancellationToken);
        }
        else
        {
            ModelState.AddModelError("csv", "请选择 Excel/CSV 文件或粘贴内容。");
        }

        if (Report is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await ReloadAsync(cancellationToken);
        return Page();
    }

    /// <summary>A sheet's errors beside the field it came from; a unit's beside its own field.</summary>
    protected override string FieldKey(string field) => _importField ?? field;

    protected override async Task ReloadAsync(CancellationToken cancellationToken) => Units = await units.ListAsync(cancellationToken);
}
