using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Duban.Data;

/// <summary>
/// 阿里云短信 (dysmsapi, API version 2017-05-25) <c>SendSms</c>, called over its RPC-style HTTP API without the SDK:
/// the parameters are sorted, percent-encoded (RFC 3986: only <c>A–Z a–z 0–9 - _ . ~</c> stay as they are),
/// joined into the canonicalized query; the string to sign is <c>POST&amp;%2F&amp;</c> + the encoded canonicalized
/// query, and <c>Signature</c> is Base64(HMAC-SHA1(AccessKeySecret + "&amp;", string to sign)). The request is a
/// form POST to <see cref="SmsOptions.Endpoint"/>; the answer is JSON whose <c>Code</c> is <c>OK</c> on success
/// (any other code, even with HTTP 200, is a failure).
/// Documented at https://help.aliyun.com/document_detail/56189.html (SMS: HTTP protocol and signature, with a worked
/// example) and https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism (the RPC signature).
/// </summary>
public sealed class AliyunSms(SmsOptions options, IHttpClientFactory clients) : ISmsProvider
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Enabled => options.Enabled;

    public string Name => "阿里云短信";

    /// <summary>RFC 3986 percent-encoding of the UTF-8 bytes, as the signature requires (space is %20, * is %2A, ~ stays).</summary>
    public static string PercentEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>The parameters (without <c>Signature</c>) sorted by name and encoded: the canonicalized query.</summary>
    public static string Canonicalize(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));

    /// <summary>The <c>Signature</c> of a request made with <paramref name="method"/> (GET or POST).</summary>
    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        var stringToSign = method + "&" + PercentEncode("/") + "&" + PercentEncode(Canonicalize(parameters));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>The signed form of one <c>SendSms</c> request.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Request(string mobile, SmsText text, string reference, DateTimeOffset now, string nonce)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccessKeyId", options.AccessKeyId ?? ""),
            new("Action", "SendSms"),
            new("Format", "JSON"),
            new("OutId", reference),
            new("PhoneNumbers", mobile),
            new("RegionId", options.RegionId),
            new("SignName", options.SignName ?? ""),
            new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureNonce", nonce),
            new("SignatureVersion", "1.0"),
            new("TemplateCode", options.TemplateCode ?? ""),
            new("TemplateParam", JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["due"] = text.Due, ["title"] = text.Title }, Json)),
            new("Timestamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            new("Version", "2017-05-25"),
        };
        parameters.Add(new("Signature", Sign("POST", parameters, options.AccessKeySecret ?? "")));
        return parameters;
    }

    public async Task<Outcome> SendAsync(string mobile, SmsText text, string reference, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return Outcome.Failed("短信服务尚未开通。");
        }

        var form = Request(mobile, text, reference, now, Guid.NewGuid().ToString("D"));
        var body = string.Join('&', form.Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await clients.CreateClient(WebhookSender.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var answer = await RobotSender.ReadAnswerAsync(response, cancellationToken);
        string? code = null, message = null;
        if (answer is { ValueKind: JsonValueKind.Object } json)
        {
            code = json.TryGetProperty("Code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            message = json.TryGetProperty("Message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }

        if (code == "OK" && response.IsSuccessStatusCode)
        {
            return Outcome.Ok;
        }

        if (code is null)
        {
            return Outcome.Failed(FormattableString.Invariant($"阿里云短信没有给出可识别的答复（HTTP {(int)response.StatusCode}）。"));
        }

        var error = $"阿里云短信答复 {code}：{Explain(code) ?? message}";
        return code == "isv.MOBILE_NUMBER_ILLEGAL" ? Outcome.GiveUp(error) : Outcome.Failed(error);
    }

    /// <summary>The commonest refusals in words an administrator can act on.</summary>
    private static string? Explain(string code) => code switch
    {
        "SignatureDoesNotMatch" => "签名不匹配，请核对访问密钥。",
        "InvalidAccessKeyId.NotFound" or "InvalidAccessKeyId.Inactive" => "访问密钥不存在或已停用。",
        "isv.SMS_SIGNATURE_ILLEGAL" or "isv.SMS_SIGNATURE_SCENE_ILLEGAL" => "短信签名不存在或未通过审核。",
        "isv.SMS_TEMPLATE_ILLEGAL" => "短信模板不存在或未通过审核。",
        "isv.TEMPLATE_MISSING_PARAMETERS" or "isv.TEMPLATE_PARAMS_ILLEGAL" => "短信模板的变量应为 ${title} 和 ${due}。",
        "isv.BUSINESS_LIMIT_CONTROL" => "发送过于频繁，被限流，稍后会重试。",
        "isv.AMOUNT_NOT_ENOUGH" or "isv.OUT_OF_SERVICE" => "短信账户余额不足或已停机。",
        "isv.MOBILE_NUMBER_ILLEGAL" => "手机号码不正确。",
        _ => null,
    };
}
