using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Duban.Data;

/// <summary>
/// POSTs a notice as JSON to a webhook. Headers: <c>X-Duban-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body,
/// keyed with the webhook's secret&gt;</c>, <c>X-Duban-Delivery: &lt;delivery id&gt;</c> (the same on every retry: dedupe
/// by it) and <c>X-Duban-Timestamp: &lt;Unix seconds of this attempt&gt;</c>. Any 2xx is success; redirects are not
/// followed.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients)
{
    public const string ClientName = "duban-webhooks";

    /// <summary>The signature header's value for a body.</summary>
    public static string Sign(byte[] body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public async Task<Outcome> SendAsync(Webhook hook, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(message);
        var body = message.ToJson();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Duban-Signature", Sign(body, hook.Secret));
        request.Headers.Add("X-Duban-Delivery", message.DeliveryId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Duban-Timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Duban-Webhook", "1"));
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.IsSuccessStatusCode
            ? Outcome.Ok
            : Outcome.Failed(FormattableString.Invariant($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"));
    }
}
