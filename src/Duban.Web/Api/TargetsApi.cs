using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>目标任务: target sets with items and goals, the xlsx import, progress reports and their confirmation, the
/// progress table with ranks, and the 包联 cadres' board.</summary>
public static class TargetsApi
{
    public sealed record ReportBody(double? Amount, string? Note);

    public sealed record DecisionBody(string? Reason);

    /// <summary>The largest import file.</summary>
    public const long MaxImportBytes = 20L * 1024 * 1024;

    public static IEndpointRouteBuilder MapTargetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/assessment").RequireAuthorization(ApiAuth.Policy).WithTags("Assessment targets");

        api.MapGet("/targets", async (TargetTasks tasks, CancellationToken ct) => TypedResults.Ok(await tasks.ListAsync(ct)))
            .WithSummary("目标任务及其任务项 / target sets and their items");

        api.MapPost("/targets", async Task<Created<TargetSetView>> (TargetSetInput body, HttpContext http, TargetTasks tasks, CancellationToken ct) =>
        {
            var saved = await tasks.SaveAsync(body, http.User.ToActor(), cancellationToken: ct);
            var view = await tasks.GetAsync(saved.SetId!.Value, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/targets/progress?set={view.Id}"), view);
        }).WithSummary("新建目标任务，或向同名同期的目标任务追加任务项和目标（已有目标即改为新目标数）/ create or extend a target set");

        api.MapPost("/targets/import", async (bool? dryRun, HttpContext http, TargetImport import, CancellationToken ct) =>
        {
            var (stream, name) = await ReadFileAsync(http, ct);
            await using var _ = stream;
            var report = await import.RunAsync(stream, name, dryRun ?? false, http.User.ToActor(), ct);
            if (!report.DryRun && !report.Saved)
            {
                throw new ValidationFailedException(report.Problems.ToDictionary(p => FormattableString.Invariant($"第{p.Row}行"), p => p.Messages.ToArray()));
            }

            return TypedResults.Ok(report);
        }).DisableAntiforgery()
            .WithSummary("导入目标（xlsx 或 CSV，每行一个单位或干部的一项任务；dryRun=true 只检查；有任何一行有误则一行都不保存）/ import targets");

        api.MapGet("/targets/progress", async (string? set, string? period, HttpContext http, TargetTasks tasks, CancellationToken ct) =>
            TypedResults.Ok(await tasks.ProgressAsync(await tasks.FindAsync(set, period, ct), http.User.ToActor(), ct)))
            .WithSummary("目标进度：完成数、目标数、完成率、序时进度、是否落后、同项排名（set=编号或名称，period=考核期间）/ progress");

        api.MapGet("/targets/{id:long}/reports", async (long id, HttpContext http, TargetTasks tasks, CancellationToken ct) =>
        {
            await tasks.GetAsync(id, ct);
            return TypedResults.Ok(await tasks.ReportsAsync(id, http.User.ToActor(), ct));
        }).WithSummary("目标任务的填报记录 / a set's progress reports");

        api.MapPost("/targets/{id:long}/reports", async Task<Created<TargetReportView>> (long id, ReportBody body, HttpContext http, TargetTasks tasks,
            CancellationToken ct) =>
        {
            var view = await tasks.ReportAsync(id, body.Amount, body.Note, http.User.ToActor(), ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/assessment/targets/reports/{view.Id}"), view);
        }).WithSummary("填报手工目标的完成数量（id 为目标编号，即进度表中的 goalId）/ report progress on a goal");

        api.MapPost("/targets/reports/{id:long}/confirm", async (long id, DecisionBody? body, HttpContext http, TargetTasks tasks, CancellationToken ct) =>
            TypedResults.Ok(await tasks.DecideAsync(id, true, body?.Reason, http.User.ToActor(), ct)))
            .WithSummary("确认填报（确认后计入完成数）/ confirm a report");

        api.MapPost("/targets/reports/{id:long}/reject", async (long id, DecisionBody? body, HttpContext http, TargetTasks tasks, CancellationToken ct) =>
            TypedResults.Ok(await tasks.DecideAsync(id, false, body?.Reason, http.User.ToActor(), ct)))
            .WithSummary("退回填报（须写原因）/ reject a report with a reason");

        api.MapGet("/cadres", async (string? period, HttpContext http, CadreBoard board, CancellationToken ct) =>
            TypedResults.Ok(await board.GetAsync(period, http.User.ToActor(), ct)))
            .WithSummary("包联干部：所包企业的诉求（件数、解决率、满意率）、走访、目标进度与排名 / the cadres' board (period=2024-03)");
        return app;
    }

    /// <summary>The uploaded file: the first file of a multipart form, or the raw body.</summary>
    private static async Task<(MemoryStream Stream, string Name)> ReadFileAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (request.ContentLength > MaxImportBytes)
        {
            throw ValidationFailedException.For("file", $"文件超过 {MaxImportBytes / (1 << 20)} MB。");
        }

        var buffer = new MemoryStream();
        string name;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.FirstOrDefault() ?? throw ValidationFailedException.For("file", "请选择要导入的文件。");
            await using var content = file.OpenReadStream();
            await content.CopyToAsync(buffer, cancellationToken);
            name = file.FileName;
        }
        else
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
            // A raw body: xlsx when it is a zip, else CSV.
            var head = buffer.GetBuffer();
            name = buffer.Length >= 2 && head[0] == 'P' && head[1] == 'K' ? "targets.xlsx" : "targets.csv";
        }

        if (buffer.Length == 0)
        {
            throw ValidationFailedException.For("file", "请选择要导入的文件。");
        }

        if (buffer.Length > MaxImportBytes)
        {
            throw ValidationFailedException.For("file", $"文件超过 {MaxImportBytes / (1 << 20)} MB。");
        }

        buffer.Position = 0;
        return (buffer, name);
    }
}
