using System.CommandLine;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary>
/// <c>duban sweep</c> and <c>duban deliver</c>: one round of the web host's two jobs, by hand or from cron. Each calls the
/// same method as its job, with <c>--now</c> or the clock's now, and prints the round's summary.
/// </summary>
internal sealed class JobsCommand(CliContext cli)
{
    public Command Sweep() => Once("sweep", "时限扫描：临期预警、催办、督办、问责（重复执行不会重复记录）",
        "按此时刻扫描（默认现在），如 2024-03-01T09:00+08:00",
        async (services, at, ct) => (await services.GetRequiredService<SweepDeadlines>().RunAsync(at, ct)).ToString());

    public Command Deliver() => Once("deliver", "投递到期的 webhook 和邮件通知（至少一次）",
        "按此时刻投递到期的通知（默认现在）",
        async (services, at, ct) => (await services.GetRequiredService<DeliverDue>().RunAsync(at, ct)).ToString());

    private Command Once(string name, string description, string nowDescription, Func<IServiceProvider, DateTimeOffset, CancellationToken, Task<string>> run)
    {
        var now = new Option<string?>("--now") { Description = nowDescription };
        var command = new Command(name, description) { now };
        command.SetAction(async (result, ct) =>
        {
            await using var scope = await cli.OpenAsync(result, ct);
            var summary = await run(scope.ServiceProvider, cli.NowOr(result.GetValue(now)), ct);
            await cli.Output.WriteLineAsync(summary);
            return 0;
        });
        return command;
    }
}
