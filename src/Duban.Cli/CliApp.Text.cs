using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Duban.Text;

namespace Duban.Cli;

public static partial class CliApp
{
    /// <summary>Chinese stays readable in the JSON (the output is UTF-8, not HTML).</summary>
    private static readonly JsonSerializerOptions TextJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    // ---- text --------------------------------------------------------------------------------------------------

    private static Command TextCommand(TextWriter output)
    {
        var cleanFile = new Argument<FileInfo>("file") { Description = "文本文件（UTF-8、UTF-16 或 GBK）/ a text file: UTF-8, UTF-16 or GBK" };
        var clean = new Command("clean", "清洗从 PDF/OCR 提取的文字，打印结果 / repair text extracted from PDF or OCR and print it") { cleanFile };
        clean.SetAction(async (result, ct) =>
        {
            await output.WriteLineAsync(TextCleaner.Clean(ReadText(result.GetValue(cleanFile)!)));
            return 0;
        });

        var extractFile = new Argument<FileInfo>("file") { Description = "讲话稿或会议报道 / a speech or meeting report" };
        var json = new Option<bool>("--json") { Description = "JSON 输出 / print JSON" };
        var extract = new Command("extract", "从讲话稿中分解任务（一要…二要…）/ extract the directives of a speech") { extractFile, json };
        extract.SetAction(async (result, ct) =>
        {
            var groups = DirectiveExtractor.Extract(ReadText(result.GetValue(extractFile)!));
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(groups, TextJson));
                return 0;
            }

            foreach (var group in groups)
            {
                await output.WriteLineAsync($"【{group.Speaker ?? "（未署名）"}】");
                foreach (var item in group.Items)
                {
                    await output.WriteLineAsync(FormattableString.Invariant($"{item.Ordinal}. {item.Heading}\t{item.Text}"));
                }
            }

            return 0;
        });

        return new Command("text", "文稿：清洗与任务分解 / documents: cleaning and directive extraction") { clean, extract };
    }

    private static string ReadText(FileInfo file)
    {
        using var stream = file.OpenRead();
        return TextDecoding.Decode(stream).Text;
    }
}
