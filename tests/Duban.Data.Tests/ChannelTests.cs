using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duban.Tests;

/// <summary>
/// Group robots (企业微信, 钉钉, 飞书) and SMS (阿里云) against a real HTTP server on 127.0.0.1 that checks each request
/// as the platform documents it: the body's format, and the signature recomputed here from the documented algorithm
/// (never with the code under test). Each platform's refusal in an HTTP 200 answer is a failed attempt, retried.
/// </summary>
public sealed class ChannelTests
{
    private const string DingTalkSecret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";
    private const string FeishuSecret = "feishu-secret-qwertyuiop";
    private const string SmsKeyId = "LTAI-test-id";
    private const string SmsKeySecret = "test-key-secret-0123";

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static Task<long> AssignAsync(Storage s, string lead = "K-T") =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead), s.Org.Supervisor));

    private static Task UrgeAsync(Storage s, long matterId) =>
        s.RunAsync(sp => sp.GetRequiredService<Supervision>().UrgeOrSuperviseAsync(matterId, EscalationKind.Urge, null, "请今天内签收并报送方案", s.Org.Supervisor));

    private static Task<DeliverySummary> DeliverAsync(Storage s, DateTimeOffset now) =>
        s.RunAsync(sp => sp.GetRequiredService<DeliverDue>().RunAsync(now));

    private static Task<ChannelView> AddRobotAsync(Storage s, string unit, string platform, string url, string? secret = null) =>
        s.RunAsync(sp => sp.GetRequiredService<ChannelAdmin>().AddRobotAsync(unit, platform, url, secret));

    private static Task<List<Delivery>> DeliveriesAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Deliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync());

    private static Dictionary<string, string?> SmsSettings(Uri endpoint) => new()
    {
        ["Sms:Enabled"] = "true",
        ["Sms:AccessKeyId"] = SmsKeyId,
        ["Sms:AccessKeySecret"] = SmsKeySecret,
        ["Sms:SignName"] = "测试县督查室",
        ["Sms:TemplateCode"] = "SMS_000001",
        ["Sms:Endpoint"] = endpoint.AbsoluteUri,
        ["Duban:PublicUrl"] = "https://duban.example.test/",
    };

    /// <summary>Three people of 测试镇 with mobiles (one leader), one without, and one of 住建局 with a mobile.</summary>
    private static Task AddPeopleAsync(Storage s) => s.RunAsync(async sp =>
    {
        var accounts = sp.GetRequiredService<UserAccounts>();
        var admin = sp.GetRequiredService<ChannelAdmin>();
        var handler = await accounts.CreateAsync("kt-handler", "镇承办", "K-T", [Role.Handler], "long-enough-1");
        var leader = await accounts.CreateAsync("kt-leader", "镇长", "K-T", [Role.Leader], "long-enough-1");
        await accounts.CreateAsync("kt-nophone", "无手机", "K-T", [Role.Handler], "long-enough-1");
        var zj = await accounts.CreateAsync("zj-handler", "住建承办", "C-ZJ", [Role.Handler], "long-enough-1");
        await admin.SetMobileAsync(handler.Id, "138-0013-8000");
        await admin.SetMobileAsync(leader.Id, "+86 139 0013 9000");
        await admin.SetMobileAsync(zj.Id, "13700137000");
    });

    // ---- the signatures, recomputed here from each platform's documented algorithm ----

    /// <summary>钉钉: Base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret)), then URL-encoded.</summary>
    private static string DingTalkSignature(string timestamp, string secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
    }

    /// <summary>飞书: Base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty)).</summary>
    private static string FeishuSignature(string timestamp, string secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(timestamp + "\n" + secret));
        return Convert.ToBase64String(hmac.ComputeHash([]));
    }

    /// <summary>阿里云 RPC (V1): sorted, RFC 3986-encoded pairs; METHOD&amp;%2F&amp;encode(query); HMAC-SHA1 keyed secret + "&amp;".</summary>
    private static string AliyunSignature(string method, IReadOnlyDictionary<string, string> parameters, string secret)
    {
        static string Encode(string v)
        {
            var text = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(v))
            {
                text.Append(b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                    or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                    ? ((char)b).ToString()
                    : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        var query = string.Join("&", parameters.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(method + "&" + Encode("/") + "&" + Encode(query))));
    }

    [Fact]
    public void AliyunSignature_MatchesBothDocumentedExamples()
    {
        // help.aliyun.com/document_detail/56189.html: SendSms signed with testSecret.
        var sendSms = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testId", ["Action"] = "SendSms", ["Format"] = "XML", ["OutId"] = "123", ["PhoneNumbers"] = "15300000001",
            ["RegionId"] = "cn-hangzhou", ["SignName"] = "阿里云短信测试专用", ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466", ["SignatureVersion"] = "1.0", ["TemplateCode"] = "SMS_71390007",
            ["TemplateParam"] = "{\"customer\":\"test\"}", ["Timestamp"] = "2017-07-12T02:42:19Z", ["Version"] = "2017-05-25",
        };
        // The RPC signature document: DescribeRegions signed with testsecret.
        var describeRegions = new Dictionary<string, string>
        {
            ["Timestamp"] = "2016-02-23T12:46:24Z", ["Format"] = "XML", ["AccessKeyId"] = "testid", ["Action"] = "DescribeRegions",
            ["SignatureMethod"] = "HMAC-SHA1", ["SignatureNonce"] = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", ["Version"] = "2014-05-26",
            ["SignatureVersion"] = "1.0",
        };

        // The test's own implementation reproduces the documents (so it can judge the requests below)…
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunSignature("GET", sendSms, "testSecret"));
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunSignature("GET", describeRegions, "testsecret"));
        // …and so does the provider's.
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunSms.Sign("GET", sendSms, "testSecret"));
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunSms.Sign("GET", describeRegions, "testsecret"));
        Assert.Equal("a%20b%2Ac~%2F%E6%B4%BE", AliyunSms.PercentEncode("a b*c~/派"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task EveryNotice_GoesToTheRobotsOfItsUnit_AndByTextToItsPeopleWithAMobile_InWorkingHours(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00", SmsSettings(new Uri("http://127.0.0.1:9/")));
        await AddPeopleAsync(s);
        var wecom = await AddRobotAsync(s, "K-T", "weCom", "http://127.0.0.1:9/cgi-bin/webhook/send?key=kt-key");
        var feishu = await AddRobotAsync(s, "K-T", "feishu", "http://127.0.0.1:9/open-apis/bot/v2/hook/kt-hook", FeishuSecret);
        await AddRobotAsync(s, "C-ZJ", "dingTalk", "http://127.0.0.1:9/robot/send?access_token=zj", DingTalkSecret);
        await s.RunAsync(sp => sp.GetRequiredService<ChannelAdmin>().EnableSmsAsync("K-T"));
        var id = await AssignAsync(s);

        await UrgeAsync(s, id); // to the whole unit, now
        var urged = await DeliveriesAsync(s);
        Assert.Equal(
            [
                (DeliveryChannel.Robot, wecom.Id.ToString(CultureInfo.InvariantCulture)),
                (DeliveryChannel.Robot, feishu.Id.ToString(CultureInfo.InvariantCulture)),
                (DeliveryChannel.Sms, "13800138000"),
                (DeliveryChannel.Sms, "13900139000"),
            ],
            urged.Select(d => (d.Channel, d.Target)).OrderBy(t => t.Channel).ThenBy(t => t.Target, StringComparer.Ordinal));
        Assert.All(urged, d => Assert.Equal(At("2024-02-08T10:00:00+08:00"), d.NextAttemptAt));

        // The sweep's 催办 at midnight into the Spring Festival: for the heads, so texts only to the leader; the group
        // robots get it too; all of it waits for the make-up Sunday's 09:00.
        Assert.Equal("预警 1 条，催办 1 条，督办 0 条，问责 0 条",
            await s.RunAsync(async sp => (await sp.GetRequiredService<SweepDeadlines>().RunAsync(At("2024-02-10T00:00:00+08:00"))).ToString()));
        var swept = (await DeliveriesAsync(s)).Skip(urged.Count).ToList();
        var heads = swept.GroupBy(d => d.NoticeId).Last().ToList();
        Assert.Equal(["13900139000"], heads.Where(d => d.Channel == DeliveryChannel.Sms).Select(d => d.Target));
        Assert.Equal(2, heads.Count(d => d.Channel == DeliveryChannel.Robot));
        Assert.All(swept, d => Assert.Equal(At("2024-02-18T09:00:00+08:00"), d.NextAttemptAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task WeComRobot_GetsTheDocumentedMarkdown_AndAnErrcodeInAnHttp200IsRetried(string engine)
    {
        await using var server = await PlatformServer.StartAsync("""{"errcode":93000,"errmsg":"invalid webhook url"}""");
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00",
            new Dictionary<string, string?> { ["Duban:PublicUrl"] = "https://duban.example.test/" });
        await AddRobotAsync(s, "K-T", "weCom", server.Url("/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"));
        var id = await AssignAsync(s);
        await UrgeAsync(s, id);
        var t0 = At("2024-03-04T10:00:00+08:00");

        Assert.Equal(new DeliverySummary(0, 1, 0), await DeliverAsync(s, t0));
        var failed = Assert.Single(await DeliveriesAsync(s));
        Assert.Equal((DeliveryStatus.Pending, t0 + TimeSpan.FromMinutes(1)), (failed.Status, failed.NextAttemptAt!.Value));
        Assert.Contains("93000", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("机器人地址无效", failed.LastError, StringComparison.Ordinal);

        server.Answer = """{"errcode":0,"errmsg":"ok"}""";
        Assert.Equal(new DeliverySummary(1, 0, 0), await DeliverAsync(s, t0 + TimeSpan.FromMinutes(1)));
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(s)).Status);

        Assert.Equal(2, server.Requests.Count);
        var request = server.Requests[^1];
        Assert.Equal("/cgi-bin/webhook/send", request.Path);
        Assert.Equal("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", request.Query["key"]);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(["msgtype", "markdown"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("markdown", root.GetProperty("msgtype").GetString());
        Assert.Equal(["content"], root.GetProperty("markdown").EnumerateObject().Select(p => p.Name));
        var content = root.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.StartsWith("**【催办】", content, StringComparison.Ordinal);
        Assert.Contains("请今天内签收并报送方案", content, StringComparison.Ordinal);
        Assert.Contains("> 事项编号：DB-2024-000001", content, StringComparison.Ordinal);
        Assert.Contains("<font color=\"warning\">", content, StringComparison.Ordinal);
        Assert.Contains($"[查看详情](https://duban.example.test/matters/{id})", content, StringComparison.Ordinal);
        Assert.Contains("督办系统", content, StringComparison.Ordinal); // a keyword the robot may require
        Assert.True(Encoding.UTF8.GetByteCount(content) <= 4096);
        Assert.Contains("催办", Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal); // readable UTF-8
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DingTalkRobot_SignsTheUrlAsDocumented_AndA310000IsRetried(string engine)
    {
        await using var server = await PlatformServer.StartAsync("""{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}""");
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00");
        await AddRobotAsync(s, "K-T", "dingTalk", server.Url("/robot/send?access_token=abc123"), DingTalkSecret);
        await UrgeAsync(s, await AssignAsync(s));
        var t0 = At("2024-03-04T10:00:00+08:00");

        Assert.Equal(new DeliverySummary(0, 1, 0), await DeliverAsync(s, t0));
        Assert.Contains("310000", Assert.Single(await DeliveriesAsync(s)).LastError, StringComparison.Ordinal);
        server.Answer = """{"errcode":0,"errmsg":"ok"}""";
        var t1 = t0 + TimeSpan.FromMinutes(1);
        Assert.Equal(new DeliverySummary(1, 0, 0), await DeliverAsync(s, t1));

        foreach (var (request, at) in server.Requests.Zip([t0, t1]))
        {
            Assert.Equal("/robot/send", request.Path);
            Assert.Equal("abc123", request.Query["access_token"]);
            var timestamp = request.Query["timestamp"].ToString();
            Assert.Equal(at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), timestamp); // milliseconds
            Assert.Equal(DingTalkSignature(timestamp, DingTalkSecret), request.Query["sign"]); // the query is URL-decoded
            Assert.Contains("&sign=" + Uri.EscapeDataString(DingTalkSignature(timestamp, DingTalkSecret)), request.RawQuery, StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(server.Requests[^1].Body);
        var root = json.RootElement;
        Assert.Equal("markdown", root.GetProperty("msgtype").GetString());
        var markdown = root.GetProperty("markdown");
        Assert.Equal(["title", "text"], markdown.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("【催办】", markdown.GetProperty("title").GetString(), StringComparison.Ordinal);
        var text = markdown.GetProperty("text").GetString()!;
        Assert.StartsWith("#### 【催办】", text, StringComparison.Ordinal);
        Assert.Contains("> 事项编号：DB-2024-000001\n\n", text, StringComparison.Ordinal);
        Assert.Contains("督办系统", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task FeishuBot_SendsASignedCardAsDocumented_AndACodeOtherThan0IsRetried(string engine)
    {
        await using var server = await PlatformServer.StartAsync("""{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}""");
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00",
            new Dictionary<string, string?> { ["Duban:PublicUrl"] = "https://duban.example.test/" });
        await AddRobotAsync(s, "K-T", "feishu", server.Url("/open-apis/bot/v2/hook/8a1c2d3e-0000-4bc4-97a0-0ec2f1a5aaaa"), FeishuSecret);
        var id = await AssignAsync(s);
        await UrgeAsync(s, id);
        var t0 = At("2024-03-04T10:00:00+08:00");

        Assert.Equal(new DeliverySummary(0, 1, 0), await DeliverAsync(s, t0));
        var failed = Assert.Single(await DeliveriesAsync(s));
        Assert.Contains("19021", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("签名校验失败", failed.LastError, StringComparison.Ordinal);
        server.Answer = """{"code":0,"data":{},"msg":"success"}""";
        Assert.Equal(new DeliverySummary(1, 0, 0), await DeliverAsync(s, t0 + TimeSpan.FromMinutes(1)));

        var request = server.Requests[^1];
        Assert.Equal("/open-apis/bot/v2/hook/8a1c2d3e-0000-4bc4-97a0-0ec2f1a5aaaa", request.Path);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var timestamp = root.GetProperty("timestamp").GetString()!; // seconds, as a string
        Assert.Equal((t0 + TimeSpan.FromMinutes(1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(FeishuSignature(timestamp, FeishuSecret), root.GetProperty("sign").GetString());
        Assert.Equal("interactive", root.GetProperty("msg_type").GetString());
        var card = root.GetProperty("card");
        Assert.Equal("plain_text", card.GetProperty("header").GetProperty("title").GetProperty("tag").GetString());
        Assert.StartsWith("【催办】", card.GetProperty("header").GetProperty("title").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("orange", card.GetProperty("header").GetProperty("template").GetString());
        var elements = card.GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal(["div", "div", "action", "note"], elements.Select(e => e.GetProperty("tag").GetString()));
        Assert.Equal("lark_md", elements[0].GetProperty("text").GetProperty("tag").GetString());
        Assert.Contains("**事项编号**：DB-2024-000001", elements[1].GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
        var button = elements[2].GetProperty("actions")[0];
        Assert.Equal("button", button.GetProperty("tag").GetString());
        Assert.Equal($"https://duban.example.test/matters/{id}", button.GetProperty("url").GetString());

        // Without a secret there is no timestamp and no sign.
        var unsigned = RobotSender.Body(new UnitChannel { Kind = ChannelKind.Feishu, Url = "http://x/" },
            new NotificationMessage(1, "notice", 1, "标题", "正文", null, null, null, null, null, null, "K-T", t0), t0);
        using var plain = JsonDocument.Parse(unsigned);
        Assert.False(plain.RootElement.TryGetProperty("sign", out _));
        Assert.False(plain.RootElement.TryGetProperty("timestamp", out _));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AliyunSms_PostsASignedSendSms_AndACodeOtherThanOkIsRetried(string engine)
    {
        await using var server = await PlatformServer.StartAsync("""{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1","RequestId":"R1"}""");
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00", SmsSettings(new Uri(server.Url("/"))));
        await AddPeopleAsync(s);
        await s.RunAsync(sp => sp.GetRequiredService<ChannelAdmin>().EnableSmsAsync("K-T"));
        await UrgeAsync(s, await AssignAsync(s)); // to the whole unit: a text to each of its two mobiles
        var t0 = At("2024-03-04T10:00:00+08:00");

        Assert.Equal(new DeliverySummary(0, 2, 0), await DeliverAsync(s, t0));
        Assert.All(await DeliveriesAsync(s), d => Assert.Contains("isv.BUSINESS_LIMIT_CONTROL", d.LastError, StringComparison.Ordinal));
        server.Answer = """{"Code":"OK","Message":"OK","BizId":"900619746936498440^0","RequestId":"R2"}""";
        var t1 = t0 + TimeSpan.FromMinutes(1);
        Assert.Equal(new DeliverySummary(2, 0, 0), await DeliverAsync(s, t1));

        var deliveries = await DeliveriesAsync(s);
        Assert.Equal(4, server.Requests.Count);
        foreach (var request in server.Requests)
        {
            Assert.Equal("POST", request.Method);
            Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(request.Body)).ToDictionary(p => p.Key, p => p.Value.ToString());
            Assert.Equal(AliyunSignature("POST", form, SmsKeySecret), form["Signature"]);
            Assert.NotEqual(AliyunSignature("POST", form, "another-secret"), form["Signature"]);
            Assert.Equal(("SendSms", "2017-05-25", "JSON", "HMAC-SHA1", "1.0"),
                (form["Action"], form["Version"], form["Format"], form["SignatureMethod"], form["SignatureVersion"]));
            Assert.Equal((SmsKeyId, "测试县督查室", "SMS_000001", "cn-hangzhou"), (form["AccessKeyId"], form["SignName"], form["TemplateCode"], form["RegionId"]));
            Assert.Contains(form["PhoneNumbers"], new[] { "13800138000", "13900139000" });
            Assert.Contains(form["OutId"], deliveries.Select(d => d.Id.ToString(CultureInfo.InvariantCulture)));
            Assert.True(Guid.TryParse(form["SignatureNonce"], out _));
            Assert.Contains(form["Timestamp"], new[] { "2024-03-04T02:00:00Z", "2024-03-04T02:01:00Z" }); // UTC, ISO 8601
            using var param = JsonDocument.Parse(form["TemplateParam"]);
            var title = param.RootElement.GetProperty("title").GetString()!;
            Assert.True(title.Length <= SmsText.MaxTitle, title);
            Assert.StartsWith("【催办】", title, StringComparison.Ordinal);
            Assert.Matches(@"^\d+月\d+日 \d\d:\d\d$", param.RootElement.GetProperty("due").GetString());
        }

        Assert.Equal(4, server.Requests.Select(r => QueryHelpers.ParseQuery(Encoding.UTF8.GetString(r.Body))["SignatureNonce"].ToString()).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task TheAdmin_SeesNoSecretInFull_IsToldWhatIsWrong_AndATestSaysHowThePlatformAnswered(string engine)
    {
        await using var server = await PlatformServer.StartAsync("""{"errcode":310000,"errmsg":"keywords not in content"}""");
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00");
        var admin = (Func<IServiceProvider, ChannelAdmin>)(sp => sp.GetRequiredService<ChannelAdmin>());

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => admin(sp).AddRobotAsync(null, "qq", "ftp://x", null)));
        Assert.Equal(["platform", "unit", "url"], refused.Errors.Keys.Order(StringComparer.Ordinal));
        var noSms = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => admin(sp).EnableSmsAsync("K-T")));
        Assert.Contains("短信服务尚未开通", noSms.Errors["smsUnit"][0], StringComparison.Ordinal);

        var ding = await AddRobotAsync(s, "K-T", "dingTalk", server.Url("/robot/send?access_token=0123456789abcdef0123456789abcdef"), DingTalkSecret);
        Assert.Equal(("测试镇", "钉钉"), (ding.UnitName, ding.KindName));
        Assert.DoesNotContain("0123456789abcdef0123456789abcdef", ding.Url, StringComparison.Ordinal);
        Assert.EndsWith("access_token=0123…cdef", ding.Url, StringComparison.Ordinal);
        Assert.Equal("已设置（末四位 abcd）", ding.Secret);
        var listed = Assert.Single(await s.RunAsync(sp => admin(sp).ListAsync()));
        Assert.Equal((ding.Url, ding.Secret), (listed.Url, listed.Secret));
        var twice = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            AddRobotAsync(s, "K-T", "dingTalk", server.Url("/robot/send?access_token=0123456789abcdef0123456789abcdef")));
        Assert.Contains("已添加过", twice.Errors["url"][0], StringComparison.Ordinal);

        var test = await s.RunAsync(sp => admin(sp).TestAsync(ding.Id, null));
        Assert.False(test.Ok);
        Assert.Contains("钉钉答复错误 310000", test.Text, StringComparison.Ordinal);
        Assert.Contains("keywords not in content", test.Text, StringComparison.Ordinal);
        server.Answer = """{"errcode":0,"errmsg":"ok"}""";
        test = await s.RunAsync(sp => admin(sp).TestAsync(ding.Id, null));
        Assert.True(test.Ok, test.Text);
        Assert.Equal("测试消息已发到钉钉群，钉钉答复成功。请确认已收到。", test.Text);
        using (var json = JsonDocument.Parse(server.Requests[^1].Body))
        {
            Assert.Contains("督办系统", json.RootElement.GetProperty("markdown").GetProperty("text").GetString(), StringComparison.Ordinal);
        }

        // Removing the robot ends what it still had waiting, saying why.
        await UrgeAsync(s, await AssignAsync(s));
        Assert.Equal(DeliveryStatus.Pending, Assert.Single(await DeliveriesAsync(s)).Status);
        await s.RunAsync(sp => admin(sp).RemoveAsync(ding.Id));
        var ended = Assert.Single(await DeliveriesAsync(s));
        Assert.Equal((DeliveryStatus.Dead, (DateTimeOffset?)null), (ended.Status, ended.NextAttemptAt));
        Assert.Contains("群机器人已删除", ended.LastError, StringComparison.Ordinal);
        Assert.Empty(await s.RunAsync(sp => admin(sp).ListAsync()));
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => admin(sp).RemoveAsync(ding.Id)));
    }
}

/// <summary>
/// A platform's endpoint for tests: Kestrel on 127.0.0.1 and a port the OS chose, any path. It records each request
/// (method, path, query, content type, raw body) and answers HTTP 200 with <see cref="Answer"/> as JSON, as the
/// platforms do even when they refuse.
/// </summary>
public sealed class PlatformServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PlatformRequest> _requests = new();

    private PlatformServer(WebApplication app, string answer)
    {
        _app = app;
        Answer = answer;
    }

    /// <summary>The JSON the next requests are answered with.</summary>
    public string Answer { get; set; }

    public IReadOnlyList<PlatformRequest> Requests => [.. _requests];

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>An absolute URL on this server for a path and query ("/robot/send?access_token=x").</summary>
    public string Url(string pathAndQuery) => new Uri(BaseAddress, pathAndQuery).AbsoluteUri;

    public static async Task<PlatformServer> StartAsync(string answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new PlatformServer(app, answer);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            server._requests.Enqueue(new PlatformRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.QueryString.Value?.TrimStart('?') ?? "",
                context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
                context.Request.ContentType ?? "", body.ToArray()));
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(server.Answer, context.RequestAborted);
        });
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.Single());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the platform server saw it; <see cref="Query"/> is URL-decoded, <see cref="RawQuery"/> as sent.</summary>
public sealed record PlatformRequest(string Method, string Path, string RawQuery, IReadOnlyDictionary<string, string> Query, string ContentType, byte[] Body);
