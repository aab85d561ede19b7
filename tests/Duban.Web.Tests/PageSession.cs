using System.Net;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>A person of a role signed in through the login form over the real socket, like a browser that keeps
/// cookies and does not follow redirects (every hop is seen), with the antiforgery token its forms carry.</summary>
public sealed partial record PageSession(HttpClient Client, string Token)
{
    public const string Password = "Duban-Test-2024!";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public static HttpClient Browser(DubanApp app, Uri? via = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = via ?? app.BaseAddress };

    /// <summary>The antiforgery token in a page's form.</summary>
    public static string FormToken(string html) => TokenPattern().Match(html).Groups[1].Value;

    /// <summary>Creates a new person of the role in the unit and signs them in through the login form; at the app, or
    /// <paramref name="via"/> another address (a proxy in front of it).</summary>
    public static async Task<PageSession> SignInAsync(DubanApp app, string unit, Role role, Uri? via = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var name = $"{role.ToString().ToLowerInvariant()}{Guid.NewGuid():N}"[..20];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, $"测试{role}", unit, [role], Password);
        }

        var client = Browser(app, via);
        var login = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = name, ["Password"] = Password, ["__RequestVerificationToken"] = FormToken(login),
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        return new PageSession(client, FormToken(home));
    }

    /// <summary>Posts a form with the session's antiforgery token.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> fields) =>
        Client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = Token,
        }));

    public Task<string> GetStringAsync(string url) => Client.GetStringAsync(new Uri(url, UriKind.Relative));
}
