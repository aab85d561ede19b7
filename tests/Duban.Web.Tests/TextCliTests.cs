using System.Text;
using System.Text.Json;
using Duban.Cli;

namespace Duban.Tests;

public sealed class TextCliTests : IDisposable
{
    private const string Speech = """
        本 报 讯 （记 者 李 丹） 1 0 月 1 1 日 上 午 ， 全 市 重 点 工 作 推 进 会 召 开 。
        刘涛强调，一要健全完善抓落实的工作机制。交办事项要做到“四明确、清单化”。二要夯实基层基础。三要强化督查问效。
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("duban-text-").FullName;

    static TextCliTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string File(string name, byte[] bytes)
    {
        var path = Path.Combine(directory, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task TextClean_GbkFile_PrintsTheRepairedText()
    {
        var (exit, output, error) = await RunAsync("text", "clean", File("speech.txt", Encoding.GetEncoding("GBK").GetBytes(Speech)));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith("本报讯（记者李丹）10月11日上午，全市重点工作推进会召开。\n刘涛强调，一要健全完善", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextExtract_Json_PrintsGroupsWithSpeakerHeadingsAndText_InReadableUtf8()
    {
        var (exit, output, _) = await RunAsync("text", "extract", File("speech.txt", Encoding.UTF8.GetBytes(Speech)), "--json");

        Assert.Equal(0, exit);
        Assert.Contains("\"speaker\": \"刘涛\"", output, StringComparison.Ordinal); // Chinese is not \u-escaped
        using var json = JsonDocument.Parse(output);
        var group = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("刘涛", group.GetProperty("speaker").GetString());
        var items = group.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], items.Select(i => i.GetProperty("ordinal").GetInt32()));
        Assert.Equal(["健全完善抓落实的工作机制", "夯实基层基础", "强化督查问效"], items.Select(i => i.GetProperty("heading").GetString()));
        Assert.Equal("健全完善抓落实的工作机制。交办事项要做到“四明确、清单化”。", items[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task TextExtract_NoDirectives_PrintsAnEmptyList()
    {
        var (exit, output, _) = await RunAsync("text", "extract", File("news.txt", Encoding.UTF8.GetBytes("市政协召开主席会议，审议了有关事项。")), "--json");

        Assert.Equal(0, exit);
        Assert.Equal("[]", output.Trim());
    }

    [Theory]
    [InlineData(new byte[0], "空")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A }, "PDF")]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03 }, "二进制")]
    public async Task Text_FileThatIsNotText_ExitsNonZeroWithAMessage(byte[] bytes, string said)
    {
        foreach (var command in (string[])["clean", "extract"])
        {
            var (exit, output, error) = await RunAsync("text", command, File("bad.txt", bytes));

            Assert.Equal(1, exit);
            Assert.Equal("", output);
            Assert.StartsWith("错误：", error, StringComparison.Ordinal);
            Assert.Contains(said, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Text_MissingFile_ExitsNonZeroWithAMessage()
    {
        var (exit, _, error) = await RunAsync("text", "clean", Path.Combine(directory, "missing.txt"));

        Assert.Equal(1, exit);
        Assert.StartsWith("错误：找不到文件：", error, StringComparison.Ordinal);
        Assert.Contains("missing.txt", error, StringComparison.Ordinal);
    }
}
