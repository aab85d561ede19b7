using System.Globalization;
using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// The access matrix over real HTTP with cookie sign-in: each role against each staff page and action. The
/// server decides; a page that is not for the role answers 403, a matter the person may not see answers 404,
/// and a signed-out request goes to the login page.
/// </summary>
public sealed partial class PageAccessTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private HttpClient Browser() => PageSession.Browser(app);

    private Task<PageSession> SignInAsync(string unit, Role role) => PageSession.SignInAsync(app, unit, role);

    private async Task<long> AssignAsync(string lead)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
            TestMatters.Assignment(lead) with { Title = "权限矩阵 " + lead }, app.Org.Supervisor);
    }

    private static Task<HttpResponseMessage> PostAsync(PageSession session, string url, Dictionary<string, string> fields) =>
        session.PostAsync(url, fields);

    public static TheoryData<string, Role, string, int> Matrix() => new()
    {
        // role's unit, role, page (OWN = a matter the unit leads, OTHER = one it neither leads nor co-handles), status
        { "K-T", Role.Handler, "/", 200 },
        { "K-T", Role.Handler, "/account/password", 200 },
        { "K-T", Role.Handler, "OWN", 200 },
        { "K-T", Role.Handler, "OTHER", 404 },
        { "K-T", Role.Handler, "/assign", 403 },
        { "K-T", Role.Handler, "/supervision", 403 },
        { "K-T", Role.Handler, "/admin/users", 403 },
        { "K-T", Role.Handler, "/admin/tokens", 403 },
        { "K-T", Role.Handler, "/admin/calendar", 403 },
        { "C-DC", Role.Supervisor, "/", 200 },
        { "C-DC", Role.Supervisor, "OWN", 200 },
        { "C-DC", Role.Supervisor, "OTHER", 200 },
        { "C-DC", Role.Supervisor, "/assign", 200 },
        { "C-DC", Role.Supervisor, "/supervision", 200 },
        { "C-DC", Role.Supervisor, "/admin/users", 403 },
        { "K", Role.Leader, "OWN", 200 },
        { "K", Role.Leader, "OTHER", 404 },
        { "K", Role.Leader, "/supervision", 200 },
        { "K", Role.Leader, "/admin/units", 403 },
        { "C", Role.Admin, "OTHER", 200 },
        { "C", Role.Admin, "/admin/users", 200 },
        { "C", Role.Admin, "/admin/tokens", 200 },
        { "C", Role.Admin, "/admin/units", 200 },
        { "C", Role.Admin, "/admin/rules", 200 },
        { "C", Role.Admin, "/admin/calendar", 200 },
        { "C", Role.Admin, "/admin/webhooks", 200 },
        { "C", Role.Admin, "/admin/routing", 200 },
        { "C-DC", Role.Supervisor, "/admin/routing", 403 },
        { "K-T", Role.Handler, "/admin/routing", 403 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Page_AnswersByRole(string unit, Role role, string page, int expected)
    {
        var own = await AssignAsync("K-T");
        var other = await AssignAsync("C-ZJ");
        var session = await SignInAsync(unit, role);
        var url = page switch
        {
            "OWN" => string.Create(CultureInfo.InvariantCulture, $"/matters/{own}"),
            "OTHER" => string.Create(CultureInfo.InvariantCulture, $"/matters/{other}"),
            _ => page,
        };

        var response = await session.Client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected != 200)
        {
            Assert.DoesNotContain("权限矩阵 C-ZJ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/supervision")]
    [InlineData("/admin/users")]
    [InlineData("/matters/1")]
    public async Task SignedOut_GoesToLogin(string url)
    {
        using var client = Browser();
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", new Uri(app.BaseAddress, response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Handler_CannotActOnAnotherUnitsMatter_NorUseTheBoard()
    {
        var other = await AssignAsync("C-ZJ");
        var handler = await SignInAsync("K-T", Role.Handler);
        var matterUrl = string.Create(CultureInfo.InvariantCulture, $"/matters/{other}");

        var act = await PostAsync(handler, matterUrl, new() { ["action"] = "acknowledge" });
        var urge = await PostAsync(handler, string.Create(CultureInfo.InvariantCulture, $"/supervision?handler=Urge&id={other}"),
            new() { ["kind"] = "urge", ["message"] = "催一下" });
        var bulk = await PostAsync(handler, "/?handler=Acknowledge&tab=unacknowledged", new() { ["ids"] = other.ToString(CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.NotFound, act.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, urge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var bulkPage = await bulk.Content.ReadAsStringAsync();
        Assert.Contains("事项不存在", bulkPage, StringComparison.Ordinal);
        Assert.DoesNotContain("权限矩阵 C-ZJ", bulkPage, StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var matter = await scope.ServiceProvider.GetRequiredService<MatterQueries>().GetAsync(other, app.Org.Supervisor);
        Assert.Equal(MatterStatus.Assigned, matter.Status);
    }

    [Fact]
    public async Task FormWithoutAntiforgeryToken_IsRefused()
    {
        var own = await AssignAsync("K-T");
        var handler = await SignInAsync("K-T", Role.Handler);

        var response = await handler.Client.PostAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"/matters/{own}"), UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "acknowledge" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task IdleSession_Expires_AndTheLoginPageSaysSo()
    {
        var handler = await SignInAsync("K-T", Role.Handler);
        app.Clock.Advance(TimeSpan.FromHours(3)); // past the default 2-hour idle timeout

        var response = await handler.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var login = await handler.Client.GetStringAsync(response.Headers.Location);
        Assert.Contains("登录已过期", login, StringComparison.Ordinal);
    }
}
