using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The first of two instances: PostgreSQL, believing <c>X-Forwarded-For</c> from nginx on loopback.</summary>
public sealed class FirstInstanceApp : DubanApp
{
    public static readonly Dictionary<string, string?> BehindNginx = new() { ["Network:TrustedProxies"] = "127.0.0.1" };

    protected override string Engine => TestDatabase.Postgres;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in BehindNginx)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Two instances on one PostgreSQL database, each on its own socket, and nginx balancing between them.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public FirstInstanceApp First { get; } = new();
    public SameDatabaseApp Second { get; private set; } = null!;
    public NginxProxy Nginx { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)First).InitializeAsync();
        Second = new SameDatabaseApp(First, kestrel: true, FirstInstanceApp.BehindNginx);
        Nginx = await NginxProxy.StartAsync(First.BaseAddress, Second.BaseAddress!);
    }

    public async Task DisposeAsync()
    {
        Nginx?.Dispose();
        if (Second is not null)
        {
            await Second.DisposeAsync();
        }

        await ((IAsyncLifetime)First).DisposeAsync();
    }
}

/// <summary>
/// Several instances on PostgreSQL (issue 19, part 5): two Duban hosts with nothing in common but the database, behind
/// Debian's nginx on loopback, round robin, so each request goes to the other instance than the one before. The main
/// flows must not notice: a sign-in cookie and a form's antiforgery token made by one are taken by the other, an
/// action lands whichever instance receives it, an appeal sent again with its Idempotency-Key to the other instance is
/// one appeal, matter numbers stay unique under creates on both at once, and both sweeping at once act once per rung.
/// </summary>
public sealed class TwoInstancesTests(TwoInstances two) : IClassFixture<TwoInstances>
{
    private FirstInstanceApp App => two.First;

    private HttpClient ViaNginx(string token)
    {
        var client = new HttpClient { BaseAddress = two.Nginx.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Port(Uri address) => address.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The instance's port that answered, through nginx.</summary>
    private static string Instance(HttpResponseMessage response) => NginxProxy.Upstream(response).Split(':')[^1];

    [Fact]
    public async Task ASignedInPerson_MovesBetweenInstances_WithOneCookie_AndFormsMadeOnEither()
    {
        var office = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor, two.Nginx.BaseAddress);

        // The same cookie on both instances, one request after the other.
        using var home1 = await office.Client.GetAsync(new Uri("/", UriKind.Relative));
        using var home2 = await office.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (home1.StatusCode, home2.StatusCode));
        Assert.Equal(new[] { Port(App.BaseAddress), Port(two.Second.BaseAddress!) }.Order(), new[] { Instance(home1), Instance(home2) }.Order());

        // 交办: the form drawn by one instance (its antiforgery token, its submission key) is posted to the other.
        using var form = await office.Client.GetAsync(new Uri("/assign", UriKind.Relative));
        var html = await form.Content.ReadAsStringAsync();
        var title = $"跨实例交办 {Guid.NewGuid():N}";
        using var assigned = await office.Client.PostAsync(new Uri("/assign", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageSession.FormToken(html),
            ["submissionKey"] = System.Text.RegularExpressions.Regex.Match(html, "name=\"submissionKey\" value=\"([0-9a-f]{32})\"").Groups[1].Value,
            ["Form.Title"] = title,
            ["Form.Content"] = "两台服务器之间来回提交，应只生成一件事项。",
            ["Form.Kind"] = "assignment",
            ["Form.Source"] = "meeting",
            ["Form.Goal"] = "按期完成",
            ["Form.Standard"] = "逐项销号",
            ["Form.LeadUnit"] = "K-T",
            ["Form.Profile"] = "13710",
        }));
        Assert.True(assigned.StatusCode == HttpStatusCode.Redirect, await assigned.Content.ReadAsStringAsync());
        Assert.NotEqual(Instance(form), Instance(assigned));
        var id = await MatterIdAsync(title);

