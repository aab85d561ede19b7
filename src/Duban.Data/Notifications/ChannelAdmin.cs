using System.Globalization;
using Duban.Appeals;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A unit's channel as shown to admins: the robot's address and secret only in part.</summary>
public sealed record ChannelView(long Id, long UnitId, string UnitName, ChannelKind Kind, string KindName, string? Url, string? Secret,
    DateTimeOffset CreatedAt);

/// <summary>A person of a unit with SMS on, with the mobile number texts go to (shown masked).</summary>
public sealed record ChannelPerson(long UserId, string Name, long UnitId, string UnitName, string? Mobile, bool IsLeader);

/// <summary>How a test message went, in words for the administrator.</summary>
public sealed record ChannelTest(bool Ok, string Text);

/// <summary>
/// Per-unit reminder channels (管理 → 群机器人与短信): group robots of 企业微信, 钉钉 and 飞书, and SMS to the unit's
/// people; a test message through each; the people's mobile numbers. Admin work, checked by the caller.
/// </summary>
public sealed class ChannelAdmin(DubanDbContext db, TimeProvider clock, RobotSender robots, ISmsProvider sms, NotificationOptions options)
{
    /// <summary>Whether text messages can be sent at all (a provider is configured).</summary>
    public bool SmsEnabled => sms.Enabled;

    /// <summary>The provider's name, e.g. 阿里云短信.</summary>
    public string SmsProvider => sms.Name;

    public async Task<IReadOnlyList<ChannelView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.UnitChannels.AsNoTracking().OrderBy(c => c.Unit!.Path).ThenBy(c => c.Id)
            .Select(c => new { Channel = c, UnitName = c.Unit!.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => View(r.Channel, r.UnitName)).ToList();
    }

