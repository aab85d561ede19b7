using System.Security.Claims;
using Duban.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Duban.Web.Security;

/// <summary>
/// Sessions end on the server, not only in the browser: every request with a sign-in cookie checks the person's
/// security stamp in the database (one indexed read), so a cookie stops working the moment the person logs out,
/// changes or is given a password, is moved to another unit or role, or is 停用 — on every instance at once.
/// Logging out changes the stamp, which ends the person's sessions on every device.
/// </summary>
public static class Sessions
{
    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>: refuses a cookie whose stamp is no longer the
    /// person's, then lets Identity's validator refresh the claims now and then.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal?.FindFirstValue(stampClaim);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var current = id is null || !long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId)
            ? null
            : await services.GetRequiredService<DubanDbContext>().Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.SecurityStamp, u.LockoutEnd }).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (current is null || stamp is null || current.SecurityStamp != stamp || current.LockoutEnd is { } end && end > now)
        {
            services.GetRequiredService<SecurityEvents>().SessionRejected(id ?? "?", ClientAddress.Of(context.HttpContext));
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary><c>POST /logout</c>: with the form's antiforgery token, ends the person's sessions everywhere (a new
    /// security stamp) and removes the cookie. Without a session there is nothing to end: straight to the login page.</summary>
    public static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, UserManager<User> users,
        SignInManager<User> signIn, SecurityEvents events)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(antiforgery);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(events);
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return Results.Redirect("/login");
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        var user = await users.GetUserAsync(http.User);
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        await events.SignedOutAsync(http.User.Identity?.Name ?? "?", ClientAddress.Of(http), http.RequestAborted);
        return Results.Redirect("/login");
    }
}
