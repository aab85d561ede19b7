using System.Globalization;
using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The people pickers (责任人员, 审计记录's 操作人, the work list's person filter) over real HTTP: no page ships
/// the staff directory; the options the script asks for find people by name or pinyin initials, among the chosen
/// units when the form names them; a new account is found at once; and without script the typed text names the person
/// or the page says why and lists whom it found.</summary>
public sealed class PeoplePickerTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<User> UserAsync(string userName, string displayName, string unit, Role role = Role.Handler)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(userName, displayName, unit, [role], PageSession.Password);
    }

    private async Task<long> AssignAsync(string title, string lead)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(await UserAsync($"dc{Guid.NewGuid():N}"[..16], "督查员", "C-DC", Role.Supervisor));
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead) with { Title = title }, actor);
    }

    private static string Id(User user) => user.Id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task NoPageShipsTheDirectory_TheOptionsFindByNameOrInitials_AmongTheChosenUnits()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        // A city bureau's staff: none of them belongs on a page about a township's matter.
        var bureau = new List<User>();
        for (var i = 0; i < 30; i++)
        {
            bureau.Add(await UserAsync($"zj{suffix}{i:00}", $"住建{suffix}{i:00}", "C-ZJ"));
        }

        var town = await UserAsync($"kt{suffix}", $"欧阳{suffix}", "K-T");
        var id = await AssignAsync($"路灯整改{suffix}", "K-T");
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        var matter = await office.GetStringAsync($"/matters/{id}");
        Assert.DoesNotContain($"住建{suffix}", matter, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Id(town)}\"", matter, StringComparison.Ordinal); // the lead unit's people, offered before typing
        foreach (var page in new[] { "/assign", "/Items/New", "/" })
        {
            var html = await office.GetStringAsync(page);
            Assert.DoesNotContain($"住建{suffix}", html, StringComparison.Ordinal);
            Assert.DoesNotContain($"欧阳{suffix}", html, StringComparison.Ordinal);
        }

        // 审计记录 names them in its records (their accounts were made), but its 操作人 picker offers nobody yet.
        var audit = await (await PageSession.SignInAsync(app, "C-DC", Role.Admin)).GetStringAsync("/Audit");
        Assert.DoesNotContain($"住建{suffix}00（测试市住建局）", audit, StringComparison.Ordinal);

        // By a part of the name, then by pinyin initials (欧阳 → oy), only what was found.
        var byName = await office.GetStringAsync($"/users/options?q={Uri.EscapeDataString($"住建{suffix}0")}");
        Assert.Equal(10, CountOptions(byName));
        Assert.Contains($"data-name=\"住建{suffix}00\"", byName, StringComparison.Ordinal);
        Assert.Contains("（测试市住建局）", byName, StringComparison.Ordinal);
        var byInitials = await office.GetStringAsync($"/users/options?q=oy{suffix}&selected={Id(town)}");
        Assert.Matches($"<option value=\"{Id(town)}\" selected=\"selected\" data-py=\"oy", byInitials);

        // Among the chosen units only; no text: those units' people, at most 50; no text and no unit: nobody.
        Assert.Equal(0, CountOptions(await office.GetStringAsync($"/users/options?q={Uri.EscapeDataString($"住建{suffix}")}&units=K-T")));
        var chosen = await office.GetStringAsync($"/users/options?q=&units=C-ZJ&units=K-T");
        Assert.InRange(CountOptions(chosen), 31, PeopleCatalog.MaxFound);
        Assert.Equal(0, CountOptions(await office.GetStringAsync("/users/options?q=")));

        // A new account is offered at once (this instance made it: the catalogue is read again).
        var added = await UserAsync($"kt2{suffix}", $"新同事{suffix}", "K-T");
        Assert.Contains($"value=\"{Id(added)}\"", await office.GetStringAsync($"/users/options?q={Uri.EscapeDataString($"新同事{suffix}")}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutScript_TheTypedTextNamesThePerson_OrThePageSaysWhyAndListsWhomItFound()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var first = await UserAsync($"ka{suffix}", $"诸葛{suffix}甲", "K-T");
        var second = await UserAsync($"kb{suffix}", $"诸葛{suffix}乙", "K-T");
        var id = await AssignAsync($"井盖修复{suffix}", "K-T");
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        // A text two people match: refused beside the people, both offered, nothing saved.
        var several = await office.PostAsync($"/matters/{id}?handler=People", new()
        {
            ["rows[0].Role"] = "responsible", ["rows[0].User"] = "", ["rows[0].Search"] = $"诸葛{suffix}",
        });
        var html = await several.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, several.StatusCode);
        Assert.Contains($"第 1 名人员：「诸葛{suffix}」对应 2 人，请在列表中选择一人。", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Id(first)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Id(second)}\"", html, StringComparison.Ordinal);

        var nobody = await office.PostAsync($"/matters/{id}?handler=People", new()
        {
            ["rows[0].Role"] = "responsible", ["rows[0].Search"] = "查无此人",
        });
        Assert.Contains("第 1 名人员：没有找到姓名或拼音首字母含「查无此人」的人员。", await nobody.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The one person a full name names; the chosen one when the text still finds them.
        var saved = await office.PostAsync($"/matters/{id}?handler=People", new()
        {
            ["rows[0].Role"] = "responsible", ["rows[0].Search"] = $"诸葛{suffix}乙",
            ["rows[1].Role"] = "liaison", ["rows[1].User"] = Id(first), ["rows[1].Search"] = $"诸葛{suffix}",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(first);
        var named = await scope.ServiceProvider.GetRequiredService<MatterPeople>().ForMatterAsync(id, actor);
        Assert.Equal([(PersonRole.Responsible, second.Id), (PersonRole.Liaison, first.Id)], named.Select(p => (p.Role, p.UserId ?? 0)));

        // 审计记录's 操作人 the same way: a name found once filters by them; else why.
        var auditor = await PageSession.SignInAsync(app, "C-DC", Role.Admin);
        var audit = await auditor.GetStringAsync($"/Audit?person-q={Uri.EscapeDataString($"诸葛{suffix}")}");
        Assert.Contains($"「诸葛{suffix}」对应 2 人，请在列表中选择一人。", audit, StringComparison.Ordinal);
        var one = await auditor.GetStringAsync($"/Audit?person-q={Uri.EscapeDataString($"诸葛{suffix}甲")}");
        Assert.Matches($"<option value=\"{Id(first)}\" selected=\"selected\"", one);
    }

    private static int CountOptions(string html) => html.Split("<option ", StringSplitOptions.None).Length - 1;
}
