using Microsoft.AspNetCore.Authorization;

namespace Duban.Web.Auth;

/// <summary>Who may open which staff pages. Each page handler checks again what the actor may do with the data
/// (matter visibility, the lifecycle); these only keep a handler off the assigning side's and admin's pages.</summary>
public static class PagePolicies
{
    public const string AssigningSide = "pages-assigning", Admin = "pages-admin", Audit = "pages-audit";

    public static AuthorizationBuilder AddPagePolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(AssigningSide, p => p.RequireRole("admin", "leader", "supervisor"))
        .AddPolicy(Admin, p => p.RequireRole("admin"))
        .AddPolicy(Audit, p => p.RequireRole("admin", "supervisor")); // 督查室 and administrators read the audit trail
}

/// <summary>Sign-in settings (<c>Auth:</c>).</summary>
public static class SessionSettings
{
    /// <summary>A session ends after this long without a request (sliding); <c>Auth:IdleTimeout</c>, default 2 hours.</summary>
    public static TimeSpan IdleTimeout(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration["Auth:IdleTimeout"];
        if (text is null)
        {
            return TimeSpan.FromHours(2);
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new InvalidOperationException($"Auth:IdleTimeout must be a positive time span such as 02:00:00, not '{text}'.");
    }
}
