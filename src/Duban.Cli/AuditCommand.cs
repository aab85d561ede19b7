using System.CommandLine;
using System.Globalization;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Cli;

/// <summary><c>duban audit verify</c> and <c>duban audit anchor</c>: checks the audit trail's hash chain, the rows
/// and attachment files against it; writes the chain head to the anchor file.</summary>
internal sealed class AuditCommand(CliContext cli)
{
    public Command Create()
    {
        var verify = new Command("verify", "核验审计链：记录是否被改动、删除或插入，数据与附件是否与审计记录一致（有问题时退出码为 3）");
        verify.SetAction(VerifyAsync);
        var anchor = new Command("anchor", "把审计链当前的末条校验值写入锚点文件（Audit:AnchorFile）");
        anchor.SetAction(AnchorAsync);
        return new Command("audit", "审计记录") { verify, anchor };
    }

    private async Task<int> VerifyAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var report = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(ct);
        await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"审计记录 {report.Records} 条，锚点 {report.Anchors} 个，数据行 {report.Rows} 行，附件文件 {report.Files} 个"));
        if (report.ChainBreak is { } broken)
        {
            await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"审计链断在第 {broken.Seq} 条：{broken.Reason}"));
        }

        foreach (var problem in report.Problems)
        {
            await cli.Output.WriteLineAsync(problem);
        }

        if (report.ProblemCount > report.Problems.Count)
        {
            await cli.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"……共 {report.ProblemCount} 处不符，只列出前 {report.Problems.Count} 处"));
        }

        await cli.Output.WriteLineAsync(report.Whole ? "核验通过：审计链完整，数据与附件均与审计记录一致" : "核验未通过");
        return report.Whole ? 0 : 3;
    }

    private async Task<int> AnchorAsync(ParseResult result, CancellationToken ct)
    {
        await using var scope = await cli.OpenAsync(result, ct);
        var anchor = await scope.ServiceProvider.GetRequiredService<AuditAnchors>().WriteAsync(ct);
        await cli.Output.WriteLineAsync(anchor is null
            ? "审计链还没有记录，未写锚点"
            : string.Create(CultureInfo.InvariantCulture, $"锚点：第 {anchor.Seq} 条 {anchor.Hash}"));
        return 0;
    }
}
