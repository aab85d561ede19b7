using System.CommandLine;
using Duban.Data.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban deliver</c>: one round of the delivery worker, by hand.</summary>
internal sealed class DeliverCommand(CliContext cli)
{
    private readonly Option<string?> _now = new("--now") { Description = "按此时刻投递到期的通知（默认现在）/ deliver what is due at this instant" };

    public Command Create()
    {
        var deliver = new Command("deliver", "投递到期的 webhook 和邮件通知（至少一次）/ send due webhook and email notifications, at least once") { _now };
        deliver.SetAction(DeliverAsync);
        return deliver;
    }

    private async Task<int> DeliverAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var at = cli.NowOr(result.GetValue(_now));
        var summary = await scope.ServiceProvider.GetRequiredService<DeliverDue>().RunAsync(at, ct);
        await cli.Output.WriteLineAsync(summary.ToString());
        return 0;
    }
}
