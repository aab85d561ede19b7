using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Duban.Tests;

/// <summary>POST /api/text/extract through the real pipeline (no storage involved, so SQLite only).</summary>
public sealed class TextApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Extract_Speech_ReturnsGroupsWithSpeakerAndItems()
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/text/extract",
            new { text = "刘涛强调，一要健全完善机制。把责任压实到人。二要夯实基层基础。\n会议要求，各单位抓好落实。" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var groups = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
        var group = Assert.Single(groups)!;
        Assert.Equal("刘涛", (string?)group["speaker"]);
        Assert.Equal(["健全完善机制", "夯实基层基础"], group["items"]!.AsArray().Select(i => (string?)i!["heading"]));
        Assert.Equal("健全完善机制。把责任压实到人。", (string?)group["items"]![0]!["text"]);
        Assert.Equal(1, (int?)group["items"]![0]!["ordinal"]);
    }

    [Fact]
    public async Task Extract_NoDirectives_ReturnsAnEmptyList()
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/text/extract", new { text = "市政协召开主席会议。" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonArray>())!);
    }

    [Fact]
    public async Task Extract_BlankText_Is400WithTheField()
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/text/extract", new { text = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("文稿内容不能为空。", (string?)problem["errors"]!["text"]![0]);
    }

    [Fact]
    public async Task Extract_ByAHandler_Is403_AndWithoutAToken_401()
    {
        using var handler = await app.Client(app.TownshipToken).PostAsJsonAsync("/api/text/extract", new { text = "一要落实。二要督办。" });
        using var anonymous = await app.Client().PostAsJsonAsync("/api/text/extract", new { text = "一要落实。二要督办。" });

        Assert.Equal(HttpStatusCode.Forbidden, handler.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
