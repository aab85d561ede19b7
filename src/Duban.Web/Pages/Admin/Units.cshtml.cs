using Duban.Data.Units;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Admin;

/// <summary>单位: the tree, one unit saved by hand, or many imported from CSV (<see cref="UnitDirectory"/>).</summary>
public sealed class UnitsModel(UnitDirectory units) : PageModel
{
    public const int MaxCsvBytes = 2 * 1024 * 1024;

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public ImportReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Units = await units.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostSaveAsync(string? code, string? name, string? parent, string? level, bool active, CancellationToken cancellationToken)
    {
        try
        {
            await units.SaveAsync(new UnitInput(code, name, string.IsNullOrWhiteSpace(parent) ? null : parent, level, active), cancellationToken);
            TempData["done"] = $"已保存单位 {code}。";
            return RedirectToPage();
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        Units = await units.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, string? csv, CancellationToken cancellationToken)
    {
        if (file is { Length: > MaxCsvBytes })
        {
            ModelState.AddModelError("file", $"文件不能超过 {MaxCsvBytes / 1024 / 1024} MB。");
        }
        else if (file is { Length: > 0 })
        {
            using var reader = new StreamReader(file.OpenReadStream());
            Report = await units.ImportCsvAsync(reader, cancellationToken);
        }
        else if (!string.IsNullOrWhiteSpace(csv))
        {
            using var reader = new StringReader(csv);
            Report = await units.ImportCsvAsync(reader, cancellationToken);
        }
        else
        {
            ModelState.AddModelError("csv", "请选择 CSV 文件或粘贴内容。");
        }

        if (Report is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Units = await units.ListAsync(cancellationToken);
        return Page();
    }
}
