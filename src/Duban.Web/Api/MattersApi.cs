using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>The body of an action on a matter; which text field matters depends on the action.</summary>
public sealed record MatterActionBody
{
    public string? Note { get; init; }
    public string? Reason { get; init; }
    public string? Result { get; init; }
    public bool? Accepted { get; init; }
    public string? Satisfaction { get; init; }

    /// <summary>Transfer: the receiving unit's code.</summary>
    public string? Unit { get; init; }

    /// <summary>The version the client saw (or send <c>If-Match</c>); a stale one gets 409.</summary>
    public int? Version { get; init; }
}

public static class MattersApi
{
    public static RouteGroupBuilder MapMattersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/matters").WithTags("Matters").RequireAuthorization(ApiAuth.Policy);
        group.MapPost("/", AssignAsync).WithSummary("交办：新建事项 / assign a matter");
        group.MapGet("/", ListAsync).WithSummary("事项列表 / list matters");
        group.MapPost("/import", ImportAsync).DisableAntiforgery()
            .WithSummary("批量交办：上传 xlsx（multipart，字段 file），dryRun=true 只预检；有一行有误则一项也不交办（422，附逐行报告）/ import matters");
        group.MapGet("/{id:long}", GetAsync).WithSummary("事项详情 / a matter with milestones and events");
        group.MapPost("/{id:long}/{action}", ActAsync)
            .WithSummary("acknowledge | return | feedback | complete | verify | rate | close | transfer | reopen");
        return group;
    }

    private static async Task<Created<MatterDetails>> AssignAsync(NewMatter body, HttpContext http, AssignMatter assign,
        MatterQueries queries, CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        var id = await assign.ExecuteAsync(body ?? new NewMatter(), actor, cancellationToken);
        var details = await queries.GetAsync(id, actor, cancellationToken);
        return TypedResults.Created($"/api/matters/{id}", details);
    }

    /// <summary>The largest file <c>POST /api/matters/import</c> reads.</summary>
    public const int MaxImportBytes = 20 * 1024 * 1024;

    /// <summary>批量交办 from an uploaded xlsx: the row-by-row report; 422 with it when an import saved nothing because
    /// of bad rows; 400 for a file that cannot be read (not xlsx, no header, more than 5,000 rows).</summary>
    private static async Task<Results<Ok<MatterImportReport>, UnprocessableEntity<MatterImportReport>>> ImportAsync(bool? dryRun, HttpContext http,
        MatterImport import, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (request.ContentLength > MaxImportBytes)
        {
            throw ValidationFailedException.For("file", $"文件超过 {MaxImportBytes / (1 << 20)} MB。");
        }

        if (!request.HasFormContentType)
        {
            throw ValidationFailedException.For("file", "请以 multipart/form-data 上传 xlsx 文件（字段 file）。");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null || file.Length == 0)
        {
            throw ValidationFailedException.For("file", "请选择要导入的 xlsx 文件。");
        }

        if (file.Length > MaxImportBytes)
        {
            throw ValidationFailedException.For("file", $"文件超过 {MaxImportBytes / (1 << 20)} MB。");
        }

        await using var buffer = new MemoryStream();
        await using (var content = file.OpenReadStream())
        {
            await content.CopyToAsync(buffer, cancellationToken);
        }

        buffer.Position = 0;
        var report = await import.RunAsync(buffer, file.FileName, dryRun ?? false, http.User.ToActor(), cancellationToken);
        return report.Ok || report.DryRun ? TypedResults.Ok(report) : TypedResults.UnprocessableEntity(report);
    }

    private static async Task<Ok<MatterDetails>> GetAsync(long id, HttpContext http, MatterQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetAsync(id, http.User.ToActor(), cancellationToken));

    /// <summary>The list with the work list's filter (<see cref="MatterListQuery"/>), paged by <c>page</c> and <c>pageSize</c>.</summary>
    private static async Task<Ok<MatterPage>> ListAsync(HttpContext http, MatterQueries queries, string? page, string? pageSize,
        CancellationToken cancellationToken)
    {
        var (filter, errors) = MatterListQuery.Parse(http.Request.Query);
        if (page is not null)
        {
            filter = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 1_000_000
                ? filter with { Page = p }
                : Fail(errors, "page", "必须是 1 以上的整数。", filter);
        }

        if (pageSize is not null)
        {
            filter = int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out var ps) && ps is >= 1 and <= MatterFilter.MaxPageSize
                ? filter with { PageSize = ps }
                : Fail(errors, "pageSize", $"必须是 1–{MatterFilter.MaxPageSize} 的整数。", filter);
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return TypedResults.Ok(await queries.ListAsync(filter, http.User.ToActor(), cancellationToken));
    }

    /// <summary>An action; answers the matter as it now is, or, when the client sends <c>Prefer: return=minimal</c>
    /// (RFC 7240: an integration acting in bulk, which need not read the matter back), 204 with its new version as
    /// the ETag, for the next action's If-Match.</summary>
    private static async Task<Results<Ok<MatterDetails>, NoContent>> ActAsync(long id, string action, MatterActionBody? body, HttpContext http,
        ActOnMatter act, MatterQueries queries, CancellationToken cancellationToken)
    {
        body ??= new MatterActionBody();
        if (!WireEnum.TryParse<MatterAction>(action, out var parsed) || parsed is MatterAction.Assign or MatterAction.Attach or MatterAction.People)
        {
            throw new NotFoundException($"没有操作「{action}」。可用：acknowledge、return、feedback、complete、verify、rate、close、transfer、reopen。");
        }

        Satisfaction? satisfaction = null;
        if (body.Satisfaction is not null)
        {
            satisfaction = WireEnum.TryParse<Satisfaction>(body.Satisfaction, out var s)
                ? s
                : throw ValidationFailedException.For("satisfaction", "满意度必须是 satisfied、basically 或 dissatisfied。");
        }

        var command = new MatterCommand(parsed)
        {
            Note = parsed switch
            {
                MatterAction.Return or MatterAction.Transfer or MatterAction.Reopen => body.Reason ?? body.Note,
                MatterAction.Complete => body.Result ?? body.Note,
                _ => body.Note,
            },
            Accepted = body.Accepted,
            Satisfaction = satisfaction,
            ExpectedVersion = body.Version ?? IfMatchVersion(http.Request),
        };
        var actor = http.User.ToActor();
        var done = await act.ExecuteAsync(id, command, body.Unit, actor, cancellationToken);
        if (PrefersMinimal(http.Request))
        {
            http.Response.Headers.ETag = $"\"{done.Sequence.ToString(CultureInfo.InvariantCulture)}\""; // the event's number is the matter's version
            http.Response.Headers["Preference-Applied"] = "return=minimal";
            return TypedResults.NoContent();
        }

        return TypedResults.Ok(await queries.GetAsync(id, actor, cancellationToken));
    }

    /// <summary>Whether a <c>Prefer</c> header asks for <c>return=minimal</c> (among other preferences, in any case).</summary>
    private static bool PrefersMinimal(HttpRequest request) =>
        request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')).Any(p => p.Trim().Equals("return=minimal", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads <c>If-Match: "7"</c> (or W/"7") as version 7.</summary>
    private static int? IfMatchVersion(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0)
        {
            return null;
        }

        value = value.Replace("W/", string.Empty, StringComparison.Ordinal).Trim('"');
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw ValidationFailedException.For("If-Match", "If-Match 必须是事项版本号，如 \"3\"。");
    }

    private static MatterFilter Fail(Dictionary<string, string[]> errors, string field, string message, MatterFilter filter)
    {
        errors[field] = [message];
        return filter;
    }
}
