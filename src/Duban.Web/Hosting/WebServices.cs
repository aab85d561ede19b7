using System.Text.Json;
using System.Text.Json.Serialization;
using Duban.Data;
using Duban.Web.Api;
using Duban.Web.Auth;
using Duban.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Duban.Web;

public static class WebServices
{
    public static IServiceCollection AddDubanWeb(this IServiceCollection services)
    {
        services.AddHostedService<Jobs.DeadlineSweeper>();
        services.AddHostedService<Jobs.DeliveryWorker>();
        services.AddHostedService<Jobs.SignatureBackfillJob>();
        services.AddHostedService<Jobs.FactFolder>();
        services.AddHostedService<Jobs.AuditAnchorJob>();
        services.AddHostedService<Jobs.KeywordIndexer>();
        services.AddDubanTelemetry();
        services.AddSingleton<Jobs.ImportWorker>().AddHostedService(sp => sp.GetRequiredService<Jobs.ImportWorker>());
        services.AddSingleton<Jobs.TriageTraining>();
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails += Problems.ChineseTitles); // ASP.NET's own problems in Chinese too
        services.AddExceptionHandler<Problems>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.AddOpenApi();
        // Pages are Chinese: write CJK as characters, not as &#x…; entities (smaller, readable source).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddPublicRateLimits(); // per client address; no header skips it (Security/PublicRateLimits.cs)
        services.AddTrustedProxies();
        services.AddScoped<SecurityEvents>();
        services.AddScoped<PasswordSignIn>().AddScoped<DummyPasswordHash>();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddDataProtection().SetApplicationName("Duban").PersistKeysToDbContext<DubanDbContext>();

        // Identity's stores are registered by AddDubanData; the web adds cookie sign-in on top.
        new IdentityBuilder(typeof(User), typeof(IdentityRole<long>), services)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<DubanClaimsFactory>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.SlidingExpiration = true;
                o.Cookie.Name = "duban.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax; // Strict would sign out a person who follows a link from a notice e-mail
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure behind TLS
                // Every request checks the security stamp: logout, a password change or reset, a move to another unit
                // or role, or 停用 ends the person's sessions at once (Security/Sessions.cs).
                o.Events.OnValidatePrincipal = Sessions.ValidateAsync;
                o.Events.OnRedirectToLogin = context =>
                {
                    // A cookie that no longer signs in has expired (idle too long, or signed out elsewhere): say so.
                    var expired = context.Request.Cookies.ContainsKey(o.Cookie.Name!);
                    context.Response.Redirect(expired ? context.RedirectUri + "&expired=1" : context.RedirectUri);
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    // A page that is not for this role answers 403 in place (the status page explains), never a redirect.
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IConfiguration>((o, configuration) => o.ExpireTimeSpan = SessionSettings.IdleTimeout(configuration));
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder().AddApiPolicies().AddPagePolicies();
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Status");
            o.Conventions.AuthorizePage("/Supervision", PagePolicies.AssigningSide);
            o.Conventions.AuthorizePage("/Assign", PagePolicies.AssigningSide);
            o.Conventions.AuthorizeFolder("/Assign", PagePolicies.AssigningSide);
            o.Conventions.AuthorizeFolder("/Admin", PagePolicies.Admin);
            o.Conventions.AuthorizeFolder("/Audit", PagePolicies.Audit);
        }).AddMvcOptions(o => o.Filters.Add<Pages.PageErrors>());
        return services;
    }

    public static WebApplication UseDubanWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders(); // the client's address and scheme, from Network:TrustedProxies only
        app.UseReadReplica(); // before anything makes the request's database context: which server it reads
        app.UseDubanTelemetry(); // X-Request-Id on every answer; /metrics only to this machine
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Pages get a Chinese status page in the shell; the API keeps its ProblemDetails.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), b => b.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseRouting(); // after the re-execute, so the status page's request is routed afresh
        app.UseStaticFiles();
        app.UseRequestConnection(); // before sign-in is checked: its look-up uses the page's connection too
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAuditActors(); // after authorization, which signs API tokens in: whoever acts is named on every audit record
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDubanMetrics();
        app.MapMattersApi();
        app.MapItemsApi();
        app.MapUnitsApi();
        app.MapCalendarApi();
        app.MapSupervisionApi();
        app.MapNotificationsApi();
        app.MapTextApi();
        app.MapSimilarityApi();
        app.MapRoutingApi();
        app.MapAppealsApi();
        app.MapPairingApi();
        app.MapAttachmentsApi();
        app.MapReportsApi();
        app.MapWeeklyApi();
        app.MapAssessmentApi();
        app.MapCardsApi();
        app.MapTargetsApi();
        app.MapPeopleApi();
        app.MapCampaignsApi();
        app.MapInstructionsApi();
        app.MapNoticesApi();
        app.MapRazorPages();
        app.MapHealth();
        app.MapPost("/logout", Sessions.LogoutAsync);
        return app;
    }

    /// <summary>Migrates, loads added calendar years and, on an empty database, creates the demo and prints its sign-in.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        // Instances started at once take turns here (PostgreSQL): one migrates, seeds the demo and makes the first Data
        // Protection key; the others find them. Two first keys would each be one instance's own, and after its first
        // minutes an instance no longer reads the keys again for a cookie sealed with a key it does not know.
        await using var startup = await Database.HoldStartupLockAsync(db, options);
        await Database.MigrateAsync(db, options);
        _ = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Duban.Startup").Protect([1]); // loads or makes the key ring
        await scope.ServiceProvider.GetRequiredService<Rules>().ReloadCalendarAsync(db);
        _ = scope.ServiceProvider.GetRequiredService<Data.NotificationOptions>(); // a bad Email:/Delivery: value stops start-up here
        _ = scope.ServiceProvider.GetRequiredService<Data.EscalationOptions>(); // and so does a bad Escalation:, Portal: or Similarity: value
        _ = scope.ServiceProvider.GetRequiredService<Data.PortalOptions>();
        _ = scope.ServiceProvider.GetRequiredService<Data.SimilarityOptions>();
        _ = scope.ServiceProvider.GetRequiredService<Data.NoticeOptions>(); // a bad Notices:RequireApproval too
        if (!app.Configuration.GetValue("Demo:Seed", true))
        {
            return;
        }

        var accounts = await scope.ServiceProvider.GetRequiredService<DemoOrganisation>().SeedIfEmptyAsync();
        if (accounts.Count > 0)
        {
            Console.WriteLine(DemoBanner(accounts));
        }
    }

    public static string DemoBanner(IReadOnlyList<DemoAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var lines = accounts.Select(a => $"  {a.UserName,-10} {a.Password,-18} {a.Description}");
        return string.Join(Environment.NewLine, [
            "",
            "数据库为空，已创建演示单位「示范市」和以下登录账号（密码只显示这一次）：",
            .. lines,
            "",
        ]);
    }
}
