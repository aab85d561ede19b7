using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>
/// Work items (工作事项): create with a plan of dated nodes, list by register and colour, report progress, add and meet
/// nodes. A node moves through the extension endpoints (<c>POST /api/matters/{id}/extensions</c> with <c>node</c>).
/// </summary>
public static class ItemsApi
{
    public static RouteGroupBuilder MapItemsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/items").WithTags("Items").RequireAuthorization(ApiAuth.Policy);
        group.MapPost("/", CreateAsync).WithSummary("新建工作事项（节点计划、填报周期）/ create a work item with its plan");
        group.MapGet("/", ListAsync).WithSummary("工作事项列表（按台账、颜色）/ list work items by register and colour");
        group.MapGet("/ledger", LedgerAsync)
            .WithSummary("工作事项台账（xlsx：序号、工作任务、牵头单位、责任领导、责任人、时间节点、进展情况、存在问题、状态）/ the register as a workbook");
        group.MapGet("/{id:long}", GetAsync).WithSummary("工作事项详情 / a work item with its plan, reports and colour");
        group.MapPost("/{id:long}/progress", async Task<Ok<ItemDetails>> (long id, ProgressInput body, HttpContext http, WorkItems items, CancellationToken ct) =>
        {
            await items.ReportAsync(id, body ?? new ProgressInput(null, null, null, null, null, null), http.User.ToActor(), ct);
            return TypedResults.Ok(await items.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("进度填报 / report progress");
        group.MapPost("/{id:long}/nodes", async Task<Ok<ItemDetails>> (long id, NodeInput body, HttpContext http, WorkItems items, CancellationToken ct) =>
        {
            await items.AddNodeAsync(id, body ?? new NodeInput(null, null), http.User.ToActor(), ct);
            return TypedResults.Ok(await items.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("增加节点 / add a node to the plan");
        group.MapPost("/{id:long}/nodes/{node:int}/meet", async Task<Ok<ItemDetails>> (long id, int node, MeetInput body, HttpContext http, WorkItems items, CancellationToken ct) =>
        {
            await items.MeetAsync(id, node, body ?? new MeetInput(null, null), http.User.ToActor(), ct);
            return TypedResults.Ok(await items.GetAsync(id, http.User.ToActor(), ct));
        }).WithSummary("完成节点（佐证）/ meet a node with evidence");
        return group;
    }

    private static async Task<Created<ItemDetails>> CreateAsync(NewItem body, HttpContext http, WorkItems items, CancellationToken cancellationToken)
    {
        var actor = http.User.ToActor();
        var id = await items.CreateAsync(body ?? new NewItem(), actor, cancellationToken);
        return TypedResults.Created($"/api/items/{id}", await items.GetAsync(id, actor, cancellationToken));
    }

    private static async Task<Ok<ItemDetails>> GetAsync(long id, HttpContext http, WorkItems items, CancellationToken cancellationToken) =>
        TypedResults.Ok(await items.GetAsync(id, http.User.ToActor(), cancellationToken));

    /// <summary>The ledger of a register (all registers without one), filtered as the 台账 page filters it.</summary>
    private static async Task<FileContentHttpResult> LedgerAsync(HttpContext http, ItemLedger ledger, string? register, string? colour, string? unit,
        string? person, long? campaign, string? status, string? q, CancellationToken cancellationToken)
    {
        var (reg, col) = ParseFilters(register, colour);
        var filter = new ItemFilter { Register = reg, Colour = col, LeadUnit = unit, Person = person, Campaign = campaign, Status = status, Keyword = q };
        using var stream = new MemoryStream();
        await ledger.WriteAsync(stream, filter, http.User.ToActor(), cancellationToken);
        return TypedResults.File(stream.ToArray(), ItemLedger.ContentType, ledger.FileName(reg));
    }

    private static async Task<Ok<IReadOnlyList<ItemSummary>>> ListAsync(HttpContext http, WorkItems items, string? register, string? colour,
        long? parent, CancellationToken cancellationToken)
    {
        var (reg, col) = ParseFilters(register, colour);
        return TypedResults.Ok(await items.ListAsync(reg, col, parent, http.User.ToActor(), cancellationToken));
    }

    /// <summary>The register and colour of a list's query (400 naming the field when unknown).</summary>
    public static (ItemRegister? Register, Colour? Colour) ParseFilters(string? register, string? colour)
    {
        var errors = new Dictionary<string, string[]>();
        ItemRegister? reg = null;
        if (!string.IsNullOrEmpty(register))
        {
            if (ItemRegisters.TryParse(register, out var r))
            {
                reg = r;
            }
            else
            {
                errors["register"] = ["台账必须是 key-work、project、reform 或 meeting。"];
            }
        }

        Colour? col = null;
        if (!string.IsNullOrEmpty(colour))
        {
            if (WireEnum.TryParse<Colour>(colour, out var c))
            {
                col = c;
            }
            else
            {
                errors["colour"] = ["颜色必须是 green（绿）、yellow（黄）或 red（红）。"];
            }
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : (reg, col);
    }
}
