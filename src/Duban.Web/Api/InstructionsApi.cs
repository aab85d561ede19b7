using System.Globalization;
using Duban.Data;
using Duban.Instructions;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>
/// 领导批示件: the register (office: all it oversees; a leader: their own; a unit: those assigned to it), registration,
/// assignment to units as 13710 matters or work items, and the report back to the leader (draft → approve → send).
/// </summary>
public static class InstructionsApi
{
    /// <summary>The version of the instruction a form was drawn from, for close.</summary>
    public sealed record VersionBody(int? Version);

    /// <summary>An attachment already uploaded to a linked matter, named as the scan.</summary>
    public sealed record ScanBody(long? Attachment);

    public static RouteGroupBuilder MapInstructionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instructions").WithTags("Instructions").RequireAuthorization(ApiAuth.Policy);
        group.MapGet("/", ListAsync).WithSummary("领导批示件（leader=用户编号或姓名，status，year）/ the register the reader may see");
        group.MapGet("/{id:long}", async Task<Ok<InstructionDetails>> (long id, HttpContext http, InstructionRegister register, CancellationToken ct) =>
            TypedResults.Ok(await register.GetAsync(id, http.User.ToActor(), ct))).WithSummary("批示件详情 / an instruction with its matters and reports");
        group.MapPost("/", async Task<Created<InstructionDetails>> (NewInstruction body, HttpContext http, InstructionRegister register, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var id = await register.RegisterAsync(body ?? new NewInstruction(), actor, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/instructions/{id}"), await register.GetAsync(id, actor, ct));
        }).WithSummary("登记批示件（督查室）/ register a leader's instruction");
        group.MapPost("/{id:long}/assign", async Task<Ok<InstructionDetails>> (long id, AssignInstruction body, HttpContext http, InstructionRegister register,
            CancellationToken ct) =>
        {
            await register.AssignAsync(id, body ?? new AssignInstruction(), http.User.ToActor(), ct);
            return TypedResults.Ok(await register.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("交办（units；kind=assignment 13710 事项或 item 工作事项）/ assign to units as linked matters");
        group.MapPost("/{id:long}/report", async Task<Ok<InstructionDetails>> (long id, ReportStep body, HttpContext http, InstructionRegister register,
            CancellationToken ct) =>
        {
            await register.ReportAsync(id, body ?? new ReportStep(), http.User.ToActor(), ct);
            return TypedResults.Ok(await register.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("办理结果报告：action=draft|edit|approve|send（partial+reason 为阶段性报告）/ the report to the leader, step by step");
        group.MapPost("/{id:long}/close", async Task<Ok<InstructionDetails>> (long id, VersionBody body, HttpContext http, InstructionRegister register,
            CancellationToken ct) =>
        {
            await register.CloseAsync(id, body?.Version, http.User.ToActor(), ct);
            return TypedResults.Ok(await register.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("办结归档（报告报送后）/ close after the final report");
        group.MapPut("/{id:long}/scan", async Task<Ok<InstructionDetails>> (long id, ScanBody body, HttpContext http, InstructionRegister register,
            CancellationToken ct) =>
        {
            var attachment = body?.Attachment ?? throw ValidationFailedException.For("attachment", "请给出扫描件的附件编号。");
            await register.SetScanAsync(id, attachment, http.User.ToActor(), ct);
            return TypedResults.Ok(await register.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("指定扫描件（已上传到交办事项的附件）/ name the scan");
        group.MapGet("/{id:long}/report.docx", DocxAsync).WithSummary("办理结果报告 Word 文档 / the report as .docx");
        return group;
    }

    /// <summary>The .docx of a report (by default the latest: the open one, else the last sent).</summary>
    internal static async Task<IResult> DocxAsync(long id, long? report, HttpContext http, InstructionRegister register, CancellationToken cancellationToken)
    {
        var (content, name) = await DocumentAsync(id, report, http.User.ToActor(), register, cancellationToken);
        return Results.File(content, ReviewBulletin.ContentType, name);
    }

    /// <summary>A report as .docx bytes and its file name, for the API and the page.</summary>
    /// <exception cref="NotFoundException">No such instruction or report, or the reader may not see it.</exception>
    internal static async Task<(Stream Content, string FileName)> DocumentAsync(long id, long? report, Actor actor, InstructionRegister register,
        CancellationToken cancellationToken)
    {
        var details = await register.GetAsync(id, actor, cancellationToken);
        var chosen = (report is { } r ? details.Reports.SingleOrDefault(x => x.Id == r) : details.Reports.LastOrDefault())
            ?? throw new NotFoundException("还没有办理结果报告。");
        var buffer = new MemoryStream();
        await InstructionReportDocument.WriteAsync(buffer, details, chosen, cancellationToken);
        buffer.Position = 0;
        return (buffer, InstructionReportDocument.FileName(details, chosen));
    }

    private static async Task<Ok<IReadOnlyList<InstructionSummary>>> ListAsync(HttpContext http, InstructionRegister register, string? leader, string? status,
        string? year, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        InstructionStatus? parsed = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (WireEnum.TryParse<InstructionStatus>(status, out var s))
            {
                parsed = s;
            }
            else
            {
                errors["status"] = ["状态必须是 registered、assigned、inProgress、resultsIn、reported 或 closed。"];
            }
        }

        int? y = null;
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 2000 and <= 2100)
            {
                y = n;
            }
            else
            {
                errors["year"] = ["年份须是四位数字，如 2026。"];
            }
        }

        return errors.Count > 0
            ? throw new ValidationFailedException(errors)
            : TypedResults.Ok(await register.ListAsync(new InstructionFilter { Leader = leader, Status = parsed, Year = y }, http.User.ToActor(), cancellationToken));
    }
}
