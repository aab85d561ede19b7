using System.Globalization;
using System.Net.Http.Headers;
using Duban.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// The real web host on Kestrel (a real socket on 127.0.0.1) over a fresh database of one engine, with a fake
/// clock and the test organisation; one per test class. Tokens per role for API calls.
/// </summary>
public abstract class DubanApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    protected abstract string Engine { get; }

    /// <summary>Where Kestrel listens: 127.0.0.1 and a port the OS chose.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public TestClock Clock { get; } = new(DateTimeOffset.Parse("2024-02-08T10:00:00+08:00", CultureInfo.InvariantCulture));
    public TestOrganisation Org { get; private set; } = null!;
    public string SupervisorToken { get; private set; } = "";
    public string TownshipToken { get; private set; } = "";
    public string DepartmentToken { get; private set; } = "";
    public string AdminToken { get; private set; } = "";

    /// <summary>The settings that point a host at this database (a second instance, a restart).</summary>
    public IReadOnlyDictionary<string, string?> DatabaseSettings => _database!.Settings;

    /// <summary>The database's connection string, for the command line (<c>--db</c>).</summary>
    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Engine);
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        Org = await TestOrganisation.CreateAsync(Services);
        await using var scope = Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokens>();
        SupervisorToken = await tokens.CreateAsync("C-DC", "supervisor", "督查室测试");
        TownshipToken = await tokens.CreateAsync("K-T", "handler", "镇测试");
        DepartmentToken = await tokens.CreateAsync("C-ZJ", "handler", "住建测试");
        AdminToken = await tokens.CreateAsync("C", "admin", "管理员测试");
    }

    /// <summary>An HTTP client over the real socket, signed in with a token (or anonymous).</summary>
    public HttpClient Client(string? token = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = BaseAddress });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _database!.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>Another host on a <see cref="DubanApp"/>'s database and clock, with none of its memory: a restart, or a
/// second instance. In memory (<see cref="WebApplicationFactory{TEntryPoint}.Server"/>), or on a real socket of its own.</summary>
public sealed class SameDatabaseApp : WebApplicationFactory<Program>
{
    private readonly DubanApp _first;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="first">The host whose database and clock this one shares.</param>
    /// <param name="kestrel">On a real socket (127.0.0.1, a port the OS chose) rather than in memory.</param>
    /// <param name="settings">Added to the database's settings.</param>
    public SameDatabaseApp(DubanApp first, bool kestrel = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _first = first;
        _settings = settings ?? new Dictionary<string, string?>();
        if (kestrel)
        {
            UseKestrel(0);
            StartServer();
            BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        }
    }

    /// <summary>Where Kestrel listens, when started on a socket.</summary>
    public Uri? BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _first.DatabaseSettings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_first.Clock));
    }
}

public sealed class SqliteApp : DubanApp
{
    protected override string Engine => TestDatabase.Sqlite;
}

public sealed class PostgresApp : DubanApp
{
    protected override string Engine => TestDatabase.Postgres;
}
