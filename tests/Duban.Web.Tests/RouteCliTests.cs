using System.Text;
using Duban.Cli;

namespace Duban.Tests;

/// <summary><c>duban route train|predict|evaluate</c> on small CSV files, and their answers to bad input.</summary>
public sealed class RouteCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("duban-route-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>"主题,类别 / 路灯,城" as a Windows editor saves it in GBK.</summary>
    private string WriteGbk()
    {
        var path = Path.Combine(_dir.FullName, "gbk.csv");
        File.WriteAllBytes(path, [0xD6, 0xF7, 0xCC, 0xE2, 0x2C, 0xC0, 0xE0, 0xB1, 0xF0, 0x0A, 0xC2, 0xB7, 0xB5, 0xC6, 0x2C, 0xB3, 0xC7, 0x0A]);
        return path;
    }

    private const string Train = """
        主题,详情,类别
        路灯不亮,"背街小巷路灯
        夜间不亮",城建
        路灯损坏,村口路灯坏了,城建
        道路积水,人民路下雨积水,城建
        学校补课,中学周末强制补课,教育
        幼儿园学位,孩子没有幼儿园学位,教育
        学校收费,学校违规收费,教育
        """;

    [Fact]
    public async Task TrainThenPredict_PrintsOneLabelPerRow_InOrder()
    {
        var model = Path.Combine(_dir.FullName, "router.model");
        var trained = await RunAsync("route", "train", "--input", Write("train.csv", Train), "--text", "主题", "--text", "详情", "--label", "类别", "--model", model);
        Assert.Equal(0, trained.Exit);
        Assert.Contains("6 行，2 个类别", trained.Out, StringComparison.Ordinal);

        var test = Write("test.csv", "编号,主题\n1,学校补课收费\n2,\n\n3,路灯不亮\n");
        var predicted = await RunAsync("route", "predict", "--model", model, "--input", test, "--text", "主题");
        Assert.Equal(0, predicted.Exit);
        var lines = predicted.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length); // the blank line is no row; the row with empty text still gets a label
        Assert.Equal(("教育", "城建"), (lines[0], lines[2]));

        var confident = await RunAsync("route", "predict", "--model", model, "--input", test, "--text", "主题", "--with-confidence");
        var fields = confident.Out.Split('\n')[0].Split('\t');
        Assert.Equal("教育", fields[0]);
        Assert.InRange(double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1);
    }

    [Fact]
    public async Task TrainWithALexicon_StoresIt_AndEvaluateSaysSo()
    {
        var lexicon = Write("lexicon.csv", "类别,二级,三级\n城建,市政设施,路灯\n教育,中小学,补课\n教育,其他,学位\n城建,其他,积水\n");
        var model = Path.Combine(_dir.FullName, "lexicon.model");
        var trained = await RunAsync("route", "train", "--input", Write("train.csv", Train), "--text", "主题", "--text", "详情", "--label", "类别",
            "--lexicon", lexicon, "--model", model);
        Assert.Equal(0, trained.Exit);
        await using (var file = File.OpenRead(model))
        {
            // 其他, under both categories, is left out.
            Assert.Equal(6, Duban.Triage.TriageModel.Read(file).Space.Lexicon!.Terms.Count);
        }

        var rows = string.Concat(Enumerable.Range(0, 5).Select(i => $"路灯不亮{i},城建\n学校补课{i},教育\n"));
        var (exit, output, _) = await RunAsync("route", "evaluate", "--input", Write("eval.csv", "主题,类别\n" + rows), "--text", "主题", "--label", "类别",
            "--features", "words", "--lexicon", lexicon);
        Assert.Equal(0, exit);
        Assert.Contains("类别词表：6 个词", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_PrintsTheRouterAndTheBaseline()
    {
        var rows = string.Concat(Enumerable.Range(0, 5).Select(i => $"路灯不亮{i},城建\n学校补课{i},教育\n"));
        var (exit, output, _) = await RunAsync("route", "evaluate", "--input", Write("eval.csv", "主题,类别\n" + rows), "--text", "主题", "--label", "类别", "--folds", "5");
        Assert.Equal(0, exit);
        Assert.Matches(@"分流模型 macro-F1 1\.000 ± 0\.000", output);
        Assert.Contains("对照基线 macro-F1", output, StringComparison.Ordinal);
        Assert.Contains("ECE", output, StringComparison.Ordinal);
        // A row per feature set and seed, then both feature sets' summaries with a confusion matrix and the curve.
        Assert.Equal(10, output.Split('\n').Count(l => l.StartsWith("字 n-gram", StringComparison.Ordinal)));
        Assert.Contains("== 字 n-gram + 分词：5 个种子 ==", output, StringComparison.Ordinal);
        Assert.Contains("混淆矩阵", output, StringComparison.Ordinal);
        Assert.Contains("建议人工分派", output, StringComparison.Ordinal);
        Assert.Contains("拒答曲线", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_GetsAClearMessage_AndExitCode1()
    {
        var good = Write("train.csv", Train);
        var model = Path.Combine(_dir.FullName, "m.model");
        var cases = new (string[] Args, string Message)[]
        {
            (["route", "train", "--input", good, "--text", "标题", "--label", "类别", "--model", model], "表头有：主题、详情、类别"),
            (["route", "train", "--input", Write("empty.csv", ""), "--text", "主题", "--label", "类别", "--model", model], "文件为空"),
            (["route", "train", "--input", Write("header.csv", "主题,类别\n"), "--text", "主题", "--label", "类别", "--model", model], "没有数据"),
            (["route", "train", "--input", Write("one.csv", "主题,类别\n路灯,城建\n积水,城建\n补课,教育\n"), "--text", "主题", "--label", "类别", "--model", model], "教育"),
            (["route", "train", "--input", WriteGbk(), "--text", "主题", "--label", "类别", "--model", model], "GBK"),
            (["route", "predict", "--model", good, "--input", good, "--text", "主题"], "不是分流模型文件"),
            (["route", "evaluate", "--input", good, "--text", "主题", "--label", "类别", "--folds", "5"], "至少 5 个样本"),
            (["route", "train", "--input", good, "--text", "主题", "--label", "类别", "--model", model, "--lexicon", Path.Combine(_dir.FullName, "none.csv")], "找不到词表文件"),
            (["route", "train", "--input", good, "--text", "主题", "--label", "类别", "--model", model, "--lexicon", Write("short.csv", "类别,词\n城建,灯\n")], "词表中没有可用的词"),
        };
        foreach (var (args, message) in cases)
        {
            var (exit, output, error) = await RunAsync(args);
            Assert.Equal(1, exit);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
    }
}
