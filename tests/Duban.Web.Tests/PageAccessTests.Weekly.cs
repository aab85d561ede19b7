using System.Globalization;
using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>周交办 pages: a unit sees a session only once sent and with its matters, and manages nothing.</summary>
public sealed partial class PageAccessTests
{
    [Fact]
    public async Task Weekly_AUnitSeesOnlySentSessionsWithItsMatters_AndChangesNothing()
    {
        long session, matter;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var weekly = scope.ServiceProvider.GetRequiredService<WeeklySessions>();
            session = await weekly.CreateAsync(new NewWeeklySession("2024-02-05", "权限矩阵周例会", null), app.Org.Supervisor);
            matter = await AssignAsync("K-T");
            await weekly.AddMattersAsync(session, [matter], app.Org.Supervisor);
        }

        var handler = await SignInAsync("K-T", Role.Handler);
        string Url(string path) => string.Create(CultureInfo.InvariantCulture, $"/Weekly/{session}{path}");

        Assert.Equal(HttpStatusCode.NotFound, (await handler.Client.GetAsync(new Uri(Url(""), UriKind.Relative))).StatusCode); // a draft
        Assert.Equal(HttpStatusCode.NotFound, (await handler.PostAsync(Url("?handler=Send"), [])).StatusCode);
        var create = await handler.PostAsync("/Weekly", new() { ["Form.Date"] = "2024-02-05", ["Form.Meeting"] = "周例会" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("只有督查室、领导或管理员", await create.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<WeeklySessions>().SendAsync(session, app.Org.Supervisor);
        }

        Assert.Equal(HttpStatusCode.OK, (await handler.Client.GetAsync(new Uri(Url(""), UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await handler.Client.GetAsync(new Uri(Url("/Sheet?unit=K-T"), UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await handler.Client.GetAsync(new Uri(Url("/Sheet?unit=C-ZJ"), UriKind.Relative))).StatusCode);
        var remove = await handler.PostAsync(Url(string.Create(CultureInfo.InvariantCulture, $"?handler=Remove&matterId={matter}")), []);
        Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        var village = await SignInAsync("K-T-V", Role.Handler);
        Assert.Equal(HttpStatusCode.NotFound, (await village.Client.GetAsync(new Uri(Url(""), UriKind.Relative))).StatusCode);
    }
}
