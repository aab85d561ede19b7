using System.CommandLine;
using System.Globalization;
using Duban.Data.Similarity;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

public static partial class CliApp
{
    /// <summary><c>duban similar backfill</c>: writes the missing similar-case signatures (补算相似签名).</summary>
    private static Command SimilarBackfillCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var pageSize = new Option<int>("--page-size")
        {
            Description = "每页事项数（每页提交一次）/ matters per page, one commit each",
            DefaultValueFactory = _ => SignatureBackfill.DefaultPageSize,
        };
        pageSize.Validators.Add(r =>
        {
            if (r.GetValue(pageSize) is < 1 or > SignatureBackfill.MaxPageSize)
            {
                r.AddError(FormattableString.Invariant($"--page-size 应在 1 到 {SignatureBackfill.MaxPageSize} 之间。"));
            }
        });
        var backfill = new Command("backfill", "为缺少相似签名的事项补算（可中断、可重复运行）/ write missing similarity signatures; resumable, idempotent")
        {
            pageSize,
        };
        backfill.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var written = await scope.ServiceProvider.GetRequiredService<SignatureBackfill>().RunAsync(result.GetValue(pageSize), null,
                new BackfillPrinter(error), ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"补算签名 {written} 条 / backfilled={written}"));
            return 0;
        });
        return backfill;
    }

    private sealed class BackfillPrinter(TextWriter error) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) =>
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已补算 {value.Written} 条，至事项 {value.LastMatterId} / written={value.Written} last={value.LastMatterId}"));
    }
}