        // The township signs in through nginx too and acknowledges it on the matter page: the page from one instance,
        // the action to the other, and the result read back from each.
        var township = await PageSession.SignInAsync(App, "K-T", Role.Handler, two.Nginx.BaseAddress);
        var url = string.Create(CultureInfo.InvariantCulture, $"/matters/{id}");
        using var page = await township.Client.GetAsync(new Uri(url, UriKind.Relative));
        using var acknowledged = await township.Client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageSession.FormToken(await page.Content.ReadAsStringAsync()),
            ["action"] = "acknowledge",
        }));
        Assert.True(acknowledged.StatusCode == HttpStatusCode.Redirect, await acknowledged.Content.ReadAsStringAsync());
        Assert.NotEqual(Instance(page), Instance(acknowledged));
        foreach (var _ in new[] { 1, 2 })
        {
            using var after = await ViaNginx(App.SupervisorToken).GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"/api/matters/{id}"), UriKind.Relative));
            Assert.Equal("acknowledged", (await after.Content.ReadFromJsonAsync<JsonNode>())!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AnAppeal_SentAgainWithItsKey_ToTheOtherInstance_IsOneAppeal()
    {
        var key = Guid.NewGuid().ToString("N");
        var body = new
        {
            title = $"路灯不亮 {key}",
            content = "幸福路 12 号小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快修复。",
            category = "城乡建设",
            region = "K-T",
            contactName = "张三",
            contactPhone = "13900001234",
            channel = "hotline",
        };
        using var client = ViaNginx(App.SupervisorToken);
        async Task<HttpResponseMessage> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/appeals") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        using var first = await SendAsync();
        using var again = await SendAsync();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.NotEqual(Instance(first), Instance(again));
        var (a, b) = ((await first.Content.ReadFromJsonAsync<JsonNode>())!, (await again.Content.ReadFromJsonAsync<JsonNode>())!);
        Assert.Equal(a["trackingCode"]!.GetValue<string>(), b["trackingCode"]!.GetValue<string>());
        await using var scope = App.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Matters.CountAsync(m => m.Title == body.title));
    }

    [Fact]
    public async Task MattersCreatedOnBothAtOnce_GetUniqueNumbers()
    {
        const int count = 40;
        using var client = ViaNginx(App.SupervisorToken);
        using var gate = new SemaphoreSlim(8); // eight clients
        var created = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.PostAsJsonAsync("/api/matters", TestMatters.Assignment("K-T"));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                return (Instance(response), Code: (await response.Content.ReadFromJsonAsync<JsonNode>())!["code"]!.GetValue<string>());
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(2, created.Select(c => c.Item1).Distinct().Count());
        Assert.Equal(count, created.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(created, c => Assert.Matches(@"^DB-2024-\d{6}$", c.Code));
    }

    [Fact]
    public async Task BothInstancesSweepingAtOnce_ActOncePerRung()
    {
        const int matters = 200; // 600 milestones: more than one claim of each instance's sweep
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var assign = scope.ServiceProvider.GetRequiredService<AssignMatter>();
            for (var i = 0; i < matters; i++)
            {
                await assign.ExecuteAsync(TestMatters.Assignment("K-T"), App.Org.Supervisor);
            }
        }

        // Weeks later every rung of every open milestone has fallen due, on both instances' clocks alike.
        var now = DateTimeOffset.Parse("2024-05-06T09:00:00+08:00", CultureInfo.InvariantCulture);
        async Task<SweepSummary> SweepAsync(IServiceProvider services)
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SweepDeadlines>().RunAsync(now);
        }

        var runs = await Task.WhenAll(SweepAsync(App.Services), SweepAsync(two.Second.Services));
        var again = await Task.WhenAll(SweepAsync(App.Services), SweepAsync(two.Second.Services));

        await using var check = App.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<DubanDbContext>();
        var escalations = await db.Escalations.CountAsync();
        Assert.True(escalations >= 12 * matters, $"{escalations} escalations for {matters} matters");
        Assert.Equal(escalations, await db.Escalations.Select(e => new { e.MilestoneId, e.Kind }).Distinct().CountAsync());
        Assert.Equal(escalations, runs.Sum(r => r.Warned + r.Urged + r.Escalated + r.Accountability));
        Assert.All(again, r => Assert.Equal(new SweepSummary(0, 0, 0, 0), r));
    }

    [Fact]
    public async Task TwoProcesses_StartingAtOnceOnAnEmptyDatabase_MakeOneSchemaOneDemoAndOneKey()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(TestDatabase.Postgres);
        var attachments = Path.Combine(Path.GetTempPath(), $"duban-attachments-{Guid.NewGuid():N}");
        var settings = Crash.ServerProcess.Settings(TestDatabase.Postgres, database.ConnectionString, attachments);
        try
        {
            using var a = Crash.ServerProcess.Start(settings, Crash.ServerProcess.FreePort());
            using var b = Crash.ServerProcess.Start(settings, Crash.ServerProcess.FreePort());
            await Task.WhenAll(a.WaitReadyAsync(TimeSpan.FromMinutes(2)), b.WaitReadyAsync(TimeSpan.FromMinutes(2)));

            await using var services = Crash.ServerProcess.DataServices(settings);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            Assert.Equal(1, await db.Units.CountAsync(u => u.Code == "4101"));
            // One Data Protection key: two would each be the default of one process, and a cookie sealed by one is not
            // opened by the other once its first minutes (when an unknown key makes it read the keys again) are over.
            Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
            Assert.Single(new[] { a.Output, b.Output }, o => o.Contains("数据库为空", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(attachments))
            {
                Directory.Delete(attachments, recursive: true);
            }
        }
    }

    private async Task<long> MatterIdAsync(string title)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Matters.Where(m => m.Title == title).Select(m => m.Id).SingleAsync();
    }
}
