using System.Globalization;
using MailKit.Net.Smtp;
using MimeKit;
using MimeKit.Text;

namespace Duban.Data;

/// <summary>
/// Sends a notice by SMTP with MailKit: subject = the notice's title, a UTF-8 plain-text body with the matter code,
/// stage, deadline and link. One connection per message (notices are few; a slow server costs one timeout).
/// </summary>
public sealed class EmailSender(NotificationOptions options)
{
    public MimeMessage Compose(string address, NotificationMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mail = new MimeMessage
        {
            Subject = message.Subject,
            Date = now,
            MessageId = FormattableString.Invariant($"duban.delivery.{message.DeliveryId}@{options.Email.From!.Domain}"),
            Body = new TextPart(TextFormat.Plain) { Text = message.EmailText() },
        };
        mail.From.Add(options.Email.From);
        mail.To.Add(MailboxAddress.Parse(address));
        mail.Headers.Add("X-Duban-Delivery", message.DeliveryId.ToString(CultureInfo.InvariantCulture));
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        return mail;
    }

    public async Task<Outcome> SendAsync(string address, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!MailboxAddress.TryParse(address, out _))
        {
            return Outcome.GiveUp($"不是邮件地址：{address}");
        }

        using var mail = Compose(address, message, now);
        using var client = new SmtpClient { Timeout = (int)Math.Ceiling(options.Timeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(options.Email.Host ?? throw new InvalidOperationException("Email:Host"), options.Email.Port, options.Email.Security, cancellationToken);
            if (options.Email.User is { } user)
            {
                await client.AuthenticateAsync(user, options.Email.Password ?? "", cancellationToken);
            }

            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return Outcome.Ok;
        }
        catch (SmtpCommandException ex)
        {
            // 5xx for this recipient will not change by retrying; anything else (4xx, the server as a whole) may.
            var text = FormattableString.Invariant($"SMTP {(int)ex.StatusCode} {ex.Message}");
            return ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode >= 500 ? Outcome.GiveUp(text) : Outcome.Failed(text);
        }
    }
}
