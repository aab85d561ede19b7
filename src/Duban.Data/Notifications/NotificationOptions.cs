using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>SMTP settings (<c>Email:*</c>); <see cref="Enabled"/> false queues no email at all.</summary>
public sealed record EmailOptions(bool Enabled, string? Host, int Port, MailboxAddress? From, string? User, string? Password,
    SecureSocketOptions Security);

/// <summary>
/// Outbound notifications, read from configuration when first needed; a malformed value throws a
/// <see cref="FormatException"/> naming its key (and so stops start-up):
/// <code>
/// "Duban": { "PublicUrl": "https://duban.example.gov.cn" },
/// "Delivery": { "Enabled": true, "MaxAttempts": 8, "RetryBase": "00:01:00", "RetryCap": "01:00:00", "Timeout": "00:00:10", "Interval": "00:00:05" },
/// "Email": { "Enabled": true, "Host": "smtp.example.gov.cn", "Port": 587, "From": "督办系统 &lt;duban@example.gov.cn&gt;",
///            "User": "duban", "Password": "…", "Security": "auto" }
/// </code>
/// </summary>
public sealed record NotificationOptions(
    Uri PublicUrl,
    int MaxAttempts,
    TimeSpan RetryBase,
    TimeSpan RetryCap,
    TimeSpan Timeout,
    TimeSpan Interval,
    EmailOptions Email)
{
    public static readonly Uri DefaultPublicUrl = new("http://127.0.0.1:5080");

    /// <summary>How long a claimed delivery is held before another worker may take it again (a crash mid-send):
    /// longer than any batch can take, given every send ends within <see cref="Timeout"/>.</summary>
    public TimeSpan ClaimLease => TimeSpan.FromMinutes(5) + Timeout;

    /// <summary>The wait after the given failed attempt: base × 2^(attempt−1), capped.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var wait = RetryBase;
        for (var i = 1; i < attempt && wait < RetryCap; i++)
        {
            wait *= 2;
        }

        return wait < RetryCap ? wait : RetryCap;
    }

    /// <summary>An absolute link for a path in the app (<c>/matters/5</c>).</summary>
    public string Link(string path) => PublicUrl.AbsoluteUri.TrimEnd('/') + (path.StartsWith('/') ? path : "/" + path);

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static NotificationOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var publicUrl = DefaultPublicUrl;
        if (configuration["Duban:PublicUrl"] is { Length: > 0 } url)
        {
            publicUrl = Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new FormatException($"Duban:PublicUrl: \"{url}\" 应为 http(s) 绝对地址");
        }

        var maxAttempts = Int(configuration, "Delivery:MaxAttempts", 8, 1, 100);
        var retryBase = Span(configuration, "Delivery:RetryBase", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        var retryCap = Span(configuration, "Delivery:RetryCap", TimeSpan.FromHours(1), retryBase, TimeSpan.FromDays(7));
        var timeout = Span(configuration, "Delivery:Timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        var interval = Span(configuration, "Delivery:Interval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));

        var enabled = Bool(configuration, "Email:Enabled", false);
        var host = configuration["Email:Host"] is { Length: > 0 } h ? h.Trim() : null;
        var port = Int(configuration, "Email:Port", 25, 1, 65535);
        MailboxAddress? from = null;
        if (configuration["Email:From"] is { Length: > 0 } fromText)
        {
            from = MailboxAddress.TryParse(fromText, out var address) && address.Address.Contains('@', StringComparison.Ordinal)
                ? address
                : throw new FormatException($"Email:From: \"{fromText}\" 不是邮件地址");
        }

        if (enabled && (host is null || from is null))
        {
            throw new FormatException($"{(host is null ? "Email:Host" : "Email:From")}: 启用邮件（Email:Enabled）时必须填写");
        }

        var securityText = configuration["Email:Security"];
        var security = securityText?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => SecureSocketOptions.Auto,
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
            _ => throw new FormatException($"Email:Security: \"{securityText}\" 应为 auto、none、starttls 或 tls / must be auto, none, starttls or tls"),
        };
        var user = configuration["Email:User"] is { Length: > 0 } u ? u : null;
        var email = new EmailOptions(enabled, host, port, from, user, configuration["Email:Password"], security);
        return new NotificationOptions(publicUrl, maxAttempts, retryBase, retryCap, timeout, interval, email);
    }

    /// <summary><c>Delivery:Enabled</c> (default true): whether this process runs the delivery worker.</summary>
    public static bool DeliveryEnabled(IConfiguration configuration) => Bool(configuration, "Delivery:Enabled", true);
}
