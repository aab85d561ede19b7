using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>生成通报 on the results page of a published 考评结果: the draft names the top N (表扬) or the bottom N (批评)
/// of the ranking, opens on the citation page; an unpublished result and a bad N are refused with the reason.</summary>
public sealed class CardsResultCitationTests(AssessmentPagesFixture fixture) : IClassFixture<AssessmentPagesFixture>
{
    private DubanApp App => fixture.App;

    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    [Fact]
    public async Task ResultsPage_MakesADraftCitationOfTheTopOrBottomN_OfAPublishedResultOnly()
    {
        var scheme = await RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(new SchemeInput
        {
            Name = "乡镇月度考评（通报）", Group = "乡镇（街道）", Period = "month", From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31),
            Components = [new("onTimeCompleteRate", 0.5), new("satisfactionRate", 0.5)], PointRules = [new("overdueMilestone", -1, 10)],
        }, App.Org.Supervisor));
        var office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
        var url = FormattableString.Invariant($"/Assessment/Results?handler=Citation&scheme={scheme}&period=2024-03");

        // Not published yet: refused with the reason, no form.
        Assert.DoesNotContain("生成通报草稿", await office.GetStringAsync(FormattableString.Invariant($"/Assessment/Results?scheme={scheme}&period=2024-03")), StringComparison.Ordinal);
        var response = await office.PostAsync(url, new() { ["CitationKind"] = "commendation", ["CitationCount"] = "2" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("2024年3月的考评结果还没有发布，发布后才能据此通报。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var table = await RunAsync(sp => sp.GetRequiredService<AssessmentResults>().PublishAsync(scheme, "2024-03", App.Org.Supervisor));
        var ranked = table.Rows.Where(r => r.Rank is not null).OrderBy(r => r.Rank).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        Assert.True(ranked.Count >= 3);
        Assert.True(ranked[0].Total > ranked[^1].Total);
        Assert.Contains("生成通报草稿", await office.GetStringAsync(FormattableString.Invariant($"/Assessment/Results?scheme={scheme}&period=2024-03")), StringComparison.Ordinal);

        // N beyond the ranking: answered beside N.
        response = await office.PostAsync(url, new() { ["CitationKind"] = "commendation", ["CitationCount"] = "9" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"名数须为 1 至 {ranked.Count}。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // 表扬 the top 2: a draft naming them in rank order, with rank and total, opened on its page.
        response = await office.PostAsync(url, new() { ["CitationKind"] = "commendation", ["CitationCount"] = "2" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/Assessment/Citations/", location, StringComparison.Ordinal);
        var id = long.Parse(location[(location.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var praise = await RunAsync(sp => sp.GetRequiredService<CitationBook>().GetAsync(id, App.Org.Supervisor));
        Assert.Equal(CitationKind.Commendation, praise.Kind);
        Assert.False(praise.Published);
        Assert.Equal(ranked.Take(2).Select(r => r.Name), praise.Units.Select(u => u.Unit.Name));
        Assert.Contains($"考评第 1 名（乡镇（街道），总分 {ranked[0].Total:0.00} 分）", praise.Units[0].Reason, StringComparison.Ordinal);
        Assert.Contains("在2024年3月「乡镇月度考评（通报）」考评中", praise.Body, StringComparison.Ordinal);
        Assert.Contains("已根据考评结果生成通报草稿", await office.GetStringAsync(location), StringComparison.Ordinal);

        // 批评 the bottom 1: the last of the ranking.
        response = await office.PostAsync(url, new() { ["CitationKind"] = "criticism", ["CitationCount"] = "1" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        location = response.Headers.Location!.OriginalString;
        id = long.Parse(location[(location.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var blame = await RunAsync(sp => sp.GetRequiredService<CitationBook>().GetAsync(id, App.Org.Supervisor));
        Assert.Equal(CitationKind.Criticism, blame.Kind);
        Assert.Equal([ranked[^1].Name], blame.Units.Select(u => u.Unit.Name));
    }

    [Fact]
    public async Task Menu_Highlights考评办法_OnTheSchemeEditor_And评审打分_OnItsPages()
    {
        var office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
        Assert.Contains("aria-current=\"page\">考评办法</a>", await office.GetStringAsync("/Assessment/Scheme"), StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">评审打分</a>", await office.GetStringAsync("/Assessment/Judging/Open"), StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">目标任务</a>", await office.GetStringAsync("/Assessment/Targets/Cadres"), StringComparison.Ordinal);
    }
}
