using System.Security.Claims;
using Duban.Data;
using Duban.Web.Auth;

namespace Duban.Web.Security;

/// <summary>Names the request's actor for the audit trail (<see cref="AuditActor"/>): the signed-in person or token,
/// or 公众 (a citizen on the portal) by address.</summary>
public static class AuditActors
{
    public static IApplicationBuilder UseAuditActors(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            using (AuditActor.Use(Of(http)))
            {
                await next(http);
            }
        });

    public static AuditActor Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var address = ClientAddress.Of(http);
        if (http.User.Identity?.IsAuthenticated == true && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is not null
            && http.User.FindFirstValue(ActorClaims.UnitClaim) is not null)
        {
            var actor = http.User.ToActor();
            return new AuditActor(actor.Id, actor.Name, actor.UnitId, address);
        }

        return new AuditActor("anonymous", "公众", null, address);
    }
}
