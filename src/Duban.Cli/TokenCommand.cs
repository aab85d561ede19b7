using System.CommandLine;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban token create</c>: API tokens (API 令牌); prints the secret alone, only its hash is stored.</summary>
internal sealed class TokenCommand(CliContext cli)
{
    private readonly Option<string> _unit = new("--unit") { Description = "单位代码", Required = true };
    private readonly Option<string> _role = new("--role") { Description = "admin|leader|supervisor|handler|cadre", Required = true };
    private readonly Option<string> _name = new("--name") { Description = "用途名称", Required = true };

    public Command Create()
    {
        var create = new Command("create", "创建 API 令牌，只打印令牌本身") { _unit, _role, _name };
        create.SetAction(CreateAsync);
        return new Command("token", "API 令牌") { create };
    }

    private async Task<int> CreateAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var secret = await scope.ServiceProvider.GetRequiredService<ApiTokens>()
            .CreateAsync(result.GetValue(_unit)!, result.GetValue(_role)!, result.GetValue(_name)!, ct);
        await cli.Output.WriteLineAsync(secret);
        return 0;
    }
}
