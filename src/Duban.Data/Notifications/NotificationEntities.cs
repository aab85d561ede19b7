
namespace Duban.Data;

/// <summary>How a delivery goes out.</summary>
public enum DeliveryChannel
{
    Webhook,
    Email,
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

    /// <summary>The webhook's id (as text) or the email address.</summary>
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
