using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Duban.Tests;

/// <summary>The outbox and its delivery, with real receivers: a Kestrel webhook endpoint, a closed port and an SMTP server.</summary>
public sealed class NotificationTests
{
    private const string Secret = "test-secret-0123456789";

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static Dictionary<string, string?> EmailSettings(int port = 25) => new()
    {
        ["Email:Enabled"] = "true",
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Email:From"] = "督办系统 <duban@example.test>",
        ["Email:Security"] = "none",
    };

    private static Task<long> AssignAsync(Storage s, string lead = "K-T") =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead), s.Org.Supervisor));

    private static Task UrgeAsync(Storage s, long matterId, string message = "请今天内签收并报送方案") =>
        s.RunAsync(sp => sp.GetRequiredService<Supervision>().UrgeOrSuperviseAsync(matterId, EscalationKind.Urge, null, message, s.Org.Supervisor));

    private static Task<string> SweepAsync(Storage s, string now) =>
        s.RunAsync(async sp => (await sp.GetRequiredService<SweepDeadlines>().RunAsync(At(now))).ToString());

    private static Task<DeliverySummary> DeliverAsync(Storage s, DateTimeOffset now) =>
        s.RunAsync(sp => sp.GetRequiredService<DeliverDue>().RunAsync(now));

    private static Task<WebhookView> AddHookAsync(Storage s, Uri url, string? unit = null) =>
        s.RunAsync(sp => sp.GetRequiredService<NotificationAdmin>().AddWebhookAsync(url.AbsoluteUri, Secret, unit));

    private static Task<List<Notice>> NoticesAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Notices.AsNoTracking().OrderBy(n => n.Id).ToListAsync());

    private static Task<List<Delivery>> DeliveriesAsync(Storage s, long? noticeId = null) =>
        s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Deliveries.AsNoTracking()
            .Where(d => noticeId == null || d.NoticeId == noticeId).OrderBy(d => d.Id).ToListAsync());

    private static Task AddPeopleAsync(Storage s) => s.RunAsync(async sp =>
    {
        var accounts = sp.GetRequiredService<UserAccounts>();
        await accounts.CreateAsync("kt-handler", "镇承办", "K-T", [Role.Handler], "long-enough-1", "handler@kt.example.test");
        await accounts.CreateAsync("kt-leader", "镇长", "K-T", [Role.Leader], "long-enough-1", "leader@kt.example.test");
        await accounts.CreateAsync("kt-nomail", "无邮箱", "K-T", [Role.Handler], "long-enough-1");
        await accounts.CreateAsync("zj-handler", "住建承办", "C-ZJ", [Role.Handler], "long-enough-1", "handler@zj.example.test");
    });

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task EveryNotice_QueuesADeliveryPerWebhookAndAddress_DueWhenTheNoticeIs(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00", EmailSettings());
        await AddPeopleAsync(s);
        var all = await AddHookAsync(s, new Uri("http://127.0.0.1:9/all"));
        var county = await AddHookAsync(s, new Uri("http://127.0.0.1:9/county"), "K"); // K-T is under K
        await AddHookAsync(s, new Uri("http://127.0.0.1:9/zj"), "C-ZJ");
        var off = await AddHookAsync(s, new Uri("http://127.0.0.1:9/off"));
        await s.RunAsync(sp => sp.GetRequiredService<NotificationAdmin>().DeactivateWebhookAsync(off.Id));
        var id = await AssignAsync(s);

        await UrgeAsync(s, id); // by hand: to the whole unit, now
        var urged = Assert.Single(await NoticesAsync(s));
        var first = await DeliveriesAsync(s, urged.Id);
        Assert.Equal(
            [
                (DeliveryChannel.Webhook, all.Id.ToString(CultureInfo.InvariantCulture)),
                (DeliveryChannel.Webhook, county.Id.ToString(CultureInfo.InvariantCulture)),
                (DeliveryChannel.Email, "handler@kt.example.test"),
                (DeliveryChannel.Email, "leader@kt.example.test"),
            ],
            first.Select(d => (d.Channel, d.Target)).OrderBy(t => t.Channel).ThenBy(t => t.Target, StringComparer.Ordinal));
        Assert.All(first, d => Assert.Equal((DeliveryStatus.Pending, 0, urged.DeliverAfter), (d.Status, d.Attempts, d.NextAttemptAt!.Value)));

        // The sweep's 催办 at midnight into the Spring Festival is for the unit's heads, delivered on the make-up Sunday.
        Assert.Equal("预警 1 条，催办 1 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-10T00:00:00+08:00"));
        var swept = (await NoticesAsync(s)).Last();
        Assert.Equal((Audience.Heads, At("2024-02-18T09:00:00+08:00")), (swept.Audience, swept.DeliverAfter));
        var second = await DeliveriesAsync(s, swept.Id);
        Assert.Equal(["leader@kt.example.test"], second.Where(d => d.Channel == DeliveryChannel.Email).Select(d => d.Target));
        Assert.Equal(2, second.Count(d => d.Channel == DeliveryChannel.Webhook));
        Assert.All(second, d => Assert.Equal(At("2024-02-18T09:00:00+08:00"), d.NextAttemptAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AWorkingWebhook_ReceivesSignedJson_OnceAndOnlyFromTheNoticesWorkingHours(string engine)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00",
            new Dictionary<string, string?> { ["Duban:PublicUrl"] = "https://duban.example.test/" });
        await AddHookAsync(s, receiver.Url);
        var id = await AssignAsync(s);
        Assert.Equal("预警 1 条，催办 0 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-09T20:00:00+08:00")); // Friday night

        Assert.Equal(new DeliverySummary(0, 0, 0), await DeliverAsync(s, At("2024-02-09T20:00:00+08:00")));
        Assert.Equal(new DeliverySummary(0, 0, 0), await DeliverAsync(s, At("2024-02-18T08:59:59+08:00"))); // the holiday waits
        Assert.Empty(receiver.Requests);
        Assert.Equal(new DeliverySummary(1, 0, 0), await DeliverAsync(s, At("2024-02-18T09:00:00+08:00"))); // the make-up Sunday, 09:00
        Assert.Equal(new DeliverySummary(0, 0, 0), await DeliverAsync(s, At("2024-02-19T09:00:00+08:00")));

        var request = Assert.Single(receiver.Requests);
        var delivery = Assert.Single(await DeliveriesAsync(s));
        Assert.Equal((DeliveryStatus.Sent, 1, At("2024-02-18T09:00:00+08:00")), (delivery.Status, delivery.Attempts, delivery.SentAt!.Value));
        Assert.Null(delivery.NextAttemptAt);

        // The receiver's check: HMAC-SHA256 of the raw body with the shared secret.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
        Assert.Equal(expected, request.Headers["X-Duban-Signature"]);
        Assert.NotEqual(expected, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("wrong-secret-0123456789"u8, request.Body)));
        Assert.Equal(delivery.Id.ToString(CultureInfo.InvariantCulture), request.Headers["X-Duban-Delivery"]);
        Assert.Equal(At("2024-02-18T09:00:00+08:00").ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Headers["X-Duban-Timestamp"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(delivery.Id, root.GetProperty("deliveryId").GetInt64());
        Assert.Equal("warning", root.GetProperty("event").GetString());
        Assert.Equal(id, root.GetProperty("matterId").GetInt64());
        Assert.Equal("DB-2024-000001", root.GetProperty("matterCode").GetString());
        Assert.Equal("acknowledge", root.GetProperty("stage").GetString());
        Assert.Equal("2024-02-10T00:00:00+08:00", root.GetProperty("dueAt").GetString());
        Assert.Equal($"https://duban.example.test/matters/{id}", root.GetProperty("link").GetString());
        Assert.Equal("K-T", root.GetProperty("unit").GetString());
        Assert.Equal("【临期预警】DB-2024-000001 签收即将到期", root.GetProperty("title").GetString());
        Assert.Contains("2024年2月9日 24:00", root.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains("临期预警", Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal); // readable UTF-8, not \u escapes
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AFailingWebhook_IsRetriedWithBackoff_ThenDead_AndAnAdminRequeuesIt(string engine)
    {
        await using var failing = await WebhookReceiver.StartAsync(status: 500);
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00",
            new Dictionary<string, string?> { ["Delivery:MaxAttempts"] = "4" });
        var broken = await AddHookAsync(s, failing.Url);
        var closed = await AddHookAsync(s, WebhookReceiver.ClosedPort());
        await UrgeAsync(s, await AssignAsync(s));
        var t0 = At("2024-03-04T10:00:00+08:00");
        var minute = TimeSpan.FromMinutes(1);

        Assert.Equal(new DeliverySummary(0, 2, 0), await DeliverAsync(s, t0));
        var rows = await DeliveriesAsync(s);
        Assert.All(rows, d => Assert.Equal((DeliveryStatus.Pending, 1, t0 + minute), (d.Status, d.Attempts, d.NextAttemptAt!.Value)));
        Assert.Equal("HTTP 500 Internal Server Error", rows.Single(d => d.Target == $"{broken.Id}").LastError);
        Assert.False(string.IsNullOrEmpty(rows.Single(d => d.Target == $"{closed.Id}").LastError));

        // Backoff on the clock: 1, 2, 4 minutes; nothing goes out early.
        Assert.Equal(new DeliverySummary(0, 0, 0), await DeliverAsync(s, t0 + TimeSpan.FromSeconds(59)));
        Assert.Equal(new DeliverySummary(0, 2, 0), await DeliverAsync(s, t0 + minute));
        Assert.All(await DeliveriesAsync(s), d => Assert.Equal(t0 + 3 * minute, d.NextAttemptAt));
        Assert.Equal(new DeliverySummary(0, 0, 0), await DeliverAsync(s, t0 + 2 * minute));
        Assert.Equal(new DeliverySummary(0, 2, 0), await DeliverAsync(s, t0 + 3 * minute));
        Assert.All(await DeliveriesAsync(s), d => Assert.Equal(t0 + 7 * minute, d.NextAttemptAt));
        Assert.Equal(new DeliverySummary(0, 0, 2), await DeliverAsync(s, t0 + 7 * minute)); // the 4th attempt was the last
        Assert.Equal(new DeliverySummary(0, 0, 0), await DeliverAsync(s, t0 + TimeSpan.FromHours(1)));
        Assert.Equal(4, failing.Requests.Count);
        Assert.Single(failing.Requests.Select(r => r.Headers["X-Duban-Delivery"]).Distinct()); // the same delivery id each time

        var dead = await s.RunAsync(sp => sp.GetRequiredService<NotificationAdmin>().DeliveriesAsync(DeliveryStatus.Dead));
        Assert.Equal(2, dead.Count);
        Assert.All(dead, d => Assert.Equal((4, (DateTimeOffset?)null), (d.Attempts, d.NextAttemptAt)));
        Assert.Equal(failing.Url.AbsoluteUri, dead.Single(d => d.Target == $"{broken.Id}").Url);
        Assert.All(dead, d => Assert.False(string.IsNullOrEmpty(d.LastError)));

        // The receiver is mended; an admin requeues the dead letter and it goes out at once.
        failing.Status = 200;
        s.Clock.SetUtcNow(t0 + TimeSpan.FromHours(2));
        var requeued = await s.RunAsync(sp => sp.GetRequiredService<NotificationAdmin>().RetryAsync(dead.Single(d => d.Target == $"{broken.Id}").Id));
        Assert.Equal((DeliveryStatus.Pending, 0), (requeued.Status, requeued.Attempts));
        Assert.Equal(new DeliverySummary(1, 0, 0), await DeliverAsync(s, t0 + TimeSpan.FromHours(2)));
        Assert.Equal(5, failing.Requests.Count);
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => sp.GetRequiredService<NotificationAdmin>().RetryAsync(requeued.Id)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AStuckWebhook_NeverHoldsUpTheSweep_NorTheOtherDeliveries(string engine)
    {
        await using var stuck = await WebhookReceiver.StartAsync(hold: true);
        await using var working = await WebhookReceiver.StartAsync();
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00",
            new Dictionary<string, string?> { ["Delivery:Timeout"] = "00:00:30" });
        await AddHookAsync(s, stuck.Url);
        await AddHookAsync(s, working.Url);
        await UrgeAsync(s, await AssignAsync(s));

        var delivering = DeliverAsync(s, At("2024-02-08T10:00:00+08:00"));
        await working.WaitForAsync(1, TimeSpan.FromSeconds(10)); // sent side by side with the stuck one
        await stuck.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.False(delivering.IsCompleted);

        // While a receiver hangs, the sweep runs to the end and queues its own notices' deliveries.
        Assert.Equal("预警 1 条，催办 1 条，督办 0 条，问责 0 条", await SweepAsync(s, "2024-02-10T00:00:00+08:00"));
        Assert.Equal(4, (await DeliveriesAsync(s)).Count); // one announced notice (the 催办), one delivery per webhook
        Assert.False(delivering.IsCompleted);

        stuck.Release();
        Assert.Equal(new DeliverySummary(2, 0, 0), await delivering.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AnUnresponsiveWebhook_TimesOut_WhileTheOthersAreSent(string engine)
    {
        await using var stuck = await WebhookReceiver.StartAsync(hold: true);
        await using var working = await WebhookReceiver.StartAsync();
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00",
            new Dictionary<string, string?> { ["Delivery:Timeout"] = "00:00:01" });
        var slow = await AddHookAsync(s, stuck.Url);
        await AddHookAsync(s, working.Url);
        await UrgeAsync(s, await AssignAsync(s));

        var watch = Stopwatch.StartNew();
        Assert.Equal(new DeliverySummary(1, 1, 0), await DeliverAsync(s, At("2024-03-04T10:00:00+08:00")));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Single(working.Requests);
        var late = (await DeliveriesAsync(s)).Single(d => d.Target == $"{slow.Id}");
        Assert.Contains("超时", late.LastError, StringComparison.Ordinal);
        Assert.Equal(At("2024-03-04T10:01:00+08:00"), late.NextAttemptAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task WorkersRunningAtOnce_SendEachDeliveryOnce(string engine)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var s = await Storage.CreateAsync(engine, "2024-03-04T10:00:00+08:00");
        for (var i = 0; i < 3; i++)
        {
            await AddHookAsync(s, receiver.Url);
        }

        var id = await AssignAsync(s);
        for (var i = 0; i < 15; i++)
        {
            await UrgeAsync(s, id, $"第 {i + 1} 次催办");
        }

        var now = At("2024-03-04T10:00:00+08:00");
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => DeliverAsync(s, now))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(45, runs.Sum(r => r.Sent)); // more than two batches, shared out
        Assert.Equal(45, receiver.Requests.Count);
        Assert.Equal(45, receiver.Requests.Select(r => r.Headers["X-Duban-Delivery"]).Distinct().Count());
        Assert.All(await DeliveriesAsync(s), d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Email_GoesToTheUnitsPeople_OverRealSmtp_InChinese(string engine)
    {
        await using var smtp = SmtpTestServer.Start();
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00", EmailSettings(smtp.Port));
        await AddPeopleAsync(s);
        var id = await AssignAsync(s);
        await UrgeAsync(s, id, "请今天内签收并报送方案");

        Assert.Equal(new DeliverySummary(2, 0, 0), await DeliverAsync(s, At("2024-02-08T10:00:00+08:00")));
        var deliveries = await DeliveriesAsync(s);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(["handler@kt.example.test", "leader@kt.example.test"], smtp.Messages.SelectMany(m => m.Recipients).Order(StringComparer.Ordinal));

        foreach (var received in smtp.Messages)
        {
            Assert.Equal("duban@example.test", received.From);
            Assert.All(received.Data, b => Assert.True(b < 0x80, "the server offered no 8BITMIME: the message must be 7-bit"));
            using var mail = await MimeMessage.LoadAsync(new MemoryStream(received.Data));
            Assert.Equal("【催办】DB-2024-000001 背街小巷路灯整改", mail.Subject);
            Assert.Equal("督办系统", mail.From.Mailboxes.Single().Name);
            Assert.Equal(received.Recipients.Single(), mail.To.Mailboxes.Single().Address);
            var delivery = deliveries.Single(d => d.Target == received.Recipients.Single());
            Assert.Equal(delivery.Id.ToString(CultureInfo.InvariantCulture), mail.Headers["X-Duban-Delivery"]);
            var body = mail.TextBody;
            Assert.Contains("督查员：请今天内签收并报送方案", body, StringComparison.Ordinal);
            Assert.Contains("事项编号：DB-2024-000001", body, StringComparison.Ordinal);
            Assert.Contains("办理节点：签收", body, StringComparison.Ordinal);
            Assert.Contains("期限：2024年2月9日 24:00", body, StringComparison.Ordinal);
            Assert.Contains($"查看详情：http://127.0.0.1:5080/matters/{id}", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Email_WithTheServerDown_IsRetriedLikeAWebhook(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00", EmailSettings(WebhookReceiver.ClosedPort().Port));
        await AddPeopleAsync(s);
        await UrgeAsync(s, await AssignAsync(s));

        Assert.Equal(new DeliverySummary(0, 2, 0), await DeliverAsync(s, At("2024-02-08T10:00:00+08:00")));
        Assert.All(await DeliveriesAsync(s), d => Assert.Equal((1, At("2024-02-08T10:01:00+08:00")), (d.Attempts, d.NextAttemptAt!.Value)));
    }
}
