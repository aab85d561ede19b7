
namespace Duban.Data;

/// <summary>How a delivery goes out.</summary>
public enum DeliveryChannel
{
    Webhook,
    Email,

    /// <summary>A unit's group robot (企业微信, 钉钉, 飞书); the target is the <see cref="UnitChannel"/>'s id.</summary>
    Robot,

    /// <summary>A text message; the target is the mobile number.</summary>
    Sms,
}

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for <see cref="Delivery.NextAttemptAt"/> (first attempt or a retry).</summary>
    Pending,

    /// <summary>Accepted by the receiver (HTTP 2xx, or the SMTP server took the message).</summary>
    Sent,

    /// <summary>Gave up after the last attempt: the dead-letter list, until an admin retries it.</summary>
    Dead,
}

/// <summary>An outbound webhook: notices (optionally only those for a unit and the units under it) are POSTed to
/// <see cref="Url"/> as JSON signed with <see cref="Secret"/>.</summary>
public sealed class Webhook
{
    public long Id { get; set; }
    public required string Url { get; set; }

    /// <summary>The HMAC key. Kept as given: the signature needs it, so it cannot be hashed.</summary>
    public required string Secret { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>Only notices for this unit or a unit under it; null for every notice.</summary>
    public long? UnitId { get; set; }

    public Unit? Unit { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The outbox: one row per notice and recipient, written in the same transaction as the notice (so a notice is
/// never lost and never queued twice), then worked by <see cref="DeliverDue"/>.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    public long NoticeId { get; set; }
    public Notice? Notice { get; set; }
    public DeliveryChannel Channel { get; set; }

    /// <summary>The webhook's or robot's id (as text), the email address or the mobile number.</summary>
    public required string Target { get; set; }

    public DeliveryStatus Status { get; set; }

    /// <summary>Attempts begun (counted when claimed, so a crash mid-send still counts towards the limit).</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due: first the notice's DeliverAfter (working hours), then the backoff.
    /// Null once sent or dead.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>Where a unit's reminders go besides its inbox: a group robot of one platform, or text messages.</summary>
public enum ChannelKind
{
    /// <summary>企业微信 group robot: the key is in its webhook URL.</summary>
    WeCom,

    /// <summary>钉钉 custom robot, optionally signed (加签) with its secret.</summary>
    DingTalk,

    /// <summary>飞书 custom bot, optionally signed (签名校验) with its secret.</summary>
    Feishu,

    /// <summary>Text messages to the unit's people who have a mobile number (<see cref="Microsoft.AspNetCore.Identity.IdentityUser{TKey}.PhoneNumber"/>).</summary>
    Sms,
}

/// <summary>
/// One reminder channel of a unit (管理 → 群机器人与短信): a robot (<see cref="Url"/> and, when the platform signs,
/// <see cref="Secret"/>) or SMS on. Every notice for the unit then also goes there (<see cref="NoticeRecipients"/>).
/// </summary>
public sealed class UnitChannel
{
    public long Id { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public ChannelKind Kind { get; set; }

    /// <summary>The robot's webhook URL (it carries the robot's token: never shown in full); null for SMS.</summary>
    public string? Url { get; set; }

    /// <summary>The signing secret of a 钉钉 or 飞书 robot, kept as given (the signature needs it); never shown in full.</summary>
    public string? Secret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
