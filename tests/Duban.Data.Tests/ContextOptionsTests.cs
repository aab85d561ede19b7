using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The database context's options are built once for each place a context reads and shared by every request's
/// context; a page's GET and a replica read still get their own connections.</summary>
public sealed class ContextOptionsTests
{
    private const string Primary = "Host=primary;Database=duban;Username=duban";
    private const string Replica = "Host=replica;Database=duban;Username=duban";

    [Fact]
    public async Task ContextsOfTwoRequests_ShareOneOptions_APageReadAndAReplicaReadEachTheirOwnConnection()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "postgres",
                ["ConnectionStrings:Duban"] = Primary,
                ["Database:ReadConnection"] = Replica,
            }).Build())
            .AddDubanData()
            .BuildServiceProvider();

        var first = Context(services, replica: false, pageRead: false);
        var second = Context(services, replica: false, pageRead: false);
        var page = Context(services, replica: false, pageRead: true);
        var replica = Context(services, replica: true, pageRead: false);

        Assert.NotSame(first.Context, second.Context);
        Assert.Same(first.Options, second.Options);
        Assert.Equal(Primary, first.Context.Database.GetConnectionString());
        Assert.Equal(DatabaseOptions.PageReads(Primary), page.Context.Database.GetConnectionString());
        Assert.Equal(Replica, replica.Context.Database.GetConnectionString());
        Assert.Same(page.Options, Context(services, replica: false, pageRead: true).Options);
    }

    private static (DubanDbContext Context, DbContextOptions<DubanDbContext> Options) Context(IServiceProvider services, bool replica, bool pageRead)
    {
        var scope = services.CreateScope(); // its context never opens a connection: nothing to close
        var target = scope.ServiceProvider.GetRequiredService<ReadTarget>();
        (target.Replica, target.PageRead) = (replica, pageRead);
        return (scope.ServiceProvider.GetRequiredService<DubanDbContext>(), scope.ServiceProvider.GetRequiredService<DbContextOptions<DubanDbContext>>());
    }
}