    /// <summary>The people of the units with SMS on, by unit and name.</summary>
    public async Task<IReadOnlyList<ChannelPerson>> SmsPeopleAsync(CancellationToken cancellationToken = default)
    {
        var leader = WireEnum.Name(Role.Leader);
        var rows = await db.Users.AsNoTracking()
            .Where(u => db.UnitChannels.Any(c => c.UnitId == u.UnitId && c.Kind == ChannelKind.Sms))
            .OrderBy(u => u.Unit!.Path).ThenBy(u => u.DisplayName).Take(2000)
            .Select(u => new
            {
                u.Id, u.DisplayName, u.UnitId, UnitName = u.Unit!.Name, u.PhoneNumber,
                Leader = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == leader)),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ChannelPerson(r.Id, r.DisplayName, r.UnitId, r.UnitName,
            string.IsNullOrEmpty(r.PhoneNumber) ? null : PersonalData.MaskPhone(r.PhoneNumber), r.Leader)).ToList();
    }

    /// <summary>Adds a group robot to a unit.</summary>
    /// <exception cref="ValidationFailedException">No unit or platform chosen, a bad address, a bad secret, or the robot is there already.</exception>
    public async Task<ChannelView> AddRobotAsync(string? unitCode, string? platform, string? url, string? secret, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var unit = await ActiveUnitAsync(unitCode, cancellationToken);
        if (unit is null)
        {
            errors["unit"] = ["请选择单位。"];
        }

        ChannelKind? kind = WireEnum.TryParse<ChannelKind>(platform ?? "", out var k) && k != ChannelKind.Sms ? k : null;
        if (kind is null)
        {
            errors["platform"] = ["请选择平台：企业微信、钉钉或飞书。"];
        }

        var cleanUrl = UserText.Clean(url);
        if (cleanUrl is null || cleanUrl.Length > 2000 || !Uri.TryCreate(cleanUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors["url"] = ["请粘贴机器人的 Webhook 地址（以 https:// 开头）。"];
        }

        var cleanSecret = string.IsNullOrWhiteSpace(secret) ? null : secret.Trim();
        if (cleanSecret is not null && kind == ChannelKind.WeCom)
        {
            cleanSecret = null; // 企业微信 robots do not sign: the key is in the address
        }
        else if (cleanSecret is not null && (cleanSecret.Length > 200 || cleanSecret.Any(char.IsControl)))
        {
            errors["secret"] = ["密钥不超过 200 个字符。"];
        }

        if (errors.Count == 0 && await db.UnitChannels.AnyAsync(c => c.UnitId == unit!.Id && c.Url == cleanUrl, cancellationToken))
        {
            errors["url"] = [$"「{unit!.Name}」已添加过这个机器人。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var channel = new UnitChannel { UnitId = unit!.Id, Kind = kind!.Value, Url = cleanUrl, Secret = cleanSecret, CreatedAt = clock.GetUtcNow() };
        db.UnitChannels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        return View(channel, unit.Name);
    }

    /// <summary>Turns SMS on for a unit: its people with a mobile number get each notice by text too.</summary>
    /// <exception cref="ValidationFailedException">No unit chosen, no provider configured, or SMS is on already.</exception>
    public async Task<ChannelView> EnableSmsAsync(string? unitCode, CancellationToken cancellationToken = default)
    {
        if (!sms.Enabled)
        {
            throw ValidationFailedException.For("smsUnit", "短信服务尚未开通：需先由运维人员配置短信服务商账号。");
        }

        var unit = await ActiveUnitAsync(unitCode, cancellationToken);
        if (unit is null)
        {
            throw ValidationFailedException.For("smsUnit", "请选择单位。");
        }

        if (await db.UnitChannels.AnyAsync(c => c.UnitId == unit.Id && c.Kind == ChannelKind.Sms, cancellationToken))
        {
            throw ValidationFailedException.For("smsUnit", $"「{unit.Name}」已开通短信提醒。");
        }

        var channel = new UnitChannel { UnitId = unit.Id, Kind = ChannelKind.Sms, CreatedAt = clock.GetUtcNow() };
        db.UnitChannels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        return View(channel, unit.Name);
    }

    /// <summary>Removes a channel; what it still had waiting is not sent (those deliveries end dead, saying why).</summary>
    /// <exception cref="NotFoundException">No such channel.</exception>
    public async Task<ChannelView> RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        var channel = await db.UnitChannels.Include(c => c.Unit).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("这个提醒渠道不存在或已删除。");
        var view = View(channel, channel.Unit!.Name);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var target = id.ToString(CultureInfo.InvariantCulture);
        var waiting = channel.Kind == ChannelKind.Sms
            ? db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Channel == DeliveryChannel.Sms && d.Notice!.UnitId == channel.UnitId)
            : db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Channel == DeliveryChannel.Robot && d.Target == target);
        var reason = channel.Kind == ChannelKind.Sms ? "该单位已关闭短信提醒 / SMS turned off" : "群机器人已删除 / robot removed";
        await waiting.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Dead)
            .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
            .SetProperty(d => d.LastError, reason), cancellationToken);
        db.UnitChannels.Remove(channel);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>Sends a test message through a channel now (not through the outbox) and says how the platform answered.</summary>
    /// <param name="id">The channel.</param>
    /// <param name="mobile">For SMS, the number to send the test to.</param>
    /// <param name="cancellationToken">Cancels the test.</param>
    /// <exception cref="NotFoundException">No such channel.</exception>
    /// <exception cref="ValidationFailedException">SMS without a valid mobile number.</exception>
    public async Task<ChannelTest> TestAsync(long id, string? mobile, CancellationToken cancellationToken = default)
    {
        var channel = await db.UnitChannels.AsNoTracking().Include(c => c.Unit).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("这个提醒渠道不存在或已删除。");
        var now = clock.GetUtcNow();
        var platform = RobotSender.PlatformName(channel.Kind);
        string? number = null;
        if (channel.Kind == ChannelKind.Sms)
        {
            number = PersonalData.NormalizePhone(mobile);
            if (number is not { Length: 11 } || number[0] != '1')
            {
                throw ValidationFailedException.For($"mobile-{id}", "请填写接收测试短信的 11 位手机号。");
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        Outcome outcome;
        try
        {
            if (channel.Kind == ChannelKind.Sms)
            {
                outcome = await sms.SendAsync(number!, SmsText.Of("短信提醒测试", null), "test", now, deadline.Token);
            }
            else
            {
                var message = new NotificationMessage(0, "notice", 0, "督办系统测试消息",
                    $"这是「{channel.Unit!.Name}」的提醒渠道测试：收到这条消息，说明{platform}群机器人设置正确，督办提醒会发到本群。", null, null, null, null, null,
                    options.Link("/"), channel.Unit.Code, now);
                outcome = await robots.SendAsync(channel, message, now, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = Outcome.Failed(FormattableString.Invariant($"等待 {options.Timeout.TotalSeconds:0.#} 秒仍无答复。"));
        }
        catch (HttpRequestException ex)
        {
            outcome = Outcome.Failed($"无法连接{(channel.Kind == ChannelKind.Sms ? sms.Name : platform)}：{ex.Message}");
        }

        var to = channel.Kind == ChannelKind.Sms ? $"到 {PersonalData.MaskPhone(number)}" : $"到{platform}群";
        return outcome.Error is null
            ? new ChannelTest(true, $"测试消息已发{to}，{(channel.Kind == ChannelKind.Sms ? sms.Name : platform)}答复成功。请确认已收到。")
            : new ChannelTest(false, $"测试消息未能发{to}：{outcome.Error}");
    }

    /// <summary>Sets (or, when empty, clears) the mobile number a person's text messages go to.</summary>
    /// <exception cref="NotFoundException">No such person.</exception>
    /// <exception cref="ValidationFailedException">Not an 11-digit mobile number.</exception>
    public async Task<ChannelPerson> SetMobileAsync(long userId, string? mobile, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.Include(u => u.Unit).SingleOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new NotFoundException("这个用户不存在。");
        string? number = null;
        if (!string.IsNullOrWhiteSpace(mobile))
        {
            number = PersonalData.NormalizePhone(mobile);
            if (number is not { Length: 11 } || number[0] != '1')
            {
                throw ValidationFailedException.For($"phone-{userId}", "请填写 11 位手机号（留空则清除）。");
            }
        }

        user.PhoneNumber = number;
        user.PhoneNumberConfirmed = false;
        await db.SaveChangesAsync(cancellationToken);
        return new ChannelPerson(user.Id, user.DisplayName, user.UnitId, user.Unit!.Name, PersonalData.MaskPhone(number), false);
    }

    /// <summary>A robot's address with its token shown only in part: scheme, host and path, every long segment and
    /// query value cut to its first and last four characters.</summary>
    public static string MaskUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "…";
        }

        var path = string.Join('/', uri.AbsolutePath.Split('/').Select(Mask));
        var query = uri.Query.Length <= 1
            ? ""
            : "?" + string.Join('&', uri.Query[1..].Split('&').Select(pair => pair.Split('=', 2) is [var name, var value] ? name + "=" + Mask(value) : Mask(pair)));
        return $"{uri.Scheme}://{uri.Authority}{path}{query}";
    }

    /// <summary>A secret as admins see it again: only that it is set and its last four characters.</summary>
    public static string MaskSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length <= 8 ? "已设置" : $"已设置（末四位 {secret[^4..]}）";
    }

    private static string Mask(string part) => part.Length <= 12 ? part : $"{part[..4]}…{part[^4..]}";

    private static ChannelView View(UnitChannel c, string unitName) => new(c.Id, c.UnitId, unitName, c.Kind, RobotSender.PlatformName(c.Kind),
        c.Url is null ? null : MaskUrl(c.Url), c.Secret is null ? null : MaskSecret(c.Secret), c.CreatedAt);

    private Task<Unit?> ActiveUnitAsync(string? code, CancellationToken cancellationToken)
    {
        var trimmed = code?.Trim();
        return string.IsNullOrEmpty(trimmed)
            ? Task.FromResult<Unit?>(null)
            : db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == trimmed && u.Active, cancellationToken);
    }
}
