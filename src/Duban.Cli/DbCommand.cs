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
        var migrate = new Command("migrate", "建库或升级到当前版本");
        migrate.SetAction(MigrateAsync);
        return new Command("db", "数据库") { migrate };
    }

    private async Task<int> MigrateAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var applied = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Database.GetAppliedMigrationsAsync(ct);
        await cli.Output.WriteLineAsync($"数据库已是最新版本（{applied.LastOrDefault()}）");
        return 0;
    }
}
