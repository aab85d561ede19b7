using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A webhook as shown to admins (never its secret).</summary>
public sealed record WebhookView(long Id, string Url, bool Active, string? Unit, DateTimeOffset CreatedAt);

/// <summary>A delivery as shown to admins; <see cref="Url"/> is the webhook's for a webhook delivery.</summary>
public sealed record DeliveryView(long Id, long NoticeId, string NoticeTitle, DeliveryChannel Channel, string Target, string? Url,
    DeliveryStatus Status, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>Webhook management and the delivery log (dead-letter list, retry): admin work, checked by the caller.</summary>
public sealed class NotificationAdmin(DubanDbContext db, TimeProvider clock)
{
    /// <summary>Adds a webhook for every notice, or only those of a unit and the units under it.</summary>
    /// <exception cref="ValidationFailedException">A bad URL, a short secret or an unknown unit.</exception>
    public async Task<WebhookView> AddWebhookAsync(string? url, string? secret, string? unitCode, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var cleanUrl = UserText.Clean(url);
        if (cleanUrl is null || cleanUrl.Length > 2000 || !Uri.TryCreate(cleanUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors["url"] = ["请填写 http(s) 绝对地址（不超过 2000 字符）。"];
        }

        if (secret is null || secret.Length < 16 || secret.Length > 200 || secret.Any(char.IsControl))
        {
            errors["secret"] = ["签名密钥应为 16–200 个字符。"];
        }

        Unit? unit = null;
        if (UserText.Clean(unitCode) is { } code)
        {
            unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, cancellationToken);
            if (unit is null)
            {
                errors["unit"] = [$"单位代码「{code}」不存在。"];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var hook = new Webhook { Url = cleanUrl!, Secret = secret!, UnitId = unit?.Id, CreatedAt = clock.GetUtcNow() };
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookView(hook.Id, hook.Url, hook.Active, unit?.Code, ChinaTime.ToLocal(hook.CreatedAt));
    }

    public async Task<IReadOnlyList<WebhookView>> WebhooksAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Webhooks.AsNoTracking().OrderBy(w => w.Id)
            .Select(w => new { w.Id, w.Url, w.Active, Unit = w.Unit == null ? null : w.Unit.Code, w.CreatedAt }).ToListAsync(cancellationToken);
        return rows.Select(w => new WebhookView(w.Id, w.Url, w.Active, w.Unit, ChinaTime.ToLocal(w.CreatedAt))).ToList();
    }

    /// <summary>Stops a webhook: no new deliveries; pending ones end dead when their turn comes.</summary>
    public async Task DeactivateWebhookAsync(long id, CancellationToken cancellationToken = default)
    {
        var hook = await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw new NotFoundException($"webhook {id} 不存在。");
        hook.Active = false;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Deliveries, newest first (at most 500); <c>dead</c> is the dead-letter list.</summary>
    public async Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(DeliveryStatus? status, CancellationToken cancellationToken = default)
    {
        var rows = await db.Deliveries.AsNoTracking().Where(d => status == null || d.Status == status)
            .OrderByDescending(d => d.Id).Take(500)
            .Select(d => new { d, Title = d.Notice!.Title }).ToListAsync(cancellationToken);
        var hookIds = rows.Where(r => r.d.Channel == DeliveryChannel.Webhook)
            .Select(r => long.TryParse(r.d.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Distinct().ToList();
        var urls = await db.Webhooks.AsNoTracking().Where(w => hookIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Url, cancellationToken);
        return rows.Select(r => View(r.d, r.Title, urls)).ToList();
    }

    /// <summary>Requeues a dead (or waiting) delivery now, with a fresh count of attempts.</summary>
    /// <exception cref="RuleConflictException">It was already sent.</exception>
    public async Task<DeliveryView> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        var delivery = await db.Deliveries.Include(d => d.Notice).SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new NotFoundException($"投递记录 {id} 不存在。");
        if (delivery.Status == DeliveryStatus.Sent)
        {
            throw new RuleConflictException("该通知已送达，无需重发。");
        }

        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var hookId = delivery.Channel == DeliveryChannel.Webhook && long.TryParse(delivery.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : 0;
        var urls = await db.Webhooks.AsNoTracking().Where(w => w.Id == hookId).ToDictionaryAsync(w => w.Id, w => w.Url, cancellationToken);
        return View(delivery, delivery.Notice!.Title, urls);
    }

    private static DeliveryView View(Delivery d, string title, Dictionary<long, string> urls) => new(d.Id, d.NoticeId, title, d.Channel, d.Target,
        d.Channel == DeliveryChannel.Webhook && long.TryParse(d.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? urls.GetValueOrDefault(id) : null,
        d.Status, d.Attempts, d.NextAttemptAt is { } n ? ChinaTime.ToLocal(n) : null, d.LastError, ChinaTime.ToLocal(d.CreatedAt),
        d.SentAt is { } s ? ChinaTime.ToLocal(s) : null);
}
