using System.Globalization;
using System.Security.Claims;
using Duban.Data;
using Duban.Matters;

namespace Duban.Web.Auth;

/// <summary>The actor inside a ClaimsPrincipal: id, name, unit and roles, the same for people and tokens.</summary>
public static class ActorClaims
{
    public const string UnitClaim = "duban:unit";

    public static IEnumerable<Claim> For(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        yield return new Claim(ClaimTypes.NameIdentifier, actor.Id);
        yield return new Claim(ClaimTypes.Name, actor.Name);
        yield return new Claim(UnitClaim, actor.UnitId.ToString(CultureInfo.InvariantCulture));
        foreach (var role in actor.Roles)
        {
            yield return new Claim(ClaimTypes.Role, WireEnum.Name(role));
        }
    }

    /// <summary>The actor of an authenticated principal.</summary>
    /// <exception cref="InvalidOperationException">The principal lacks the claims (a bug in sign-in).</exception>
    public static Actor ToActor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var unit = principal.FindFirstValue(UnitClaim);
        if (id is null || unit is null || !long.TryParse(unit, NumberStyles.None, CultureInfo.InvariantCulture, out var unitId))
        {
            throw new InvalidOperationException("The signed-in principal carries no Duban actor claims.");
        }

        var roles = principal.FindAll(ClaimTypes.Role)
            .Select(c => WireEnum.TryParse<Role>(c.Value, out var r) ? r : (Role?)null).OfType<Role>().ToHashSet();
        return new Actor(id.StartsWith("token:", StringComparison.Ordinal) ? id : $"user:{id}",
            principal.FindFirstValue("duban:name") ?? principal.Identity?.Name ?? id, unitId, roles);
    }
}
