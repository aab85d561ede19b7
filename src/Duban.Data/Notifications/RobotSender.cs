using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Duban.Data;

/// <summary>
/// Posts a notice to a unit's group robot in the platform's documented format, signed where the platform signs, and
/// reads the platform's answer: each answers HTTP 200 even when it refuses, with the refusal in the body
/// (企业微信 and 钉钉 <c>errcode</c>, 飞书 <c>code</c>), so anything but 0 is a failed attempt, retried like any
/// delivery. Redirects are not followed; URLs are never logged (they carry the robot's token).
/// <list type="bullet">
/// <item>企业微信 group robot, https://developer.work.weixin.qq.com/document/path/91770 :
/// <c>{"msgtype":"markdown","markdown":{"content":…}}</c> (content at most 4096 bytes).</item>
/// <item>钉钉 custom robot, https://open.dingtalk.com/document/robots/custom-robot-access and
/// https://open.dingtalk.com/document/robots/customize-robot-security-settings :
/// <c>{"msgtype":"markdown","markdown":{"title":…,"text":…}}</c>; signed (加签) by appending
/// <c>&amp;timestamp=&lt;ms&gt;&amp;sign=&lt;urlencode(Base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)))&gt;</c>.</item>
/// <item>飞书 custom bot, https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot :
/// <c>{"timestamp":"&lt;s&gt;","sign":…,"msg_type":"interactive","card":{…}}</c>; the sign (签名校验) is
/// Base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)).</item>
/// </list>
/// </summary>
public sealed class RobotSender(IHttpClientFactory clients)
{
    /// <summary>The most of a platform's answer that is read.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    private const int MaxBody = 1500;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The platform's name as people say it.</summary>
    public static string PlatformName(ChannelKind kind) => kind switch
    {
        ChannelKind.WeCom => "企业微信",
        ChannelKind.DingTalk => "钉钉",
        ChannelKind.Feishu => "飞书",
        ChannelKind.Sms => "短信",
        _ => kind.ToString(),
    };

