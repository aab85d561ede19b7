using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>热点与批处理: the office finds a problem raised three times, makes a batch of it, and the township answers
/// once; the member not yet acknowledged is listed with its reason instead of being forced.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task HotIssues_BatchFromAHotIssue_TheUnitAnswersOnce()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"幸福路{suffix}号小区门口污水外溢，臭味很大，多次反映无人处理";
        var ids = new List<long>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Their own text too: the other tests' matters share one default content, and would join the issue.
            var office = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(supervisor);
            for (var i = 0; i < 3; i++)
            {
                ids.Add(await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T", []) with
                {
                    Title = title, Content = $"幸福路{suffix}号小区门口污水井堵塞外溢，夏天臭味很大，居民多次反映，请尽快疏通。",
                }, office));
            }

            var actor = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(handler);
            foreach (var id in ids.Take(2))
            {
                await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, actor);
            }
        }

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/HotIssues");
        var issue = page.Locator(".hot-issues > li", new() { HasText = title });
        await Expect(issue.Locator(".meta")).ToContainTextAsync("3 件");
        await ScreenshotsAsync(page, "hot-issues");
        await issue.GetByRole(AriaRole.Button, new() { Name = "建立批处理" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/HotIssues/Batch/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已建立批处理，共 3 件");
        var batchUrl = page.Url;

        var unit = await NewPageAsync();
        await SignInAsync(unit, handler.UserName!);
        await unit.GotoAsync(batchUrl);
        await Expect(unit.GetByRole(AriaRole.Table, new() { Name = "批处理事项" }).Locator("tbody tr")).ToHaveCountAsync(3);
        await Button(unit, "批量办结").ClickAsync(); // no answer: refused beside the field, nothing done
        await Expect(unit.Locator("[data-valmsg-for='answer']")).ToContainTextAsync("请填写办理结果");
        await unit.GetByLabel("办理结果（对每件事项相同）").FillAsync("已组织清掏疏通污水管网，更换破损井盖，现场无外溢。");
        await Button(unit, "批量办结").ClickAsync();
        await Expect(unit.GetByRole(AriaRole.Status)).ToContainTextAsync("已办结 2 件，1 件未处理");
        var rows = unit.GetByRole(AriaRole.Table, new() { Name = "批处理事项" }).Locator("tbody tr");
        await Expect(rows.Filter(new() { HasText = "已办结" })).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "未处理：" })).ToHaveCountAsync(1);
        await ScreenshotsAsync(unit, "batch-done");
    }
}
