using Duban.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

public static class UnitsApi
{
    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/units").WithTags("Units").RequireAuthorization(ApiAuth.Policy);
        group.MapGet("/", async (UnitDirectory units, CancellationToken ct) => TypedResults.Ok(await units.ListAsync(ct)))
            .WithSummary("单位列表（按树序）/ units in tree order");
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiAuth.AdminPolicy)
            .WithSummary("新建或更新单位（管理员）/ create or update a unit (admin)");
        return group;
    }

    private static async Task<Created<UnitView>> CreateAsync(UnitInputBody body, UnitDirectory units, CancellationToken cancellationToken)
    {
        var saved = await units.SaveAsync(new UnitInput(body.Code, body.Name, body.ParentCode, body.Level, body.Active ?? true), cancellationToken);
        return TypedResults.Created($"/api/units/{Uri.EscapeDataString(saved.Code)}", saved);
    }

    public sealed record UnitInputBody(string? Code, string? Name, string? ParentCode, string? Level, bool? Active);
}
