using System.CommandLine;
using Duban.Data.Escalation;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban sweep</c>: the deadline sweep, the same method the web host's job calls.</summary>
internal sealed class SweepCommand(CliContext cli)
{
    private readonly Option<string?> _now = new("--now") { Description = "按此时刻扫描（默认现在），如 2024-03-01T09:00+08:00 / sweep as of this instant" };

    public Command Create()
    {
        var sweep = new Command("sweep", "时限扫描：临期预警、催办、督办、问责（重复执行不会重复记录）/ the deadline sweep; idempotent") { _now };
        sweep.SetAction(SweepAsync);
        return sweep;
    }

    private async Task<int> SweepAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var at = cli.NowOr(result.GetValue(_now));
        var summary = await scope.ServiceProvider.GetRequiredService<SweepDeadlines>().RunAsync(at, ct);
        await cli.Output.WriteLineAsync(summary.ToString());
        return 0;
    }
}
