using System.CommandLine;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban db migrate</c>: creates or upgrades the schema (opening the database migrates it).</summary>
internal sealed class DbCommand(CliContext cli)
{
    public Command Create()
    {
        var migrate = new Command("migrate", "建库或升级到当前版本 / create or upgrade the schema");
        migrate.SetAction(MigrateAsync);
        return new Command("db", "数据库 / database") { migrate };
    }

    private async Task<int> MigrateAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var applied = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Database.GetAppliedMigrationsAsync(ct);
        await cli.Output.WriteLineAsync($"schema: {applied.LastOrDefault()}");
        return 0;
    }
}
