using Duban.Data.Access;
using Duban.Data.Matters;
using Duban.Data.Notifications;
using Duban.Data.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Data;

public static class DataServices
{
    /// <summary>The database, Identity stores, the rules and the command/query classes, for the web host and the CLI.</summary>
    /// <remarks>Settings are read from <see cref="IConfiguration"/> when first needed (at start-up, when the database is
    /// prepared), so a host may layer configuration late; a bad value still stops start-up naming its key.</remarks>
    public static IServiceCollection AddDubanData(this IServiceCollection services)
    {
        services.AddSingleton(sp => DatabaseOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Rules.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => NotificationOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Appeals.AppealOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Appeals.PortalOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Escalation.EscalationOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Similarity.SimilarityOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Attachments.AttachmentOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton<Attachments.BlobStore>().AddScoped<Attachments.MatterAttachments>().AddScoped<Attachments.BlobCollector>();
        services.AddScoped<Appeals.AppealIntake>();
        services.AddScoped<Appeals.AppealQueries>().AddScoped<Appeals.RateAppeal>().AddScoped<Appeals.RevealContact>();
        services.AddScoped<Appeals.RoutingRules>();
        services.AddScoped<Appeals.AppealLists>();
        services.AddScoped<Appeals.EscalateAppeal>();
        services.AddSingleton<NoticeOutbox>();
        services.AddSingleton(sp => Routing.RoutingOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Routing.RoutingModelCache>();
        services.AddScoped<Routing.MatterRouter>();
        services.AddDbContext<DubanDbContext>((sp, options) =>
        {
            sp.GetRequiredService<DatabaseOptions>().Configure(options);
            options.AddInterceptors(sp.GetRequiredService<NoticeOutbox>()); // every saved notice queues its deliveries
        });
        services.AddIdentityCore<User>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false; // letters and digits, 10 or more: long beats complicated
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<long>>()
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddEntityFrameworkStores<DubanDbContext>();
        services.AddScoped<AssignMatter>();
        services.AddScoped<AssignBatch>();
        services.AddScoped<ActOnMatter>();
        services.AddScoped<MatterQueries>();
        services.AddScoped<UnitDirectory>();
        services.AddScoped<ApiTokens>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<DemoOrganisation>();
        services.AddScoped<Escalation.SweepDeadlines>();
        services.AddScoped<Escalation.Supervision>().AddScoped<Escalation.ExtensionRequests>().AddScoped<Escalation.AccountabilityList>().AddScoped<Escalation.NoticeInbox>();
        services.AddScoped<Escalation.LookBacks>();
        services.AddScoped<NotificationAdmin>();
        services.AddScoped<DeliverDue>();
        services.AddScoped<EmailSender>();
        services.AddScoped<WebhookSender>();
        services.AddSingleton<Similarity.MatterIndex>();
        services.AddScoped<Similarity.SimilarMatters>();
        services.AddScoped<Similarity.Batches>();
        services.AddScoped<Similarity.HotIssueQueries>();
        services.AddScoped<Similarity.SignatureBackfill>();
        services.AddScoped<Import.AppealImport>().AddScoped<Import.ImportBatches>().AddScoped<Pairing.Enterprises>().AddScoped<Pairing.Visits>();
        services.AddHttpClient(WebhookSender.ClientName, (sp, client) => client.Timeout = sp.GetRequiredService<NotificationOptions>().Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers(); // webhook URLs may carry tokens; DeliverDue logs outcomes itself
        return services;
    }
}
