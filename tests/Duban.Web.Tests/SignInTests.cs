using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duban.Tests;

/// <summary>Every log event written, for the tests that check what sign-in logs.</summary>
public sealed class LogCollector : ILoggerProvider
{
    public sealed record Entry(string Category, int EventId, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            owner.Entries.Enqueue(new Entry(category, eventId.Id, logLevel, formatter(state, exception),
                values.ToDictionary(kv => kv.Key, kv => kv.Value)));
        }
    }
}

/// <summary>The host behind a trusted proxy on 127.0.0.1 (so each test can come from its own client address through
/// <c>X-Forwarded-For</c>), logging sign-in events to <see cref="Logs"/>.</summary>
public abstract class SignInApp : DubanApp
{
    public LogCollector Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Network:TrustedProxies", "127.0.0.1");
        builder.UseSetting("Logging:LogLevel:Duban.Web.Security", "Information");
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }
}

public sealed class SqliteSignInApp : SignInApp
{
    protected override string Engine => TestDatabase.Sqlite;
}

public sealed class PostgresSignInApp : SignInApp
{
    protected override string Engine => TestDatabase.Postgres;
}

/// <summary>
/// Sign-in cannot be used to lock others out or to find user names; sign-ins are logged; sessions end at logout,
/// which needs the form's token; a cookie outlives a restart (keys in the database).
/// </summary>
public abstract partial class SignInTests<TApp>(TApp app) where TApp : SignInApp
{
    private const string Password = "Duban-Test-2024!";

    [GeneratedRegex("<div class=\"error[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex Summary();

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>A client address of its own, so tests sharing the host never share an address's failures.</summary>
    private static string Address() => $"198.51.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}";

    private async Task<string> PersonAsync(string tag)
    {
        var name = $"u{tag}";
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, "测试人员", "C-DC", [Role.Supervisor], Password);
        return name;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string address, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-Forwarded-For", address);
        return await client.SendAsync(request);
    }

    /// <summary>Posts the login form from the address; the answer (a redirect when signed in).</summary>
    private async Task<HttpResponseMessage> LoginAsync(string userName, string password, string address, HttpClient? client = null)
    {
        client ??= PageSession.Browser(app);
        using var page = await SendAsync(client, HttpMethod.Get, "/login", address);
        var token = PageSession.FormToken(await page.Content.ReadAsStringAsync());
        return await SendAsync(client, HttpMethod.Post, "/login", address, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var match = Summary().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success, "no error summary on the login page");
        return WebUtility.HtmlDecode(Regex.Replace(match.Groups[1].Value, "<[^>]+>", string.Empty)).Trim();
    }

    [Fact]
    public async Task FiveWrongPasswords_DoNotLockTheOwnerOut_TheyOnlyMakeTheNextAttemptWait()
    {
        var name = await PersonAsync(Tag());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(PasswordSignIn.Refusal, await RefusalAsync(await LoginAsync(name, "wrong-password-" + i, Address())));
        }

        // Straight after, even the right password waits (2 s), with the same message …
        var owner = Address();
        Assert.Equal(PasswordSignIn.Refusal, await RefusalAsync(await LoginAsync(name, Password, owner)));
        // … and then it goes through: no lock of 15 minutes that anyone could renew.
        app.Clock.Advance(TimeSpan.FromSeconds(3));
        using var signedIn = await LoginAsync(name, Password, owner);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>().FindByNameAsync(name);
        Assert.Null(user!.LockoutEnd);
    }

    [Fact]
    public async Task FortyUserNames_FromOneAddress_MeetTheThrottle_AnotherAddressDoesNot()
    {
        var tag = Tag();
        var name = await PersonAsync(tag);
        var guesser = Address();
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(PasswordSignIn.Refusal, await RefusalAsync(await LoginAsync($"guess{tag}{i}", "wrong-password", guesser)));
        }

