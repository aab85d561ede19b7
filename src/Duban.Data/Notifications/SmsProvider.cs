using Duban.Escalation;

namespace Duban.Data;

/// <summary>
/// What a reminder says by text message. Providers in China send only approved templates, so the message is two
/// variables for the template the office registered (<see cref="SmsOptions.TemplateCode"/>): <c>${title}</c>, the
/// notice's title cut to <see cref="MaxTitle"/> characters, and <c>${due}</c>, the deadline or "见系统". With the
/// suggested template (<see cref="SuggestedTemplate"/>) the whole message stays within one 70-character SMS.
/// </summary>
public sealed record SmsText(string Title, string Due)
{
    /// <summary>Providers cap a template variable (阿里云: 35 characters); a title longer than this is cut with "…".</summary>
    public const int MaxTitle = 20;

    /// <summary>The template to register with the provider; <see cref="Preview"/> fills it in.</summary>
    public const string SuggestedTemplate = "您单位有一条督办提醒：${title}，期限${due}，请登录督办系统查看办理。";

    public static SmsText Of(string title, DateTimeOffset? due)
    {
        ArgumentNullException.ThrowIfNull(title);
        var text = string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var cut = text.Length <= MaxTitle ? text : text[..(MaxTitle - 1)] + "…";
        return new SmsText(cut, due is { } d ? NoticeText.Deadline(d, withYear: false) : "见系统");
    }

    /// <summary>The message as the suggested template reads it, without the provider's 【签名】.</summary>
    public string Preview => SuggestedTemplate.Replace("${title}", Title, StringComparison.Ordinal).Replace("${due}", Due, StringComparison.Ordinal);
}

/// <summary>
/// Sends text messages through one provider's HTTP API. <see cref="Outcome"/> says how it ended, in Chinese, with the
/// provider's own code: a failure is retried like any delivery; a number the provider refuses is given up at once.
/// </summary>
public interface ISmsProvider
{
    /// <summary>Whether the provider is configured (<c>Sms:Enabled</c>); when not, nothing can be sent.</summary>
    bool Enabled { get; }

    /// <summary>The provider's name for people, e.g. 阿里云短信.</summary>
    string Name { get; }

    /// <param name="mobile">An 11-digit mainland mobile number.</param>
    /// <param name="text">The template's variables.</param>
    /// <param name="reference">Our id for the message (the delivery's), echoed back by the provider's receipts.</param>
    /// <param name="now">When the request is made (signed into it).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<Outcome> SendAsync(string mobile, SmsText text, string reference, DateTimeOffset now, CancellationToken cancellationToken);
}
