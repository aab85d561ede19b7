using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Targets;

/// <summary>目标任务: the sets, a new set with its items, and the import (checked first, stored only when every row is valid).</summary>
public sealed class IndexModel(TargetTasks tasks, TargetImport import) : FormPageModel
{
    public const int ItemRows = 5;

    public IReadOnlyList<TargetSetView> Sets { get; private set; } = [];
    public bool Manager { get; private set; }
    public DateOnly Today { get; private set; }
    public TargetImportReport? ImportReport { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Period { get; set; }

    [BindProperty]
    public List<TargetItemInput> Items { get; set; } = [];

    [BindProperty]
    public bool DryRun { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var items = Items.Where(i => !string.IsNullOrWhiteSpace(i.Name) || !string.IsNullOrWhiteSpace(i.Measure)).ToList();
        var saved = await tasks.SaveAsync(new TargetSetInput(Name, Period, items, []), User.ToActor(), cancellationToken: cancellationToken);
        return RedirectToPage("Set", new { id = saved.SetId });
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            throw ValidationFailedException.For("file", "请选择要导入的文件。");
        }

        using var buffer = new MemoryStream();
        await using (var content = file.OpenReadStream())
        {
            await content.CopyToAsync(buffer, cancellationToken);
        }

        buffer.Position = 0;
        ImportReport = await import.RunAsync(buffer, file.FileName, DryRun, User.ToActor(), cancellationToken);
        if (ImportReport.Saved && ImportReport.Result?.SetId is { } id)
        {
            return RedirectToPage("Set", new { id });
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>A refused form is drawn again with its messages (200).</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status200OK;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Manager = TargetTasks.MayManage(User.ToActor());
        Today = tasks.Today;
        Sets = await tasks.ListAsync(cancellationToken);
        while (Items.Count < ItemRows)
        {
            Items.Add(new TargetItemInput(null, null, Duban.Assessment.Targets.Label(TargetSource.Manual)));
        }

        Period ??= Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
