using Duban.Data.Access;
using Duban.Data.Matters;
using Duban.Data.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Data;

public static class DataServices
{
    /// <summary>The database, Identity stores, the rules and the command/query classes, for the web host and the CLI.</summary>
    public static IServiceCollection AddDubanData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var database = DatabaseOptions.From(configuration);
        services.AddSingleton(database);
        services.AddSingleton(Rules.FromConfiguration(configuration));
        services.AddDbContext<DubanDbContext>(database.Configure);
        services.AddIdentityCore<User>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<long>>()
            .AddEntityFrameworkStores<DubanDbContext>();
        services.AddScoped<AssignMatter>();
        services.AddScoped<ActOnMatter>();
        services.AddScoped<MatterQueries>();
        services.AddScoped<UnitDirectory>();
        services.AddScoped<ApiTokens>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<DemoOrganisation>();
        return services;
    }
}
