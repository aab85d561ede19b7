using System.Net;
using System.Net.Http.Headers;
using Duban.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Duban.Tests;

/// <summary>Tight per-address limits behind a trusted proxy on 127.0.0.1.</summary>
public sealed class TightLimitsBehindProxyApp : DubanApp
{
    protected override string Engine => TestDatabase.Sqlite;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:LookupPerMinute", "3");
        builder.UseSetting("Portal:SubmitPerMinute", "2");
        builder.UseSetting("Network:TrustedProxies", "10.9.9.9, 127.0.0.1/32");
    }
}

/// <summary>
/// The public limits (tracking-code look-ups, ratings, the portal) are keyed on the client address only: no
/// <c>Authorization</c> header skips them, <c>X-Forwarded-For</c> is believed only from a trusted proxy, and
/// citizens behind the proxy each get their own limit.
/// </summary>
public sealed class RateLimitTests(TightLimitsApp direct, TightLimitsBehindProxyApp proxied)
    : IClassFixture<TightLimitsApp>, IClassFixture<TightLimitsBehindProxyApp>
{
    private static async Task<List<HttpStatusCode>> RepeatAsync(int times, Func<Task<HttpResponseMessage>> send)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            using var response = await send();
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static HttpRequestMessage Lookup(string? forwardedFor = null, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/appeals/3333-3333-3333", UriKind.Relative));
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return request;
    }

    [Fact]
    public async Task AnAuthorizationHeader_DoesNotSkipTheLookupLimit_NorDoesAValidToken()
    {
        using var client = proxied.Client();
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests],
            await RepeatAsync(4, () => client.SendAsync(Lookup("203.0.113.10", "Bearer x"))));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Lookup("203.0.113.10", "Bearer " + proxied.SupervisorToken))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Lookup("203.0.113.10", "Basic eDp4"))).StatusCode);
    }

    [Fact]
    public async Task Ratings_WithAnyAuthorizationHeader_AreLimited()
    {
        using var client = proxied.Client();
        var statuses = await RepeatAsync(3, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/appeals/4444-4444-4444/rate", UriKind.Relative))
            {
                Content = new StringContent("""{"satisfaction":"satisfied"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.20");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x");
            return client.SendAsync(request);
        });
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindTheTrustedProxy_EachCitizenHasTheirOwnLimit()
    {
        using var client = proxied.Client();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RepeatAsync(4, () => client.SendAsync(Lookup("203.0.113.30")))).Last());
        // Another citizen through the same proxy is not held back by the first; a chain ending in the proxy's own
        // trusted hop is walked back to the citizen.
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Lookup("203.0.113.31"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Lookup("203.0.113.32, 10.9.9.9"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Lookup("203.0.113.30, 10.9.9.9"))).StatusCode);
    }

    [Fact]
    public async Task FromAnUntrustedPeer_XForwardedFor_IsIgnored()
    {
        // The plain host trusts no proxy: a different X-Forwarded-For on every request still meets one limit.
        using var client = direct.Client();
        var i = 0;
        var statuses = await RepeatAsync(4, () => client.SendAsync(Lookup($"192.0.2.{++i}", "Bearer y")));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses.Last());
    }

    [Fact]
    public void TrustedProxies_ReadAddressesAndNetworks_AndRefuseAnythingElse()
    {
        static IConfiguration Config(params (string Key, string Value)[] pairs) =>
            new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

        Assert.Empty(TrustedProxies.Read(Config()));
        Assert.Equal(["10.0.0.5/32", "10.1.0.0/16", "::1/128"],
            TrustedProxies.Read(Config(("Network:TrustedProxies", "10.0.0.5, 10.1.0.0/16 ::1"))).Select(n => n.ToString()));
        Assert.Equal(["192.168.1.0/24"], TrustedProxies.Read(Config(("Network:TrustedProxies:0", "192.168.1.0/24"))).Select(n => n.ToString()));
        var error = Assert.Throws<InvalidOperationException>(() => TrustedProxies.Read(Config(("Network:TrustedProxies:0", "proxy.example"))));
        Assert.Contains("proxy.example", error.Message, StringComparison.Ordinal);
    }
}