    /// <summary>钉钉's <c>sign</c> before URL-encoding: Base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)).</summary>
    public static string DingTalkSign(long timestampMilliseconds, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var message = timestampMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret;
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));
    }

    /// <summary>飞书's <c>sign</c>: Base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = nothing)).</summary>
    public static string FeishuSign(long timestampSeconds, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret;
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Array.Empty<byte>()));
    }

    /// <summary>Where the message is posted: the robot's URL, for a signed 钉钉 robot with the timestamp and sign appended.</summary>
    public static Uri Address(UnitChannel channel, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var url = channel.Url ?? throw new InvalidOperationException("A robot has a URL.");
        if (channel.Kind == ChannelKind.DingTalk && !string.IsNullOrEmpty(channel.Secret))
        {
            var timestamp = now.ToUnixTimeMilliseconds();
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + "timestamp=" + timestamp.ToString(CultureInfo.InvariantCulture)
                + "&sign=" + Uri.EscapeDataString(DingTalkSign(timestamp, channel.Secret));
        }

        return new Uri(url);
    }

    /// <summary>The JSON body for the channel's platform (UTF-8).</summary>
    public static byte[] Body(UnitChannel channel, NotificationMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        JsonObject body = channel.Kind switch
        {
            ChannelKind.WeCom => new JsonObject
            {
                ["msgtype"] = "markdown",
                ["markdown"] = new JsonObject { ["content"] = WeComMarkdown(message) },
            },
            ChannelKind.DingTalk => new JsonObject
            {
                ["msgtype"] = "markdown",
                ["markdown"] = new JsonObject { ["title"] = message.Title, ["text"] = DingTalkMarkdown(message) },
            },
            ChannelKind.Feishu => FeishuCard(channel, message, now),
            _ => throw new ArgumentException($"{channel.Kind} is not a robot.", nameof(channel)),
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString(Json));
    }

    public async Task<Outcome> SendAsync(UnitChannel channel, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        using var request = new HttpRequestMessage(HttpMethod.Post, Address(channel, now)) { Content = new ByteArrayContent(Body(channel, message, now)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var response = await clients.CreateClient(WebhookSender.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var answer = await ReadAnswerAsync(response, cancellationToken);
        var platform = PlatformName(channel.Kind);
        long? code = null;
        string? text = null;
        if (answer is { ValueKind: JsonValueKind.Object } json)
        {
            var (codeName, textName) = channel.Kind == ChannelKind.Feishu ? ("code", "msg") : ("errcode", "errmsg");
            code = Number(json, codeName) ?? (channel.Kind == ChannelKind.Feishu ? Number(json, "StatusCode") : null);
            text = json.TryGetProperty(textName, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }

        if (code == 0 && response.IsSuccessStatusCode)
        {
            return Outcome.Ok;
        }

        if (code is null)
        {
            return Outcome.Failed(FormattableString.Invariant($"{platform}没有给出可识别的答复（HTTP {(int)response.StatusCode}），请核对机器人地址。"));
        }

        var explained = Explain(channel.Kind, code.Value);
        return Outcome.Failed(FormattableString.Invariant($"{platform}答复错误 {code.Value}：{explained ?? text ?? "未说明原因"}")
            + (explained is not null && text is not null ? $"（{text}）" : ""));
    }

    /// <summary>The answer as JSON (at most 64 KB read), or null when it is not JSON.</summary>
    internal static async Task<JsonElement?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    /// <summary>The commonest refusals in words an administrator can act on.</summary>
    private static string? Explain(ChannelKind kind, long code) => (kind, code) switch
    {
        (ChannelKind.WeCom, 93000) => "机器人地址无效，或机器人已被移出群聊。",
        (ChannelKind.WeCom, 45009) => "发送过于频繁（每个机器人每分钟最多 20 条），稍后会重试。",
        (ChannelKind.DingTalk, 310000) => "未通过机器人的安全设置：关键词、加签密钥或 IP 地址不符。",
        (ChannelKind.DingTalk, 300001) => "机器人地址中的令牌无效。",
        (ChannelKind.DingTalk, 410100) => "发送过于频繁，稍后会重试。",
        (ChannelKind.Feishu, 19021) => "签名校验失败：请核对密钥，或检查服务器时间。",
        (ChannelKind.Feishu, 19022) => "服务器的 IP 地址不在机器人的白名单内。",
        (ChannelKind.Feishu, 19024) => "消息不含机器人设置的关键词（可设为「督办系统」）。",
        (ChannelKind.Feishu, 9499) => "消息格式不被接受。",
        (ChannelKind.Feishu, 11232) => "发送过于频繁，稍后会重试。",
        _ => null,
    };

    private static string Cut(string text) => text.Length <= MaxBody ? text : text[..(MaxBody - 1)] + "…";

    private static string WeComMarkdown(NotificationMessage message)
    {
        var text = new StringBuilder();
        text.Append("**").Append(message.Title).Append("**\n").Append(Cut(message.Body)).Append('\n');
        foreach (var (label, value) in message.Facts())
        {
            text.Append("> ").Append(label).Append('：')
                .Append(label == "期限" ? $"<font color=\"warning\">{value}</font>" : value).Append('\n');
        }

        if (message.Link is not null)
        {
            text.Append("[查看详情](").Append(message.Link).Append(")\n");
        }

        return text.Append("<font color=\"comment\">").Append(message.Footer).Append("</font>").ToString();
    }

    private static string DingTalkMarkdown(NotificationMessage message)
    {
        var text = new StringBuilder();
        text.Append("#### ").Append(message.Title).Append("\n\n").Append(Cut(message.Body)).Append("\n\n");
        foreach (var (label, value) in message.Facts())
        {
            text.Append("> ").Append(label).Append('：').Append(label == "期限" ? $"**{value}**" : value).Append("\n\n");
        }

        if (message.Link is not null)
        {
            text.Append("[查看详情](").Append(message.Link).Append(")\n\n");
        }

        return text.Append("###### ").Append(message.Footer).ToString();
    }

    private static JsonObject FeishuCard(UnitChannel channel, NotificationMessage message, DateTimeOffset now)
    {
        var facts = string.Join('\n', message.Facts().Select(f => $"**{f.Label}**：{f.Value}"));
        var elements = new JsonArray
        {
            new JsonObject { ["tag"] = "div", ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = Cut(message.Body) } },
        };
        if (facts.Length > 0)
        {
            elements.Add(new JsonObject { ["tag"] = "div", ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = facts } });
        }

        if (message.Link is not null)
        {
            elements.Add(new JsonObject
            {
                ["tag"] = "action",
                ["actions"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["tag"] = "button",
                        ["text"] = new JsonObject { ["tag"] = "plain_text", ["content"] = "查看详情" },
                        ["type"] = "primary",
                        ["url"] = message.Link,
                    },
                },
            });
        }

        elements.Add(new JsonObject { ["tag"] = "note", ["elements"] = new JsonArray { new JsonObject { ["tag"] = "plain_text", ["content"] = message.Footer } } });
        var body = new JsonObject();
        if (!string.IsNullOrEmpty(channel.Secret))
        {
            var timestamp = now.ToUnixTimeSeconds();
            body["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture);
            body["sign"] = FeishuSign(timestamp, channel.Secret);
        }

        body["msg_type"] = "interactive";
        body["card"] = new JsonObject
        {
            ["config"] = new JsonObject { ["wide_screen_mode"] = true },
            ["header"] = new JsonObject
            {
                ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = message.Title },
                ["template"] = message.Event switch { "supervise" or "accountability" => "red", "urge" => "orange", _ => "blue" },
            },
            ["elements"] = elements,
        };
        return body;
    }
}
