using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Duban.Text;

namespace Duban.Cli;

/// <summary><c>duban text clean|extract</c>: documents (文稿), cleaned and split into directives. No database.</summary>
internal sealed class TextCommand(CliContext cli)
{
    /// <summary>Chinese stays readable in the JSON (the output is UTF-8, not HTML).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    private readonly Argument<FileInfo> _cleanFile = new("file") { Description = "文本文件（UTF-8、UTF-16 或 GBK）" };
    private readonly Argument<FileInfo> _extractFile = new("file") { Description = "讲话稿或会议报道" };
    private readonly Option<bool> _json = new("--json") { Description = "JSON 输出" };

    public Command Create()
    {
        var clean = new Command("clean", "清洗从 PDF/OCR 提取的文字，打印结果") { _cleanFile };
        clean.SetAction(CleanAsync);
        var extract = new Command("extract", "从讲话稿中分解任务（一要…二要…）") { _extractFile, _json };
        extract.SetAction(ExtractAsync);
        return new Command("text", "文稿：清洗与任务分解") { clean, extract };
    }

    private async Task<int> CleanAsync(ParseResult result, CancellationToken ct)
    {
        await cli.Output.WriteLineAsync(TextCleaner.Clean(ReadText(result.GetValue(_cleanFile)!)));
        return 0;
    }

    private async Task<int> ExtractAsync(ParseResult result, CancellationToken ct)
    {
        var groups = DirectiveExtractor.Extract(ReadText(result.GetValue(_extractFile)!));
        if (result.GetValue(_json))
        {
            await cli.Output.WriteLineAsync(JsonSerializer.Serialize(groups, Json));
            return 0;
        }

        foreach (var group in groups)
        {
            await cli.Output.WriteLineAsync($"【{group.Speaker ?? "（未署名）"}】");
            foreach (var item in group.Items)
            {
                await cli.Output.WriteLineAsync(FormattableString.Invariant($"{item.Ordinal}. {item.Heading}\t{item.Text}"));
            }
        }

        return 0;
    }

    private static string ReadText(FileInfo file)
    {
        using var stream = file.OpenRead();
        return TextDecoding.Decode(stream).Text;
    }
}
