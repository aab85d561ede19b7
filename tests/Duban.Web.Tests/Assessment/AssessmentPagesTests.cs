using System.Net;
using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>The review scenario's four townships with February and March of known work (see
/// <see cref="ReviewScenario"/>), on a real host; today is 2 April 2024.</summary>
public sealed class AssessmentPagesFixture : IAsyncLifetime
{
    public SqliteApp App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await ReviewScenario.RunAsync(App.Services, App.Org, App.Clock.SetUtcNow);
        App.Clock.SetUtcNow(ReviewScenario.End);
    }

    async Task IAsyncLifetime.DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>考评 pages: the scheme form over real HTTP (errors beside their rows, nothing stored), publishing twice,
/// adjustments, a unit's view; and in Chromium three judges scoring on 390 px phones while the office watches and
/// closes the session.</summary>
public sealed partial class AssessmentPagesTests(AssessmentPagesFixture fixture, Chromium chromium)
    : IClassFixture<AssessmentPagesFixture>, IClassFixture<Chromium>
{
    private const string Townships = "乡镇（街道）";

    private DubanApp App => fixture.App;

    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private Task<long> CreateSchemeAsync(SchemeInput input) =>
        RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(input, App.Org.Supervisor));

    private Task<int> SchemeCountAsync() => RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentSchemes.CountAsync());

    /// <summary>The text between two markers of a page: what a row shows between one field and the next.</summary>
    private static string Between(string html, string from, string to)
    {
        var start = html.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{from} is not on the page");
        var end = html.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, $"{to} does not follow {from}");
        return html[start..end];
    }

    private static Dictionary<string, string> SchemeFields(string name, params (string Metric, string Weight)[] rows)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.Group"] = Townships, ["Form.Period"] = "month", ["Form.From"] = "2030-01-01", ["Form.To"] = "2030-12-31",
            ["Form.Base"] = "60", ["Form.HasJudging"] = "false",
        };
        for (var i = 0; i < rows.Length; i++)
        {
            fields[$"Form.Components[{i}].Metric"] = rows[i].Metric;
            fields[$"Form.Components[{i}].Weight"] = rows[i].Weight;
            fields[$"Form.Components[{i}].Mapping"] = "linear";
        }

        return fields;
    }

    [Fact]
    public async Task SchemeForm_BadWeights_AreAnsweredBesideTheirRows_AndNothingIsStored_ThenSavesAndRevises()
    {
        var office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
        var before = await SchemeCountAsync();

        // 30 + 30 + 30: the sum is refused beside the weights.
        var response = await office.PostAsync("/Assessment/Scheme",
            SchemeFields("乡镇月度考评（试行）", ("onTimeCompleteRate", "30"), ("resolutionRate", "30"), ("satisfactionRate", "30")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("指标权重之和须为 100%，现为 90%。", Between(html, "id=\"weight-sum\"", "id=\"h-rules\""), StringComparison.Ordinal);
        Assert.Contains("value=\"乡镇月度考评（试行）\"", html, StringComparison.Ordinal); // what was typed stays
        Assert.Equal(before, await SchemeCountAsync());

        // An emptied second row is left out: the engine's components[1] is the form's third row, and its error is there.
        var fields = SchemeFields("乡镇月度考评（试行）", ("onTimeCompleteRate", "50"), ("", ""), ("satisfactionRate", "0"));
        response = await office.PostAsync("/Assessment/Scheme", fields);
        html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("「满意率」的权重须大于 0。", Between(html, "id=\"c-2-weight\"", "id=\"c-2-mapping\""), StringComparison.Ordinal);
        Assert.DoesNotContain("权重须大于 0", Between(html, "id=\"c-0-weight\"", "id=\"c-2-weight\""), StringComparison.Ordinal);

        // A weight that is not a number never reaches the engine.
        response = await office.PostAsync("/Assessment/Scheme", SchemeFields("乡镇月度考评（试行）", ("onTimeCompleteRate", "五十"), ("satisfactionRate", "50")));
        html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("权重须是数字。", Between(html, "id=\"c-0-weight\"", "id=\"c-0-mapping\""), StringComparison.Ordinal);
        Assert.Equal(before, await SchemeCountAsync());

        // Without script, 「再加一项指标」 posts the form: it comes back with what was typed and one more row, nothing stored.
        fields = SchemeFields("乡镇月度考评（试行）", ("onTimeCompleteRate", "50"), ("satisfactionRate", "50"));
        fields["More"] = "components";
        response = await office.PostAsync("/Assessment/Scheme", fields);
        html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("name=\"Form.Components[1].Weight\" value=\"50\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"c-3-metric\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await SchemeCountAsync());

        // 30 + 35 + 35, a rate's floor typed as 80 (%): stored as shares.
        fields = SchemeFields("乡镇月度考评（试行）", ("onTimeCompleteRate", "30"), ("resolutionRate", "35"), ("satisfactionRate", "35"));
        fields["Form.Components[0].Floor"] = "80";
        fields["Form.Components[0].Target"] = "100";
        fields["Form.PointRules[0].Event"] = "overdueMilestone";
        fields["Form.PointRules[0].Points"] = "-1";
        fields["Form.PointRules[0].Cap"] = "10";
        fields["Form.Note"] = "依据市委督查室考评办法制定";
        response = await office.PostAsync("/Assessment/Scheme", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before + 1, await SchemeCountAsync());
        var id = await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentSchemes.Where(s => s.Name == "乡镇月度考评（试行）").Select(s => s.Id).SingleAsync());
        var scheme = await RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().GetAsync(id));
        Assert.Equal([0.3, 0.35, 0.35], scheme.Rules.Components.Select(c => c.Weight));
        Assert.Equal((0.8, 1.0), (scheme.Rules.Components[0].Floor, scheme.Rules.Components[0].Target));
        Assert.Equal((PointEvent.OverdueMilestone, -1.0, (double?)10), (scheme.Rules.PointRules[0].Event, scheme.Rules.PointRules[0].Points, scheme.Rules.PointRules[0].Cap));
        Assert.Contains("已制定考评办法", await office.GetStringAsync("/Assessment"), StringComparison.Ordinal);

        // The editor shows the weights as percentages again; a revision is a new version with its note in the history.
        html = await office.GetStringAsync($"/Assessment/Scheme?id={id}");
        Assert.Contains("name=\"Form.Components[1].Weight\" value=\"35\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Form.Components[0].Floor\" value=\"80\"", html, StringComparison.Ordinal);
        fields["Form.Components[1].Weight"] = "30";
        fields["Form.Components[2].Weight"] = "40";
        fields["Form.Version"] = "1";
        fields["Form.Note"] = "满意率权重调为 40%";
        response = await office.PostAsync($"/Assessment/Scheme?id={id}", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        html = await office.GetStringAsync($"/Assessment/Scheme?id={id}");
        var history = Between(html, "id=\"h-versions\"", "</table>");
        Assert.Contains("第 2 版", history, StringComparison.Ordinal);
        Assert.Contains("满意率权重调为 40%", history, StringComparison.Ordinal);
        Assert.Contains("依据市委督查室考评办法制定", history, StringComparison.Ordinal);

        // A stale form (version 1 again) is refused with the reason, and stores nothing.
        response = await office.PostAsync($"/Assessment/Scheme?id={id}", fields);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("已被修改为第 2 版", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A unit may read a scheme, not make one.
        var township = await PageSession.SignInAsync(App, "K-T", Role.Handler);
        Assert.Equal(HttpStatusCode.Forbidden, (await township.Client.GetAsync(new Uri("/Assessment/Scheme", UriKind.Relative))).StatusCode);
        html = await township.GetStringAsync($"/Assessment/Scheme?id={id}");
        Assert.DoesNotContain("<form method=\"post\" class=\"scheme-form\"", html, StringComparison.Ordinal);
        Assert.Contains("满意率：权重 40%", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_PublishOnce_TheSecondTimeSaysWhy_AdjustmentsAreKept_AndAUnitSeesOthersTotalsOnly()
    {
        var id = await CreateSchemeAsync(new SchemeInput
        {
            Name = "乡镇月度考评", Group = Townships, Period = "month", From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31),
            Components = [new("onTimeCompleteRate", 0.5), new("satisfactionRate", 0.5)], PointRules = [new("overdueMilestone", -1, 10)],
        });
        var office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
        var html = await office.GetStringAsync($"/Assessment/Results?scheme={id}");
        Assert.Contains("<option value=\"2024-03\" selected=\"selected\">2024年3月</option>", html, StringComparison.Ordinal); // the last ended month
        Assert.Contains("未发布", html, StringComparison.Ordinal);
        Assert.Contains("北山镇", html, StringComparison.Ordinal);

        // An adjustment without a reason is answered beside the reason and not stored; with one, it is listed.
        var adjustUrl = $"/Assessment/Results?handler=Adjust&scheme={id}&period=2024-03";
        var units = await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Units.Where(u => u.Code == "K-T4").Select(u => u.Id).SingleAsync());
        var response = await office.PostAsync(adjustUrl, new() { ["AdjustUnit"] = $"{units}", ["AdjustPoints"] = "2.5", ["AdjustReason"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请写明调整的理由。", Between(await response.Content.ReadAsStringAsync(), "id=\"adjust-reason\"", "</form>"), StringComparison.Ordinal);
        Assert.Equal(0, await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentAdjustments.CountAsync(a => a.SchemeId == id)));
        response = await office.PostAsync(adjustUrl, new() { ["AdjustUnit"] = $"{units}", ["AdjustPoints"] = "2.5", ["AdjustReason"] = "获市委通报表扬" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        html = await office.GetStringAsync($"/Assessment/Results?scheme={id}&period=2024-03");
        Assert.Contains("获市委通报表扬", Between(html, "id=\"h-adjust\"", "</table>"), StringComparison.Ordinal);

        // The month under way cannot be published yet: the page says until when, and a post is refused with the reason.
        html = await office.GetStringAsync($"/Assessment/Results?scheme={id}&period=2024-04");
        Assert.Contains("2024年4月结束后（2024年5月1日 起）才能发布", html, StringComparison.Ordinal);
        response = await office.PostAsync($"/Assessment/Results?handler=Publish&scheme={id}&period=2024-04", []);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("还没有结束，结束后才能发布", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // March: published once; the second time says why, and there is still one result.
        response = await office.PostAsync($"/Assessment/Results?handler=Publish&scheme={id}&period=2024-03", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        html = await office.GetStringAsync($"/Assessment/Results?scheme={id}&period=2024-03");
        Assert.Contains("已发布", html, StringComparison.Ordinal);
        Assert.Contains("按第 1 版办法计算，此后不再变化", html, StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", html, StringComparison.Ordinal);
        response = await office.PostAsync($"/Assessment/Results?handler=Publish&scheme={id}&period=2024-03", []);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("2024年3月的考评结果已经发布，不能再次发布。", Between(await response.Content.ReadAsStringAsync(), "id=\"publish-error\"", "</p>"), StringComparison.Ordinal);
        Assert.Equal(1, await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentResults.CountAsync(r => r.SchemeId == id)));

        // The Excel file is the table's.
        var file = await office.Client.GetAsync(new Uri($"/Assessment/Results?handler=Xlsx&scheme={id}&period=2024-03", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file.Content.Headers.ContentType?.MediaType);

        // 北山镇 sees its own parts and the others' rank and total only.
        var township = await PageSession.SignInAsync(App, "K-T4", Role.Handler);
        html = await township.GetStringAsync($"/Assessment/Results?scheme={id}&period=2024-03");
        var own = Between(html, "北山镇<small class=\"mine\">本单位</small>", "</tr>");
        Assert.DoesNotContain("仅公开排名和总分", own, StringComparison.Ordinal);
        Assert.Contains("次", own, StringComparison.Ordinal);
        Assert.Contains("仅公开排名和总分", Between(html, ">测试镇<", "</tr>"), StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", html, StringComparison.Ordinal);
        Assert.DoesNotContain("记录调整", html, StringComparison.Ordinal);
    }
}
