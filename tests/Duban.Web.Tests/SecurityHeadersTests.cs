using System.Net;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Duban.Tests;

/// <summary>
/// Headers on every answer (CSP with a per-request script nonce, nosniff, Referrer-Policy, no framing, HSTS only over
/// TLS), cookies HttpOnly and SameSite and Secure behind TLS, antiforgery tokens in every post form and no inline
/// event handler on any page of the menu.
/// </summary>
public sealed partial class SecurityHeadersTests(SqliteSignInApp app) : IClassFixture<SqliteSignInApp>
{
    private const string Password = "Duban-Test-2024!";

    [GeneratedRegex("<form\\b([^>]*)>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Forms();

    [GeneratedRegex("<nav aria-label=\"主导航\">(.*?)</nav>", RegexOptions.Singleline)]
    private static partial Regex Menu();

    [GeneratedRegex("href=\"(/[^\"#]*)\"")]
    private static partial Regex Links();

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTags();

    [GeneratedRegex("<[a-z][^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    private static HttpClient Raw(DubanApp app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };

    private static string Csp(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single();

    [Theory]
    [InlineData("/login")]
    [InlineData("/api/appeals/5555-5555-5555")]
    [InlineData("/css/site.css")]
    [InlineData("/no-such-page")]
    [InlineData("/portal")]
    public async Task EveryAnswer_CarriesTheHeaders_AndNoHstsOverPlainHttp(string url)
    {
        using var client = Raw(app);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var csp = Csp(response);
        foreach (var part in new[] { "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'" })
        {
            Assert.Contains(part, csp, StringComparison.Ordinal);
        }

        var scripts = csp.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", scripts, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", scripts, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task EveryScript_CarriesThisRequestsNonce()
    {
        using var client = Raw(app);
        var nonces = new HashSet<string>();
        foreach (var url in new[] { "/login", "/login" })
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            var nonce = Regex.Match(Csp(response), "'nonce-([^']+)'").Groups[1].Value;
            Assert.NotEmpty(nonce);
            nonces.Add(nonce);
            var tags = ScriptTags().Matches(await response.Content.ReadAsStringAsync()).Select(m => m.Value).ToList();
            Assert.NotEmpty(tags);
            Assert.All(tags, t => Assert.Contains($"nonce=\"{nonce}\"", t, StringComparison.Ordinal));
        }

        Assert.Equal(2, nonces.Count); // a new nonce on every request
    }

    private static string? Cookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) : null;

    /// <summary>Signs in through the proxy (<c>https</c> or <c>http</c> as the proxy says); the two cookies' headers and the answer's HSTS.</summary>
    private async Task<(string Antiforgery, string Auth, bool Hsts)> SignInAsync(string scheme)
    {
        var name = $"h{Guid.NewGuid():N}"[..16];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, "测试人员", "C-DC", [Role.Supervisor], Password);
        }

        using var client = Raw(app);
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
        get.Headers.Add("X-Forwarded-Proto", scheme);
        get.Headers.Add("X-Forwarded-For", $"203.0.113.{Random.Shared.Next(1, 250)}");
        using var page = await client.SendAsync(get);
        var antiforgery = Cookie(page, ".AspNetCore.Antiforgery")
            ?? page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/login", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = name, ["Password"] = Password,
                ["__RequestVerificationToken"] = PageSession.FormToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("X-Forwarded-Proto", scheme);
        post.Headers.Add("X-Forwarded-For", get.Headers.GetValues("X-Forwarded-For").Single());
        post.Headers.Add("Cookie", antiforgery[..antiforgery.IndexOf(';', StringComparison.Ordinal)]);
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (antiforgery.ToLowerInvariant(), Cookie(signedIn, "duban.auth")!.ToLowerInvariant(), signedIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task BehindTls_CookiesAreSecure_AndHstsIsSent_OverPlainHttpNeither()
    {
        var tls = await SignInAsync("https");
        Assert.True(tls.Hsts);
        foreach (var cookie in new[] { tls.Antiforgery, tls.Auth })
        {
            Assert.Contains("; secure", cookie, StringComparison.Ordinal);
            Assert.Contains("; httponly", cookie, StringComparison.Ordinal);
        }

        Assert.Contains("; samesite=lax", tls.Auth, StringComparison.Ordinal);
        Assert.Contains("; samesite=strict", tls.Antiforgery, StringComparison.Ordinal);

        var plain = await SignInAsync("http");
        Assert.False(plain.Hsts);
        Assert.DoesNotContain("; secure", plain.Auth, StringComparison.Ordinal);
        Assert.Contains("; httponly", plain.Auth, StringComparison.Ordinal);
        Assert.Contains("; samesite=lax", plain.Auth, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Role.Admin, "C")]
    [InlineData(Role.Supervisor, "C-DC")]
    [InlineData(Role.Handler, "K-T")]
    public async Task EveryPostForm_OnEveryPageOfTheMenu_CarriesTheToken_AndNoPageHasAnInlineHandler(Role role, string unit)
    {
        var session = await PageSession.SignInAsync(app, unit, role);
        var home = await session.GetStringAsync("/");
        var pages = Links().Matches(Menu().Match(home).Groups[1].Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        Assert.True(pages.Count >= 10, $"only {pages.Count} menu pages");
        var postForms = 0;
        var problems = new List<string>();
        foreach (var url in pages.Append("/account/password"))
        {
            using var response = await session.Client.GetAsync(new Uri(url, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {html[..Math.Min(300, html.Length)]} {response.Headers}");
            foreach (Match form in Forms().Matches(html))
            {
                if (!Regex.IsMatch(form.Groups[1].Value, "method=\"post\"", RegexOptions.IgnoreCase))
                {
                    continue;
                }

                postForms++;
                if (!form.Groups[2].Value.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal))
                {
                    problems.Add($"{url}: <form{form.Groups[1].Value}> has no antiforgery token");
                }
            }

            if (InlineHandler().Match(html) is { Success: true } handler)
            {
                problems.Add($"{url}: inline handler in {handler.Value}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(postForms >= pages.Count, $"{postForms} post forms on {pages.Count} pages"); // at least the logout form on each
    }
}

/// <summary>The main pages in Chromium under the Content-Security-Policy: nothing refused, the dashboard's charts
/// drawn, the pages' own scripts working (the menu folds on a phone), and 退出 from the menu.</summary>
public sealed class SecurityHeadersBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    [Fact]
    public async Task MainPages_RunUnderTheCsp_WithoutAViolation()
    {
        var name = $"csp{Guid.NewGuid():N}"[..16];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, "管理员赵刚", "C", [Role.Admin, Role.Supervisor], Password);
        }

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                || message.Text.Contains("Refused to", StringComparison.Ordinal)))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: {error}");

        await page.GotoAsync("/login");
        await BrowserTests.ScreenshotsAsync(page, "security-login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Duban.Web.Security.PasswordSignIn.Refusal);
        await BrowserTests.ScreenshotsAsync(page, "security-login-refused");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/$"));

        foreach (var url in new[] { "/", "/supervision", "/Dashboard", "/Reviews", "/Lists", "/Items", "/Pairing", "/Weekly", "/Assessment/Results",
                     "/Assessment", "/Assessment/Judging", "/assign", "/Instructions", "/HotIssues", "/admin/users", "/admin/routing", "/portal", "/portal/track" })
        {
            await page.GotoAsync(url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        await page.GotoAsync("/Dashboard");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.True(await page.Locator("[data-dashboard] canvas").CountAsync() > 0, "the dashboard drew no chart");
        await BrowserTests.ScreenshotsAsync(page, "security-dashboard");

        // An inline script runs (with its nonce): on a phone the layout's script folds the menu.
        await page.SetViewportSizeAsync(390, 900);
        await page.GotoAsync("/");
        Assert.False(await page.EvaluateAsync<bool>("document.querySelector('details.menu').open"));
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/login$"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await context.CloseAsync();
    }
}
