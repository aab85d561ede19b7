using System.Globalization;
using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// Page access over real HTTP with cookie sign-in beyond the generated matrix (Access/AccessMatrixTests: every page
/// and handler × role × unit): the signed-out redirect, a refused action leaving the matter as it was, antiforgery
/// and the idle timeout.
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
