using Duban.Tests.Import;
using Duban.Web.Jobs;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>批量导入: a dry run, then the import of the same upload with the mapping it checked.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Supervisor_DryRuns_ThenImportsTheSameUploadWithTheCheckedMapping_AndTheUploadIsDeleted()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var file = Path.Combine(Path.GetTempPath(), $"mapped-{suffix}.xlsx");
        await File.WriteAllBytesAsync(file, new TestWorkbook().Sheet("诉求")
            .Row(1, "编号", "标题", "内容", "分类", "收到时间")
            .Row(2, $"M{suffix}-1", "路灯不亮", "幸福路路灯坏了两周。", "城乡建设", "2024-02-01 09:00")
            .Row(3, $"M{suffix}-2", "外星人", "分类不在清单里，不导入分类列时这行可导入。", "外星事务", "2024-02-01")
            .Row(4, $"M{suffix}-3", null, "没有标题的一行。", "城乡建设", "2024-02-01")
            .Row(5, $"M{suffix}-4", "公交晚点", "12 路公交经常晚点。", "交通运输", "2024/2/1 9:00")
            .Build());
        var uploadsBefore = Directory.Exists(ImportWorker.Folder) ? Directory.GetFiles(ImportWorker.Folder).ToHashSet() : [];

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/Import/Appeals");
        await page.GetByLabel("xlsx 或 CSV 文件").SetInputFilesAsync(file);
        await Button(page, "上传并对应列").ClickAsync();
        await page.GetByLabel("分类", new() { Exact = true }).SelectOptionAsync(""); // checked without the category column
        await Button(page, "试导入（只检查，不保存）").ClickAsync();
        await Expect(page.Locator("p.summary")).ToContainTextAsync("可导入 3，已导入过 0，有误 1", new() { Timeout = 30_000 });
        await Expect(page.Locator("table.rejected")).ToContainTextAsync("B4");
        Assert.DoesNotContain("分类=", await page.Locator("p.muted", new() { HasTextString = "列对应" }).TextContentAsync(), StringComparison.Ordinal);
        // Other tests upload into the same folder at the same time: this test's upload is the one holding its bytes.
        var bytes = await File.ReadAllBytesAsync(file);
        var upload = Assert.Single(Directory.GetFiles(ImportWorker.Folder), f => !uploadsBefore.Contains(f) && Holds(f, bytes));

        await Button(page, "按此映射导入").ClickAsync();
        await Expect(page.Locator("p.summary")).ToContainTextAsync("导入完成", new() { Timeout = 30_000 });
        await ScreenshotsAsync(page, "import-checked-mapping");

        await Expect(page.Locator("p.summary")).ToContainTextAsync("新保存 3，已导入过 0，拒绝 1");
        Assert.DoesNotContain("分类=", await page.Locator("p.muted", new() { HasTextString = "列对应" }).TextContentAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(upload));
        Assert.Equal(0, await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "按此映射导入" }).CountAsync());
        File.Delete(file);
    }

    /// <summary>Whether the file holds these bytes (false for one another test deletes meanwhile).</summary>
    private static bool Holds(string path, byte[] bytes)
    {
        try
        {
            return File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
