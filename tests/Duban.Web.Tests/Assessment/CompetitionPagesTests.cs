using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>比拼 pages over real HTTP on the review scenario (today 2 April 2024): the 新建 form's refusals beside their
/// fields with nothing stored, a unit's 自评申报 once, the office's 择优筛选, 公示 and an objection refused after it, the
/// final ranking; and in Chromium the same at desktop and 390 px.</summary>
public sealed partial class CompetitionPagesTests(AssessmentPagesFixture fixture, Chromium chromium)
    : IClassFixture<AssessmentPagesFixture>, IClassFixture<Chromium>
{
    private const string Townships = "乡镇（街道）";

    private DubanApp App => fixture.App;

    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>The one monthly scheme of the townships for 2024 (a second would overlap it), made by the first test that needs it.</summary>
    private async Task<long> MonthlySchemeAsync()
    {
        var id = await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentSchemes.Where(s => s.Name == SchemeName).Select(s => (long?)s.Id).SingleOrDefaultAsync());
        return id ?? await CreateSchemeAsync(SchemeName);
    }

    private const string SchemeName = "乡镇月度比拼办法";

    private Task<long> CreateSchemeAsync(string name) => RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(new SchemeInput
    {
        Name = name, Group = Townships, Period = "month", From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31),
        Components = [new("onTimeCompleteRate", 0.5), new("satisfactionRate", 0.5)], PointRules = [new("overdueMilestone", -1, 10)],
    }, App.Org.Supervisor));

    private Task<int> CompetitionCountAsync() => RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Competitions.CountAsync());

    private static string Between(string html, string from, string to)
    {
        var start = html.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{from} is not on the page");
        var end = html.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, $"{to} does not follow {from}");
        return html[start..end];
    }

    private static Dictionary<string, string> CompetitionFields(string name, long scheme, params (string Period, string Label, string Weight)[] stages)
    {
        var fields = new Dictionary<string, string>
        {
            ["Name"] = name, ["Group"] = Townships, ["PublicityDays"] = "3", ["Awards[0].Name"] = "一等奖", ["Awards[0].Count"] = "1",
            ["Awards[1].Name"] = "二等奖", ["Awards[1].Count"] = "1",
        };
        for (var i = 0; i < stages.Length; i++)
        {
            fields[$"Stages[{i}].Choice"] = stages[i].Period.Length == 0 ? "" : FormattableString.Invariant($"{scheme}|{stages[i].Period}");
            fields[$"Stages[{i}].Label"] = stages[i].Label;
            fields[$"Stages[{i}].Weight"] = stages[i].Weight;
        }

        return fields;
    }

    [Fact]
    public async Task CompetitionPages_RefuseBesideTheField_EnterOnce_Shortlist_Publicise_RefuseLateObjections_AndFix()
    {
        var scheme = await MonthlySchemeAsync();
        var office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
        var before = await CompetitionCountAsync();
        var html = await office.GetStringAsync("/Assessment/Competitions");
        Assert.Contains(FormattableString.Invariant($"value=\"{scheme}|2024-02\""), html, StringComparison.Ordinal); // a month of the scheme to pick
        Assert.Contains("aria-current=\"page\">比拼</a>", html, StringComparison.Ordinal);

        // 40 + 50: the sum is refused under the stages, what was typed stays, nothing is stored.
        var response = await office.PostAsync("/Assessment/Competitions",
            CompetitionFields("乡镇夺锦赛", scheme, ("2024-02", "二月", "40"), ("2024-03", "三月", "50")));
        html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("各阶段权重之和须为 100%，现为 90%。", Between(html, "id=\"stages-error\"", "</p>"), StringComparison.Ordinal);
        Assert.Contains("value=\"乡镇夺锦赛\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await CompetitionCountAsync());

        // A weight that is not a number is answered beside its row (the second row, left empty, does not count).
        response = await office.PostAsync("/Assessment/Competitions",
            CompetitionFields("乡镇夺锦赛", scheme, ("2024-02", "二月", "40"), ("", "", ""), ("2024-03", "三月", "六十")));
        html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请填写权重", Between(html, "id=\"stage-2-weight\"", "id=\"stage-3\""), StringComparison.Ordinal);
        Assert.Equal(before, await CompetitionCountAsync());

        response = await office.PostAsync("/Assessment/Competitions",
            CompetitionFields("乡镇夺锦赛", scheme, ("2024-02", "二月", "40"), ("2024-03", "三月", "60")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var url = response.Headers.Location!.OriginalString;
        Assert.Equal(before + 1, await CompetitionCountAsync());
        html = WebUtility.HtmlDecode(await office.GetStringAsync(url));
        Assert.Contains("二月 × 40% + 三月 × 60%", html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">比拼</a>", html, StringComparison.Ordinal);

        // A unit enters a stage once; the second time the page says why (409), and there is still one entry.
        var town = await PageSession.SignInAsync(App, "K-T", Role.Handler);
        var north = await PageSession.SignInAsync(App, "K-T4", Role.Handler);
        Assert.Contains("本单位自评申报", await town.GetStringAsync(url), StringComparison.Ordinal);
        response = await town.PostAsync(url + "?handler=Enter", new() { ["Stage"] = "2024-03", ["Text"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请填写自评申报材料", Between(await response.Content.ReadAsStringAsync(), "id=\"enter-text\"", "</form>"), StringComparison.Ordinal);
        foreach (var (who, stage) in new[] { (town, "2024-02"), (town, "2024-03"), (north, "2024-03") })
        {
            response = await who.PostAsync(url + "?handler=Enter", new() { ["Stage"] = stage, ["Text"] = "按期完成整改任务，群众满意度提升。" });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.Contains("本单位已申报全部阶段。", await town.GetStringAsync(url), StringComparison.Ordinal); // no form left to fill
        Assert.Contains("本单位自评申报", await north.GetStringAsync(url), StringComparison.Ordinal); // 二月 is still open to it
        response = await town.PostAsync(url + "?handler=Enter", new() { ["Stage"] = "2024-03", ["Text"] = "再报一次" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("本单位已申报该阶段，不能重复申报。", Between(await response.Content.ReadAsStringAsync(), "id=\"enter-refused\"", "</p>"), StringComparison.Ordinal);
        var competition = long.Parse(url[(url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var entries = await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().CompetitionEntries.Where(e => e.CompetitionId == competition)
            .OrderBy(e => e.Id).Select(e => new { e.Id, e.Unit!.Code, e.StageKey }).ToListAsync());
        Assert.Equal(3, entries.Count);

        // 择优筛选: 不入围 needs a reason, answered beside that entry's form.
        var northEntry = entries.Single(e => e.Code == "K-T4").Id;
        response = await office.PostAsync(FormattableString.Invariant($"{url}?handler=Decide&entry={northEntry}"), new() { ["shortlisted"] = "false", ["Reason"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("未入围须写明理由。", Between(await response.Content.ReadAsStringAsync(), $"id=\"entry-{northEntry}\"", "</li>"), StringComparison.Ordinal);
        response = await office.PostAsync(FormattableString.Invariant($"{url}?handler=Decide&entry={northEntry}"), new() { ["shortlisted"] = "false", ["Reason"] = "材料不全" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        foreach (var e in entries.Where(e => e.Code == "K-T"))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await office.PostAsync(FormattableString.Invariant($"{url}?handler=Decide&entry={e.Id}"), new() { ["shortlisted"] = "true" })).StatusCode);
        }

        // The standings: only the shortlisted town, on both stage boards and overall.
        html = await office.GetStringAsync(url);
        var overall = Between(html, "id=\"h-overall\"", "</table>");
        Assert.Contains("测试镇", overall, StringComparison.Ordinal);
        Assert.DoesNotContain("北山镇", overall, StringComparison.Ordinal);
        Assert.Contains("一等奖", overall, StringComparison.Ordinal);
        Assert.Contains("测试镇", Between(html, "id=\"board-2024-02\"", "</ol>"), StringComparison.Ordinal);
        Assert.Contains("材料不全", html, StringComparison.Ordinal);

        // Before 公示 an objection is refused with the reason; publishing opens the 公示.
        response = await north.PostAsync(url + "?handler=Object", new() { ["Text"] = "过早的异议" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("比拼结果尚未公示，暂不能提出异议。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostAsync(url + "?handler=Publish", [])).StatusCode);
        Assert.Contains("公示期至 2024年4月5日，期内可以提出异议。", await north.GetStringAsync(url), StringComparison.Ordinal);
        response = await north.PostAsync(url + "?handler=Object", new() { ["Text"] = "三月得分未计入我镇的整改成效" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        response = await office.PostAsync(url + "?handler=Finalize", []);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("公示期到 2024-04-05 结束，之后才能确定结果。", Between(await response.Content.ReadAsStringAsync(), "id=\"finalize-refused\"", "</p>"), StringComparison.Ordinal);

        App.Clock.SetUtcNow(ReviewScenario.End.AddDays(4));
        try
        {
            // Four days on, the sign-ins have lapsed: the same roles sign in again.
            town = await PageSession.SignInAsync(App, "K-T", Role.Handler);
            north = await PageSession.SignInAsync(App, "K-T4", Role.Handler);
            office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
            // After the 公示: the form is gone, and a late objection is refused in Chinese (409), nothing stored.
            html = await town.GetStringAsync(url);
            Assert.Contains("公示期已结束，不能再提出异议。", html, StringComparison.Ordinal);
            response = await town.PostAsync(url + "?handler=Object", new() { ["Text"] = "逾期的异议" });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("公示期已于 2024-04-05 结束，不能再提出异议。", Between(await response.Content.ReadAsStringAsync(), "id=\"object-refused\"", "</p>"), StringComparison.Ordinal);
            Assert.Equal(1, await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().CompetitionObjections.CountAsync(o => o.Text == "三月得分未计入我镇的整改成效" || o.Text == "逾期的异议")));

            // Unanswered: refused; answered: fixed, with the award.
            response = await office.PostAsync(url + "?handler=Finalize", []);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("还有未答复的异议", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var objection = await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().CompetitionObjections.Where(o => o.Text == "三月得分未计入我镇的整改成效").Select(o => o.Id).SingleAsync());
            response = await office.PostAsync(FormattableString.Invariant($"{url}?handler=Answer&objection={objection}"), new() { ["Text"] = "经复核，北山镇三月未入围，不参与排名。" });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await office.PostAsync(url + "?handler=Finalize", [])).StatusCode);
            html = await north.GetStringAsync(url);
            Assert.Contains("已确定", html, StringComparison.Ordinal);
            Assert.Contains("经复核，北山镇三月未入围，不参与排名。", html, StringComparison.Ordinal);
            Assert.Contains("最终结果", html, StringComparison.Ordinal);
        }
        finally
        {
            App.Clock.SetUtcNow(ReviewScenario.End);
        }
    }
}
