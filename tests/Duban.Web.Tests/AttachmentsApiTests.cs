using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>Attachments over real HTTP with API tokens: upload, list, download, and every refusal with its status.</summary>
public sealed class AttachmentsApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 整改报告\n1 0 obj << >> endobj\n%%EOF\n");
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private async Task<long> AssignAsync(string lead = "K-T")
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead), app.Org.Supervisor);
    }

    /// <summary>A multipart body with the files, each part typed as the client claims (which the server ignores).</summary>
    public static MultipartFormDataContent Files(params (string Name, byte[] Bytes, string ClaimedType)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes, claimed) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(claimed);
            form.Add(part, "files", name);
        }

        return form;
    }

    private Task<HttpResponseMessage> UploadAsync(string token, long matterId, HttpContent body) =>
        app.Client(token).PostAsync(new Uri($"/api/matters/{matterId}/attachments", UriKind.Relative), body);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Upload_ThenDownload_GivesTheSameBytesWithSafeHeaders()
    {
        var id = await AssignAsync();
        var response = await UploadAsync(app.TownshipToken, id,
            Files(("整改报告（第一次）.pdf", Pdf, "text/html"), ("现场 照片.png", Png, "application/octet-stream")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var added = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, added.GetArrayLength());
        Assert.Equal("整改报告（第一次）.pdf", added[0].GetProperty("name").GetString());

        var download = await app.Client(app.SupervisorToken).GetAsync(new Uri($"/api/attachments/{added[0].GetProperty("id").GetInt64()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType); // sniffed, not the claimed text/html
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("整改报告（第一次）.pdf", disposition.FileNameStar);

        var list = await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonElement>(new Uri($"/api/matters/{id}/attachments", UriKind.Relative));
        Assert.Equal(2, list.GetArrayLength());
        var matter = await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonElement>(new Uri($"/api/matters/{id}", UriKind.Relative));
        var attach = matter.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "attach");
        Assert.Equal("整改报告（第一次）.pdf、现场 照片.png", attach.GetProperty("note").GetString());
    }

    [Fact]
    public async Task AnotherUnit_Gets404_ForUploadAndDownload()
    {
        var id = await AssignAsync();
        var added = await (await UploadAsync(app.TownshipToken, id, Files(("a.pdf", Pdf, "application/pdf")))).Content.ReadFromJsonAsync<JsonElement>();
        var attachmentId = added[0].GetProperty("id").GetInt64();

        await ProblemAsync(await UploadAsync(app.DepartmentToken, id, Files(("b.pdf", Pdf, "application/pdf"))), HttpStatusCode.NotFound);
        await ProblemAsync(await app.Client(app.DepartmentToken).GetAsync(new Uri($"/api/attachments/{attachmentId}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ProblemAsync(await app.Client(app.DepartmentToken).GetAsync(new Uri($"/api/attachments/{attachmentId + 1000}", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().GetAsync(new Uri($"/api/attachments/{attachmentId}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ForbiddenTypes_Get415NamingTheAllowedTypes()
    {
        var id = await AssignAsync();
        foreach (var (name, bytes) in new[] { ("setup.exe", "MZ\x90\0"u8.ToArray()), ("页面.html", "<script>alert(1)</script>"u8.ToArray()), ("伪装.pdf", "<svg onload=alert(1)>"u8.ToArray()) })
        {
            var problem = await ProblemAsync(await UploadAsync(app.TownshipToken, id, Files((name, bytes, "application/pdf"))), HttpStatusCode.UnsupportedMediaType);
            Assert.Contains("PDF", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await ProblemAsync(await UploadAsync(app.TownshipToken, id, new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task OversizeEmptyAndTooMany_AreRefusedWithTheLimit()
    {
        var id = await AssignAsync();
        var big = new byte[(20 * 1024 * 1024) + 1];
        "%PDF-"u8.CopyTo(big);
        var tooLarge = await ProblemAsync(await UploadAsync(app.TownshipToken, id, Files(("大文件.pdf", big, "application/pdf"))), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("单个文件不能超过 20 MB", tooLarge.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var empty = await ProblemAsync(await UploadAsync(app.TownshipToken, id, Files(("空.pdf", [], "application/pdf"))), HttpStatusCode.BadRequest);
        Assert.True(empty.GetProperty("errors").TryGetProperty("files", out _));
        await ProblemAsync(await UploadAsync(app.TownshipToken, id, new MultipartFormDataContent { { new StringContent("x"), "note" } }), HttpStatusCode.BadRequest);
        var eleven = Enumerable.Range(1, 11).Select(i => ($"{i}.pdf", Pdf, "application/pdf")).ToArray();
        await ProblemAsync(await UploadAsync(app.TownshipToken, id, Files(eleven)), HttpStatusCode.BadRequest);

        var list = await app.Client(app.TownshipToken).GetFromJsonAsync<JsonElement>(new Uri($"/api/matters/{id}/attachments", UriKind.Relative));
        Assert.Equal(0, list.GetArrayLength()); // nothing of a refused upload was attached
    }
}
