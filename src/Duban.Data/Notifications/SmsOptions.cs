using Microsoft.Extensions.Configuration;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>
/// The text-message provider (<c>Sms:*</c>), read when first needed; a malformed value throws a
/// <see cref="FormatException"/> naming its key. Only 阿里云短信 (dysmsapi <c>SendSms</c>) is built in:
/// <code>
/// "Sms": { "Enabled": true, "Provider": "aliyun", "AccessKeyId": "LTAI…", "AccessKeySecret": "…",
///          "SignName": "某某县督查室", "TemplateCode": "SMS_123456789",
///          "Endpoint": "https://dysmsapi.aliyuncs.com/", "RegionId": "cn-hangzhou" }
/// </code>
/// </summary>
public sealed record SmsOptions(bool Enabled, Uri Endpoint, string? AccessKeyId, string? AccessKeySecret, string? SignName,
    string? TemplateCode, string RegionId)
{
    public static readonly Uri DefaultEndpoint = new("https://dysmsapi.aliyuncs.com/");

    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static SmsOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var enabled = Bool(configuration, "Sms:Enabled", false);
        var provider = configuration["Sms:Provider"]?.Trim().ToLowerInvariant();
        if (provider is not (null or "" or "aliyun"))
        {
            throw new FormatException($"Sms:Provider: \"{provider}\" 暂不支持，目前只支持 aliyun（阿里云短信）/ only aliyun is supported");
        }

        var endpoint = DefaultEndpoint;
        if (configuration["Sms:Endpoint"] is { Length: > 0 } url)
        {
            endpoint = Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new FormatException($"Sms:Endpoint: \"{url}\" 应为 http(s) 绝对地址 / must be an absolute http(s) URL");
        }

        string? Text(string key) => configuration[key] is { Length: > 0 } value ? value.Trim() : null;
        var options = new SmsOptions(enabled, endpoint, Text("Sms:AccessKeyId"), configuration["Sms:AccessKeySecret"] is { Length: > 0 } s ? s : null,
            Text("Sms:SignName"), Text("Sms:TemplateCode"), Text("Sms:RegionId") ?? "cn-hangzhou");
        if (enabled)
        {
            foreach (var (key, value) in new[]
                     {
                         ("Sms:AccessKeyId", options.AccessKeyId), ("Sms:AccessKeySecret", options.AccessKeySecret),
                         ("Sms:SignName", options.SignName), ("Sms:TemplateCode", options.TemplateCode),
                     })
            {
                if (value is null)
                {
                    throw new FormatException($"{key}: 启用短信（Sms:Enabled）时必须填写 / required when Sms:Enabled is true");
                }
            }
        }

        return options;
    }
}
