using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests;

/// <summary>One test's world: a fresh database on an engine, a fake clock, services and the test organisation.</summary>
public sealed class Storage : IAsyncDisposable
{
    private Storage(TestDatabase database, FakeTimeProvider clock, ServiceProvider services, TestOrganisation org)
    {
        Database = database;
        Clock = clock;
        Services = services;
        Org = org;
    }

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public ServiceProvider Services { get; }
    public TestOrganisation Org { get; }

    public static async Task<Storage> CreateAsync(string engine, string now = "2024-02-08T10:00:00+08:00",
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(engine);
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        var services = await database.ServicesAsync(clock, settings);
        return new Storage(database, clock, services, await TestOrganisation.CreateAsync(services));
    }

    /// <summary>Runs one unit of work in its own scope, as one request would.</summary>
    public async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task RunAsync(Func<IServiceProvider, Task> work) => RunAsync(async s =>
    {
        await work(s);
        return true;
    });

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
