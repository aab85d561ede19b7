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
        services.AddScoped<ReadTarget>();
        services.AddSingleton(sp => Rules.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => NotificationOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => AppealOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => PortalOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => EscalationOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => SimilarityOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => AttachmentOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton<BlobStore>().AddScoped<AttachmentFiles>().AddScoped<MatterAttachments>().AddScoped<AttachmentOwners>().AddScoped<BlobCollector>();
        services.AddSingleton(sp => BatchingWriterOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<BatchingWriter>();
        services.AddScoped<AppealIntake>().AddSingleton<IntakeDirectory>();
        services.AddScoped<AppealQueries>().AddScoped<RateAppeal>().AddScoped<RevealContact>();
        services.AddScoped<RoutingRules>();
        services.AddScoped<AppealLists>();
        services.AddScoped<EscalateAppeal>();
        services.AddSingleton<NoticeOutbox>();
        services.AddSingleton(sp => ReviewOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<FactLedger>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton(sp => AuditOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<DatabaseOptions>()));
        services.AddScoped<AuditAnchors>().AddScoped<AuditVerifier>().AddScoped<AuditQueries>();
        services.AddScoped<ReviewQueries>();
        services.AddScoped<WeeklySessions>();
        services.AddScoped<CitationBook>().AddScoped<ResultCitations>().AddScoped<CardBook>().AddScoped<InterviewList>();
        services.AddScoped<DashboardQueries>().AddSingleton<DashboardCache>();
        services.AddScoped<MatterLedger>();
        services.AddScoped<FormSubmissions>();
        services.AddSingleton(sp => TriageOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<TriageModelCache>();
        services.AddScoped<MatterTriage>();
        // The options come built (ContextOptions), so AddDbContext registers the context and no options of its own.
        services.AddSingleton<ContextOptions>();
        services.AddScoped(sp => sp.GetRequiredService<ContextOptions>().For(sp.GetRequiredService<ReadTarget>()));
        services.AddDbContext<DubanDbContext>();
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
        services.AddScoped<MatterPeople>().AddScoped<PersonQueries>().AddScoped<Campaigns>().AddScoped<CampaignReviews>();
        services.AddScoped<AssignList>();
        services.AddScoped<ActOnMatter>();
        services.AddScoped<WorkItems>().AddScoped<ItemQueries>().AddScoped<ItemLedger>().AddScoped<ItemImport>();
        services.AddScoped<InstructionRegister>();
        services.AddScoped<MatterQueries>();
        services.AddScoped<UnitDirectory>().AddSingleton<UnitCatalog>().AddSingleton<PeopleCatalog>();
        services.AddScoped<ApiTokens>().AddSingleton<ApiTokenCache>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<DemoOrganisation>();
        services.AddScoped<SyntheticData>();
        services.AddScoped<SweepDeadlines>();
        services.AddScoped<Supervision>().AddScoped<ExtensionRequests>().AddScoped<AccountabilityList>().AddScoped<NoticeInbox>();
        services.AddScoped<LookBacks>();
        services.AddScoped<AssessmentSchemes>().AddScoped<AssessmentResults>().AddScoped<JudgingSessions>().AddScoped<AssessmentCompetitions>();
        services.AddScoped<NotificationAdmin>();
        services.AddScoped<DeliverDue>();
        services.AddScoped<EmailSender>();
        services.AddScoped<WebhookSender>();
        services.AddSingleton(sp => SmsOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<RobotSender>().AddScoped<ISmsProvider, AliyunSms>().AddScoped<ChannelAdmin>();
        services.AddSingleton<MatterIndex>();
        services.AddScoped<SimilarMatters>();
        services.AddScoped<Batches>();
        services.AddScoped<HotIssueQueries>();
        services.AddScoped<SignatureBackfill>();
        services.AddScoped<AppealImport>().AddScoped<ImportRuns>().AddScoped<MatterImport>().AddScoped<Enterprises>().AddScoped<Visits>();
        services.AddScoped<TargetTasks>().AddScoped<TargetImport>().AddScoped<CadreBoard>();
        services.AddSingleton(sp => NoticeOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<NoticeDocuments>();
        services.AddHttpClient(WebhookSender.ClientName, (sp, client) => client.Timeout = sp.GetRequiredService<NotificationOptions>().Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers(); // webhook URLs may carry tokens; DeliverDue logs outcomes itself
        services.AddScoped<SignInFailures>(); // sign-in back-off per user name and source address
        return services;
    }
}
