using System.Globalization;
using Duban.Cli;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests.Assessment;

/// <summary><c>duban assessment cards issue|list</c>: the same issuing as the page button, idempotent.</summary>
public sealed class CardsCliTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2024-03-20T10:00:00+08:00", CultureInfo.InvariantCulture);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, new FakeTimeProvider(Now));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Issue_IssuesTheCardsDueOnce_AndListShowsThem()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var services = await database.ServicesAsync(new FakeTimeProvider(Now)))
        {
            var org = await TestOrganisation.CreateAsync(services);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CardBook>().SaveRulesAsync(
                [new CardRuleInput(null, "criticism", 1, "month", "yellow")], org.Supervisor);
            var book = scope.ServiceProvider.GetRequiredService<CitationBook>();
            var id = await book.CreateAsync(new NewCitation("criticism", [new CitationUnitInput(org.UnitIds["K-T"], "超期")]), org.Supervisor);
            await book.PublishAsync(id, org.Supervisor);
        }

        var db = database.ConnectionString;
        var (exit, output, error) = await RunAsync("assessment", "cards", "issue", "--period", "2024-03", "--db", db);
        Assert.True(exit == 0, error);
        Assert.Contains("新发 1 张（黄牌 1，红牌 0）", output, StringComparison.Ordinal);
        Assert.Contains("K-T\t测试镇\t黄牌\t2024-03\t2024年3月通报批评 1 个", output, StringComparison.Ordinal);

        (exit, output, _) = await RunAsync("assessment", "cards", "issue", "--period", "2024-03", "--db", db);
        Assert.Equal(0, exit);
        Assert.Contains("新发 0 张", output, StringComparison.Ordinal);
        (_, output, _) = await RunAsync("assessment", "cards", "list", "--period", "2024-Q1", "--db", db);
        Assert.Contains("测试镇\t黄牌", output, StringComparison.Ordinal);
        (exit, _, error) = await RunAsync("assessment", "cards", "issue", "--period", "2024", "--db", db);
        Assert.Equal(1, exit);
        Assert.Contains("按月", error, StringComparison.Ordinal);
    }
}
