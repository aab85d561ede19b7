using System.Globalization;
using System.Security.Claims;
using Duban.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Duban.Web.Auth;

/// <summary>Adds the unit and display name to a signed-in person's cookie, so every request knows the actor.</summary>
public sealed class DubanClaimsFactory(UserManager<User> users, RoleManager<IdentityRole<long>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User, IdentityRole<long>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ActorClaims.UnitClaim, user.UnitId.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim("duban:name", user.DisplayName));
        return identity;
    }
}
