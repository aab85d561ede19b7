using System.Text.RegularExpressions;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>受理登记: the township's handler registers a phone call as an appeal, picking the handling unit by name, and
/// prints the 受理回执 with its tracking code; a resent form makes no second appeal.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Reception_RegistersAPhoneAppeal_AndShowsTheReceipt()
    {
        var suffix = Suffix();
        var (_, handler) = await PeopleAsync(suffix);
        var title = $"小区门口路灯不亮 {suffix}";
        var page = await NewPageAsync();
        await SignInAsync(page, handler.UserName!);
        await page.GotoAsync("/Reception");
        await Expect(page.GetByLabel("来电（热线）")).ToBeCheckedAsync();

        // Missing fields are said beside them, in Chinese; nothing is stored.
        await Button(page, "受理并生成回执").ClickAsync();
        await Expect(page.Locator("#title-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#contactPhone-error")).Not.ToBeEmptyAsync();

        await page.GetByLabel("标题").FillAsync(title);
        await page.GetByLabel("诉求内容").FillAsync("来电人反映小区门口两盏路灯一周不亮，晚上出行不便。");
        await page.GetByLabel("诉求分类").SelectOptionAsync("城乡建设");
        await page.GetByLabel("联系人").FillAsync("张三");
        await page.GetByLabel("联系电话").FillAsync("13912345678");
        await Expect(page.Locator("#leadUnit option[value='K-T']")).ToHaveTextAsync(new Regex("^\\s*测试镇$")); // names, not codes
        await page.GetByLabel("承办单位").SelectOptionAsync("K-T");
        await ScreenshotsAsync(page, "reception-form");
        // Sent twice, as a double click or a resend would: one appeal.
        var form = await page.EvaluateAsync<string>("new URLSearchParams(new FormData(document.querySelector('form.intake-form'))).toString()");
        await Button(page, "受理并生成回执").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/Reception/Receipt\\?code="));
        await Expect(page.Locator("h1")).ToHaveTextAsync("诉求受理回执");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已受理登记");
        var code = (await page.Locator(".tracking-code").InnerTextAsync()).Trim();
        await Expect(page.Locator(".receipt-table")).ToContainTextAsync(title);
        await Expect(page.Locator(".receipt-table")).ToContainTextAsync("热线");
        await Expect(page.Locator(".receipt-table")).ToContainTextAsync("测试镇");
        await Expect(page.Locator(".receipt-table")).ToContainTextAsync("前办结并答复");
        await Expect(page.Locator(".receipt-table")).Not.ToContainTextAsync("13912345678"); // masked for staff
        await ScreenshotsAsync(page, "reception-receipt");

        var again = await page.APIRequest.PostAsync("/Reception", new() { Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" }, Data = form });
        Assert.Equal(code, Uri.UnescapeDataString(new Uri(again.Url).Query).Replace("?code=", "", StringComparison.Ordinal)); // the same appeal
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var appeal = Assert.Single(await db.Appeals.Where(a => a.Matter!.Title == title).Select(a => new { a.Matter!.Source, Lead = a.Matter.LeadUnit!.Code }).ToListAsync());
        Assert.Equal((Duban.Matters.MatterSource.Hotline, "K-T"), (appeal.Source, appeal.Lead));
    }
}
