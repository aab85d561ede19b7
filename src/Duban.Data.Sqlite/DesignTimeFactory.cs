using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Duban.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider; never used at run time.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DubanDbContext>
{
    public DubanDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<DubanDbContext>();
        new DatabaseOptions(DatabaseProvider.Sqlite, "Data Source=design-time.db").Configure(builder);
        return new DubanDbContext(builder.Options);
    }
}
