using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>上报上级 on the appeal page, over real HTTP with cookie sign-in: the same service as the API, a required
/// reason checked beside the field, and the hop in the page's 办理过程.</summary>
public abstract class AppealPageTests(DubanApp app)
{
    /// <summary>An appeal the township receives and keeps (首接首办: no routing rule matches).</summary>
    private async Task<string> ReceiveAsync(string title)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var registered = await scope.ServiceProvider.GetRequiredService<AppealIntake>().RegisterAsync(
            AppealIntakeTests.Citizen($"1370000{Random.Shared.Next(10_000):D4}") with { Title = title },
            new Intake(app.Org.TownshipHandler, MatterSource.Offline));
        return registered.TrackingCode;
    }

    [Fact]
    public async Task LeadUnit_EscalatesFromThePage_ReasonRequired_AndTheHopIsListed()
    {
        var code = await ReceiveAsync("页面上报测试：跨镇排水");
        var handler = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        var url = $"/Lists/Appeal?code={code}";

        var page = await handler.Client.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.Contains("上报上级", page[page.IndexOf("<main", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("<label for=\"escalate-reason\">上报理由</label>", page, StringComparison.Ordinal);

        using var empty = await handler.PostAsync(url + "&handler=Escalate", new() { ["Reason"] = "  " });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var refused = await empty.Content.ReadAsStringAsync();
        Assert.Contains("上报必须填写理由。", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(">上报</td>", refused, StringComparison.Ordinal);

        using var escalated = await handler.PostAsync(url + "&handler=Escalate", new() { ["Reason"] = "涉及两个镇的排水管网，超出本镇权限。" });
        Assert.Equal(HttpStatusCode.Redirect, escalated.StatusCode);
        var after = await handler.Client.GetStringAsync(escalated.Headers.Location);
        Assert.Contains("已上报至 测试县", after, StringComparison.Ordinal);
        Assert.Contains(">上报</td>", after, StringComparison.Ordinal);
        Assert.Contains("涉及两个镇的排水管网，超出本镇权限。", after, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"escalate-reason\"", after, StringComparison.Ordinal); // the township no longer leads it

        await using var scope = app.Services.CreateAsyncScope();
        var details = await scope.ServiceProvider.GetRequiredService<AppealQueries>().GetAsync(code, app.Org.Supervisor);
        Assert.Equal("测试县", details.Matter.LeadUnit.Name);
        var hop = details.Matter.Events[^1];
        Assert.Equal(MatterAction.Transfer, hop.Action);
        Assert.True(hop.Data.Escalated);
    }

    [Fact]
    public async Task OnlyTheLeadUnit_MayEscalate_OthersSeeNoForm_StrangersGet404()
    {
        var code = await ReceiveAsync("页面上报测试：他人不可上报");
        var url = $"/Lists/Appeal?code={code}";
        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        var stranger = await PageSession.SignInAsync(app, "C-ZJ", Role.Handler);

        Assert.DoesNotContain("id=\"escalate-reason\"", await supervisor.Client.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
        using var bySupervisor = await supervisor.PostAsync(url + "&handler=Escalate", new() { ["Reason"] = "越权" });
        var body = await bySupervisor.Content.ReadAsStringAsync();
        Assert.True(body.Contains("只有牵头单位可以上报。", StringComparison.Ordinal), $"{bySupervisor.StatusCode} {body}");
        using var byStranger = await stranger.PostAsync(url + "&handler=Escalate", new() { ["Reason"] = "越权" });
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var details = await scope.ServiceProvider.GetRequiredService<AppealQueries>().GetAsync(code, app.Org.Supervisor);
        Assert.Equal("测试镇", details.Matter.LeadUnit.Name);
    }
}

public sealed class AppealPageTests_Sqlite(SqliteApp app) : AppealPageTests(app), IClassFixture<SqliteApp>;

public sealed class AppealPageTests_Postgres(PostgresApp app) : AppealPageTests(app), IClassFixture<PostgresApp>;