        var throttled = app.Logs.Entries.Count(e => e.EventId == SecurityEvents.Ids.SignInThrottled && Equals(e.State["Address"], guesser));
        Assert.Equal(20, throttled); // 20 free failures per address, then each attempt waits (and is not counted)
        // From the guessing address even a right password now waits; from another it goes through.
        Assert.Equal(PasswordSignIn.Refusal, await RefusalAsync(await LoginAsync(name, Password, guesser)));
        using var elsewhere = await LoginAsync(name, Password, Address());
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Fact]
    public async Task UnknownNames_WrongPasswords_AndADisabledAccount_GetOneMessage_AndTakeAboutAsLong()
    {
        var tag = Tag();
        var known = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            known.Add(await PersonAsync(tag + i));
        }

        var address = Address();
        await LoginAsync("warm-up" + tag, "x", Address()); // the first unknown name makes the dummy hash
        var unknownTimes = new List<double>();
        var knownTimes = new List<double>();
        var messages = new HashSet<string>();
        for (var i = 0; i < 7; i++)
        {
            foreach (var (name, times) in new[] { ($"nobody{tag}{i}", unknownTimes), (known[i], knownTimes) })
            {
                var client = PageSession.Browser(app);
                using var page = await SendAsync(client, HttpMethod.Get, "/login", address);
                var token = PageSession.FormToken(await page.Content.ReadAsStringAsync());
                var watch = Stopwatch.StartNew();
                using var answer = await SendAsync(client, HttpMethod.Post, "/login", address, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["UserName"] = name, ["Password"] = "wrong-password", ["__RequestVerificationToken"] = token,
                }));
                times.Add(watch.Elapsed.TotalMilliseconds);
                messages.Add(await RefusalAsync(answer));
            }
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().SetLockedAsync(known[0], locked: true);
        }

        messages.Add(await RefusalAsync(await LoginAsync(known[0], Password, Address())));
        Assert.Equal([PasswordSignIn.Refusal], messages);
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        var ratio = Median(knownTimes) / Median(unknownTimes);
        Assert.True(ratio is > 0.4 and < 2.5,
            $"a wrong password took {Median(knownTimes):F0} ms, an unknown name {Median(unknownTimes):F0} ms (median of 7)");
    }

    [Fact]
    public async Task SignIn_Failure_AndLogout_AreLogged_WithNameAndAddress_NeverThePassword()
    {
        var name = await PersonAsync(Tag());
        var address = Address();
        const string wrong = "Wrong-Secret-9876";
        await RefusalAsync(await LoginAsync(name, wrong, address));
        var client = PageSession.Browser(app);
        using (var signedIn = await LoginAsync(name, Password, address, client))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using (var logout = await SendAsync(client, HttpMethod.Post, "/logout", address,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageSession.FormToken(home) })))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        var mine = app.Logs.Entries.Where(e => Equals(e.State.GetValueOrDefault("UserName"), name)).ToList();
        Assert.Equal([SecurityEvents.Ids.SignInFailed, SecurityEvents.Ids.SignedIn, SecurityEvents.Ids.SignedOut], mine.Select(e => e.EventId));
        Assert.All(mine, e => Assert.Equal(address, e.State["Address"]));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(wrong, StringComparison.Ordinal) || e.Message.Contains(Password, StringComparison.Ordinal)
            || e.State.Values.Any(v => v?.ToString()?.Contains(wrong, StringComparison.Ordinal) == true));
    }

    /// <summary>Signs in; the client and the raw sign-in cookie.</summary>
    private async Task<(HttpClient Client, string Cookie)> SessionAsync()
    {
        var name = await PersonAsync(Tag());
        var client = PageSession.Browser(app);
        using var response = await LoginAsync(name, Password, Address(), client);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("duban.auth=", StringComparison.Ordinal));
        return (client, cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]);
    }

    private static async Task<HttpStatusCode> HomeWithAsync(Uri baseAddress, string cookie, HttpMessageHandler? handler = null)
    {
        using var client = handler is null
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress }
            : new HttpClient(handler) { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ACookie_ReplayedAfterLogout_GetsTheLoginPage()
    {
        var (client, cookie) = await SessionAsync();
        Assert.Equal(HttpStatusCode.OK, await HomeWithAsync(app.BaseAddress, cookie));
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var logout = await client.PostAsync(new Uri("/logout", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PageSession.FormToken(home) }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/login", logout.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, await HomeWithAsync(app.BaseAddress, cookie)); // to the login page
    }

    [Fact]
    public async Task Logout_WithoutTheFormsToken_IsRefused_AndTheSessionGoesOn()
    {
        var (client, cookie) = await SessionAsync();
        using var forged = await client.PostAsync(new Uri("/logout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await HomeWithAsync(app.BaseAddress, cookie));
    }

    [Fact]
    public async Task ACookie_IssuedBeforeARestart_WorksAfterIt_AndOnASecondInstance()
    {
        var (_, cookie) = await SessionAsync();
        // Another host on the same database, with none of the first one's memory: keys come from the database.
        await using var restarted = new SameDatabaseApp(app);
        Assert.Equal(HttpStatusCode.OK, await HomeWithAsync(restarted.Server.BaseAddress, cookie, restarted.Server.CreateHandler()));
    }
}

public sealed class SqliteSignInTests(SqliteSignInApp app) : SignInTests<SqliteSignInApp>(app), IClassFixture<SqliteSignInApp>;

public sealed class PostgresSignInTests(PostgresSignInApp app) : SignInTests<PostgresSignInApp>(app), IClassFixture<PostgresSignInApp>;
