using Duban.Web.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Duban.Web.Api;

/// <summary>The API takes Bearer tokens only: a browser's cookie never authorises an API call, so no CSRF there.</summary>
public static class ApiAuth
{
    public const string Policy = "api", AdminPolicy = "api-admin";

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Policy, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireAuthenticatedUser())
        .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireRole("admin"));
}
