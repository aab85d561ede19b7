using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban channels list|add|remove</c>: a unit's group robots and SMS (群机器人与短信).</summary>
internal sealed class ChannelsCommand(CliContext cli)
{
    private readonly Argument<string> _unit = new("unit") { Description = "单位代码" };
    private readonly Option<string> _platform = new("--platform") { Description = "wecom（企业微信）、dingtalk（钉钉）、feishu（飞书）或 sms（短信）", Required = true };
    private readonly Option<string?> _url = new("--url") { Description = "机器人的 Webhook 地址" };
    private readonly Option<string?> _secret = new("--secret") { Description = "钉钉加签或飞书签名校验的密钥" };
    private readonly Argument<long> _id = new("id") { Description = "渠道编号（见 list）" };

    public Command Create()
    {
        var list = new Command("list", "列出各单位的群机器人与短信（密钥不完整显示）");
        list.SetAction(ListAsync);
        var add = new Command("add", "为单位添加群机器人或开通短信") { _unit, _platform, _url, _secret };
        add.SetAction(AddAsync);
        var remove = new Command("remove", "删除群机器人或关闭短信") { _id };
        remove.SetAction(RemoveAsync);
        return new Command("channels", "群机器人与短信提醒") { list, add, remove };
    }

    private async Task<int> ListAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        foreach (var c in await scope.ServiceProvider.GetRequiredService<ChannelAdmin>().ListAsync(ct))
        {
            await cli.Output.WriteLineAsync(string.Join('\t', c.Id.ToString(CultureInfo.InvariantCulture), c.UnitName, c.KindName, c.Url ?? "-", c.Secret ?? "-"));
        }

        return 0;
    }

    private async Task<int> AddAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var unitCode = result.GetValue(_unit);
        var admin = scope.ServiceProvider.GetRequiredService<ChannelAdmin>();
        var platform = result.GetValue(_platform)?.Trim().ToLowerInvariant() switch
        {
            "wecom" => "weCom",
            "dingtalk" => "dingTalk",
            var other => other,
        };
        var added = platform == "sms"
            ? await admin.EnableSmsAsync(unitCode, ct)
            : await admin.AddRobotAsync(unitCode, platform, result.GetValue(_url), result.GetValue(_secret), ct);
        await cli.Output.WriteLineAsync(FormattableString.Invariant($"已添加 {added.Id}：{added.UnitName} {added.KindName}"));
        return 0;
    }

    private async Task<int> RemoveAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var removed = await scope.ServiceProvider.GetRequiredService<ChannelAdmin>().RemoveAsync(result.GetValue(_id), ct);
        await cli.Output.WriteLineAsync(FormattableString.Invariant($"已删除 {removed.Id}：{removed.UnitName} {removed.KindName}"));
        return 0;
    }
}
