using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The audit trail at the web's edge: the request's person or token is named on the records, sign-ins and
/// failed sign-ins are recorded, the 审计记录 page filters and exports for the office and no one else, and a file
/// changed on disk is refused rather than served.</summary>
public sealed class AuditWebTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<List<AuditRecord>> RecordsAsync(Func<AuditRecord, bool> where)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var all = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().AuditRecords.AsNoTracking().OrderBy(r => r.Seq).ToListAsync();
        return all.Where(where).ToList();
    }

    [Fact]
    public async Task SignInsFailuresAndTokenActions_AreRecordedWithWhoAndWhere()
    {
        var session = await PageSession.SignInAsync(app, "K", Role.Supervisor);
        var failed = PageSession.Browser(app);
        var login = await failed.GetStringAsync(new Uri("/login", UriKind.Relative));
        await failed.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "nobody-audit", ["Password"] = "wrong-password-1", ["__RequestVerificationToken"] = PageSession.FormToken(login),
        }));
        var created = await app.Client(app.SupervisorToken).PostAsJsonAsync(new Uri("/api/matters", UriKind.Relative),
            TestMatters.Assignment() with { Title = "审计页面测试事项" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var matterId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var signIn = Assert.Single(await RecordsAsync(r => r.Action == "sign-in" && r.ActorName == "测试Supervisor"), r => r.EntityKey.StartsWith("supervisor", StringComparison.Ordinal));
        Assert.Equal("127.0.0.1", signIn.Address);
        Assert.Single(await RecordsAsync(r => r is { Action: "sign-in-failed", EntityKey: "nobody-audit", ActorId: "anonymous" }));
        var matter = await RecordsAsync(r => r.MatterId == matterId && r.Entity == "matters");
        Assert.StartsWith("token:", Assert.Single(matter).ActorId, StringComparison.Ordinal);

        // The office reads it on the page, filtered by action.
        var page = await session.GetStringAsync("/Audit?act=sign-in-failed");
        Assert.Contains("<td>登录失败</td>", page, StringComparison.Ordinal);
        Assert.Contains("公众", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>新增</td>", page, StringComparison.Ordinal);
        var byMatter = await session.GetStringAsync("/Audit?matter=" + Uri.EscapeDataString(
            (await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonElement>(new Uri($"/api/matters/{matterId}", UriKind.Relative))).GetProperty("code").GetString()!));
        Assert.Contains("审计页面测试事项", byMatter, StringComparison.Ordinal);
        Assert.Contains("没有编号为「NOPE-1」的事项。", await session.GetStringAsync("/Audit?matter=NOPE-1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheExport_IsAWorkbook_AndIsItselfRecorded()
    {
        var session = await PageSession.SignInAsync(app, "K", Role.Admin);
        var response = await session.Client.GetAsync(new Uri("/Audit?handler=Export&act=sign-in", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)'P', bytes[0]);
        Assert.NotEmpty(await RecordsAsync(r => r is { Action: "export", Entity: "audit_records" } && r.ActorName == "测试Admin"));
    }

    [Fact]
    public async Task AHandler_MayNotOpenTheAuditPage()
    {
        var session = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        var response = await session.Client.GetAsync(new Uri("/Audit", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("/Audit\"", await session.GetStringAsync("/"), StringComparison.Ordinal); // not in the menu either
    }

    [Fact]
    public async Task AnAttachmentFileChangedOnDisk_IsRefused_NotServed()
    {
        long matterId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            matterId = await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment() with { Title = "附件篡改" }, app.Org.Supervisor);
        }

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% audit tamper " + Guid.NewGuid() + "\n%%EOF\n");
        var upload = await app.Client(app.TownshipToken).PostAsync(new Uri($"/api/matters/{matterId}/attachments", UriKind.Relative),
            AttachmentsApiTests.Files(("整改报告.pdf", pdf, "application/pdf")));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetInt64();
        string path;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sha = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Attachments.Where(a => a.Id == id).Select(a => a.BlobSha256).SingleAsync();
            path = scope.ServiceProvider.GetRequiredService<BlobStore>().PathOf(sha);
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Client(app.SupervisorToken).GetAsync(new Uri($"/api/attachments/{id}", UriKind.Relative))).StatusCode);
        await File.WriteAllBytesAsync(path, Encoding.ASCII.GetBytes("%PDF-1.4\n% forged\n%%EOF\n"));

        var refused = await app.Client(app.SupervisorToken).GetAsync(new Uri($"/api/attachments/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("附件文件已被改动", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await File.WriteAllBytesAsync(path, pdf); // the class's other tests verify nothing, but leave the store whole
    }
}
