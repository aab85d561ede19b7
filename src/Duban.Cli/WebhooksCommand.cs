using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban webhooks add|list</c>: outbound webhooks (通知推送).</summary>
internal sealed class WebhooksCommand(CliContext cli)
{
    private readonly Argument<string> _url = new("url") { Description = "接收地址" };
    private readonly Option<string> _secret = new("--secret") { Description = "签名密钥（16–200 字符）", Required = true };
    private readonly Option<string?> _unit = new("--unit") { Description = "只推送该单位及下级的通知" };

    public Command Create()
    {
        var add = new Command("add", "添加 webhook") { _url, _secret, _unit };
        add.SetAction(AddAsync);
        var list = new Command("list", "webhook 列表（不显示密钥）");
        list.SetAction(ListAsync);
        return new Command("webhooks", "通知推送 webhook") { add, list };
    }

    private async Task<int> AddAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var hook = await scope.ServiceProvider.GetRequiredService<NotificationAdmin>()
            .AddWebhookAsync(result.GetValue(_url), result.GetValue(_secret), result.GetValue(_unit), ct);
        await cli.Output.WriteLineAsync(FormattableString.Invariant($"已添加 Webhook {hook.Id}：{hook.Url}{(hook.Unit is null ? "" : $"（单位 {hook.Unit}）")}"));
        return 0;
    }

    private async Task<int> ListAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        foreach (var hook in await scope.ServiceProvider.GetRequiredService<NotificationAdmin>().WebhooksAsync(ct))
        {
            await cli.Output.WriteLineAsync(string.Join('\t', hook.Id.ToString(CultureInfo.InvariantCulture), hook.Url, hook.Unit ?? "-", hook.Active ? "启用" : "停用"));
        }

        return 0;
    }
}
