using Duban.Data;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Admin;

/// <summary>群机器人与短信: per unit, group robots (企业微信, 钉钉, 飞书) and SMS, each with a test message; the mobile
/// numbers texts go to (<see cref="ChannelAdmin"/>; admin only, by the folder's policy).</summary>
public sealed class ChannelsModel(ChannelAdmin admin, UnitDirectory directory) : FormPageModel
{
    public IReadOnlyList<ChannelView> Channels { get; private set; } = [];

    public IReadOnlyList<ChannelPerson> People { get; private set; } = [];

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public bool SmsEnabled => admin.SmsEnabled;

    public string SmsProvider => admin.SmsProvider;

    public Task OnGetAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string? unit, string? platform, string? url, string? secret, CancellationToken cancellationToken)
    {
        var added = await admin.AddRobotAsync(unit, platform, url, secret, cancellationToken);
        return Done($"已为「{added.UnitName}」添加{added.KindName}群机器人。请点「发测试消息」确认群里能收到。");
    }

    public async Task<IActionResult> OnPostSmsAsync(string? smsUnit, CancellationToken cancellationToken)
    {
        var added = await admin.EnableSmsAsync(smsUnit, cancellationToken);
        return Done($"已为「{added.UnitName}」开通短信提醒：发给本单位登记了手机号的人员。");
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken)
    {
        var removed = await admin.RemoveAsync(id, cancellationToken);
        return Done(removed.Kind == ChannelKind.Sms
            ? $"已关闭「{removed.UnitName}」的短信提醒。"
            : $"已删除「{removed.UnitName}」的{removed.KindName}群机器人。");
    }

    public async Task<IActionResult> OnPostTestAsync(long id, string? mobile, CancellationToken cancellationToken)
    {
        var result = await admin.TestAsync(id, mobile, cancellationToken);
        TempData[result.Ok ? "done" : "failed"] = result.Text;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPhoneAsync(long user, string? phone, CancellationToken cancellationToken)
    {
        var person = await admin.SetMobileAsync(user, phone, cancellationToken);
        return Done(person.Mobile is null ? $"已清除{person.Name}的手机号。" : $"已保存{person.Name}的手机号 {person.Mobile}。");
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Channels = await admin.ListAsync(cancellationToken);
        People = await admin.SmsPeopleAsync(cancellationToken);
        Units = (await directory.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
    }

    private RedirectToPageResult Done(string message)
    {
        TempData["done"] = message;
        return RedirectToPage();
    }
}
