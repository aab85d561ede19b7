using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Duban.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider; never used at run time.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DubanDbContext>
{
    public DubanDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<DubanDbContext>();
        new DatabaseOptions(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=design_time;Username=duban").Configure(builder);
        return new DubanDbContext(builder.Options);
    }
}
