using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban attachments gc</c>: deletes what uploads left behind (清理附件) and reports missing files.</summary>
internal sealed class AttachmentsCommand(CliContext cli)
{
    /// <summary>Missing blobs printed by name, at most.</summary>
    private const int MissingShown = 20;

    private readonly Option<double> _minAge = new("--min-age-hours")
    {
        Description = "只清理早于此时长的文件（小时，默认 24），正在写入的上传不受影响",
        DefaultValueFactory = _ => 24,
    };

    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "只统计，不删除" };

    public Command Create()
    {
        _minAge.Validators.Add(r =>
        {
            if (r.GetValue(_minAge) is < 1 or > 24 * 365)
            {
                r.AddError("--min-age-hours 应在 1 到 8760 之间。");
            }
        });
        var gc = new Command("gc", "删除无事项引用的附件文件和中断上传的临时文件，并报告丢失的文件")
        {
            _minAge,
            _dryRun,
        };
        gc.SetAction(CollectAsync);
        return new Command("attachments", "附件") { gc };
    }

    /// <summary>Exit code 2 when attachments refer to blobs whose file is gone (restored without <c>blobs</c>?).</summary>
    private async Task<int> CollectAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var dry = result.GetValue(_dryRun);
        var collected = await scope.ServiceProvider.GetRequiredService<BlobCollector>()
            .CollectAsync(TimeSpan.FromHours(result.GetValue(_minAge)), dry, ct);
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{(dry ? "试运行：" : "")}附件文件 {collected.Files} 个，无引用 {collected.Orphans} 个，已删除 {collected.Deleted} 个（{collected.FreedBytes} 字节），临时文件 {collected.Temps} 个，丢失 {collected.Missing.Count} 个"));
        foreach (var sha in collected.Missing.Take(MissingShown))
        {
            await cli.Error.WriteLineAsync($"丢失：{sha}（有附件引用，但文件不在附件目录中）");
        }

        return collected.Missing.Count == 0 ? 0 : 2;
    }
}
