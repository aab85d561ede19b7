using System.Globalization;
using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// <see cref="Duban.Web.Pages.PageErrors"/> over real HTTP with cookie sign-in: each kind of refused command, through a
/// real page, drawn again with its messages and the status the page has always answered (or the status page).
/// </summary>
public sealed class PageErrorsTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<long> AssignAsync(string lead)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
            TestMatters.Assignment(lead) with { Title = "页面错误 " + lead }, app.Org.Supervisor);
    }

    private static string MatterUrl(long id) => string.Create(CultureInfo.InvariantCulture, $"/matters/{id}");

    [Fact]
    public async Task Validation_DrawsTheFormAgain_WithTheFieldMessage_TheReloadedPicker_And400()
    {
        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        using var response = await supervisor.PostAsync("/assign", new() { ["Form.Title"] = " ", ["Form.Content"] = "内容" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Form.Title\"[^>]*>标题不能为空。<", page);
        Assert.Contains("data-code=\"K-T\"", page, StringComparison.Ordinal); // the unit picker was loaded again
    }

    [Fact]
    public async Task Forbidden_DrawsTheMatterAgain_WithTheReason_And403()
    {
        var own = await AssignAsync("K-T");
        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        using var response = await supervisor.PostAsync(MatterUrl(own), new() { ["action"] = "acknowledge", ["note"] = "代签" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("只有牵头单位可以签收。", page, StringComparison.Ordinal);
        Assert.Contains("页面错误 K-T", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTransition_DrawsTheMatterAgain_WithWhatIsAllowed_And409()
    {
        var own = await AssignAsync("K-T");
        var handler = await PageSession.SignInAsync(app, "K-T", Role.Handler);

        using var response = await handler.PostAsync(MatterUrl(own), new() { ["action"] = "complete", ["note"] = "已完成" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("事项当前状态为「", page, StringComparison.Ordinal);
        Assert.Contains("页面错误 K-T", page, StringComparison.Ordinal); // the matter was loaded again
    }

    [Fact]
    public async Task StaleForm_DrawsTheMatterAgain_WithWhatOthersDid_And409()
    {
        var own = await AssignAsync("K-T");
        var handler = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(own, new MatterCommand(MatterAction.Acknowledge), null, app.Org.TownshipHandler);
        }

        using var response = await handler.PostAsync(MatterUrl(own), new() { ["action"] = "acknowledge", ["version"] = "1" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("提交未执行：在您打开本页之后，事项已被他人更新。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMatter_Is404_OnTheStatusPage_ForAGetAndAPost()
    {
        var handler = await PageSession.SignInAsync(app, "K-T", Role.Handler);

        using var get = await handler.Client.GetAsync(new Uri(MatterUrl(987_654), UriKind.Relative));
        using var post = await handler.PostAsync(MatterUrl(987_654), new() { ["action"] = "acknowledge" });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Contains("页面不存在", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task RefusalOnAPageWithoutAForm_GetsTheStatusPage_NotAProblemDocument()
    {
        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        using var response = await supervisor.Client.GetAsync(new Uri("/Import/Appeals?handler=Report&batch=987654", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicForm_ValidationAndConflict_AreShownInPlace_With200_AsBefore()
    {
        using var citizen = PageSession.Browser(app);
        var token = PageSession.FormToken(await citizen.GetStringAsync(new Uri("/portal", UriKind.Relative)));
        var key = Guid.NewGuid().ToString("N");
        Dictionary<string, string> Form(string title, string phone) => new()
        {
            ["__RequestVerificationToken"] = token,
            ["Form.Title"] = title,
            ["Form.Content"] = "小区门口路灯坏了两周，夜间出行不便。",
            ["Form.Category"] = Duban.Appeals.AppealCategories.All[0],
            ["Form.ContactName"] = "李先生",
            ["Form.ContactPhone"] = phone,
            ["Form.SubmissionKey"] = key,
        };

        using var invalid = await citizen.PostAsync(new Uri("/portal", UriKind.Relative), new FormUrlEncodedContent(Form("路灯不亮", "123")));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        var invalidPage = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("联系电话格式不正确", invalidPage, StringComparison.Ordinal);
        Assert.Contains("测试镇", invalidPage, StringComparison.Ordinal); // the region list was loaded again

        using var first = await citizen.PostAsync(new Uri("/portal", UriKind.Relative), new FormUrlEncodedContent(Form("路灯不亮", "13800002222")));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using var changed = await citizen.PostAsync(new Uri("/portal", UriKind.Relative), new FormUrlEncodedContent(Form("路灯不亮（改）", "13800002222")));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("已用于另一份内容不同的诉求", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("K-T", Role.Handler, 403)]
    [InlineData("K", Role.Leader, 200)]
    [InlineData("C-DC", Role.Supervisor, 200)]
    public async Task AssignFolder_IsForTheAssigningSide(string unit, Role role, int expected)
    {
        var session = await PageSession.SignInAsync(app, unit, role);

        using var get = await session.Client.GetAsync(new Uri("/Assign/FromDocument", UriKind.Relative));
        using var extract = await session.PostAsync("/Assign/FromDocument?handler=Extract", new() { ["Text"] = "会议强调，要抓好防汛。" });

        Assert.Equal(expected, (int)get.StatusCode);
        Assert.Equal(expected, (int)extract.StatusCode);
    }
}
