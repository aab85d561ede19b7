using System.CommandLine;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban users create|set-password</c>: people's sign-ins (登录账号).</summary>
internal sealed class UsersCommand(CliContext cli)
{
    private readonly Option<string> _userName = new("--user") { Description = "登录名", Required = true };
    private readonly Option<string> _display = new("--display") { Description = "姓名", Required = true };
    private readonly Option<string> _unit = new("--unit") { Description = "单位代码", Required = true };
    private readonly Option<string[]> _role = new("--role") { Description = "角色，可多个", Required = true, AllowMultipleArgumentsPerToken = true };
    private readonly Option<string> _password = new("--password") { Description = "密码（至少 10 位）", Required = true };
    private readonly Option<string?> _email = new("--email") { Description = "邮件地址，用于接收通知" };
    private readonly Option<string> _resetUser = new("--user") { Description = "登录名", Required = true };
    private readonly Option<string> _newPassword = new("--password") { Description = "新密码（至少 10 位）", Required = true };

    public Command Create()
    {
        var create = new Command("create", "创建登录账号") { _userName, _display, _unit, _role, _password, _email };
        create.SetAction(CreateAsync);
        var setPassword = new Command("set-password", "重设密码并解除锁定") { _resetUser, _newPassword };
        setPassword.SetAction(SetPasswordAsync);
        return new Command("users", "登录账号") { create, setPassword };
    }

    private async Task<int> CreateAsync(ParseResult result, CancellationToken ct)
    {
        var roles = result.GetValue(_role)!.Select(text => CliContext.ParseWire<Role>(text, "role", "角色")!.Value).ToList();
        await using var scope = await cli.OpenAsync(result, ct);
        var user = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(result.GetValue(_userName)!,
            result.GetValue(_display)!, result.GetValue(_unit)!, roles, result.GetValue(_password)!, result.GetValue(_email), ct);
        await cli.Output.WriteLineAsync(FormattableString.Invariant($"已建立账号 {user.UserName}（编号 {user.Id}）"));
        return 0;
    }

    private async Task<int> SetPasswordAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().ResetPasswordAsync(result.GetValue(_resetUser)!, result.GetValue(_newPassword)!);
        await cli.Output.WriteLineAsync($"已为 {result.GetValue(_resetUser)} 设置新密码，锁定已解除");
        return 0;
    }
}
