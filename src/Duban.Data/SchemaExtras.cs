using Microsoft.EntityFrameworkCore.Migrations;

namespace Duban.Data;

// The schema is the EF model, one migration per engine (Duban.Data.Sqlite, Duban.Data.Postgres). What the model
// cannot say (a trigger, an index EF cannot express, seed rows) goes here, once for both engines, and each engine's
// Initial migration calls Apply as the last line of its Up.
//
// Regenerating Initial (nothing is released yet; e.g. after renaming namespaces), from the repository root:
//   git rm -q src/Duban.Data.Sqlite/Migrations/*.cs src/Duban.Data.Postgres/Migrations/*.cs
//   dotnet tool restore
//   dotnet ef migrations add Initial --project src/Duban.Data.Sqlite --startup-project src/Duban.Data.Sqlite
//   dotnet ef migrations add Initial --project src/Duban.Data.Postgres --startup-project src/Duban.Data.Postgres
// then add, as the last line of each new Initial's Up:
//   SchemaExtras.Apply(migrationBuilder, DatabaseProvider.Sqlite);    // (Postgres in the other one)
// and run the PendingModelChanges tests (tests/Duban.Data.Tests). Neither command needs a live database.
//
// From then on, a migration is added only with a schema change and named for it
// (dotnet ef migrations add AddMatterPriority ...), for both engines.

/// <summary>Schema that the EF model cannot express, applied by each engine's Initial migration.</summary>
public static class SchemaExtras
{
    /// <summary>Applies the extras for one engine after Initial has created the model's tables.</summary>
    /// <remarks>Empty today: every table, key, index (including the partial one on enterprise_pairings) and foreign
    /// key is in the model. The squashed history's only hand-written SQL was a one-off backfill of
    /// milestones.NextEscalationAt for rows older than the sweep, which has nothing to do on a new database.</remarks>
    public static void Apply(MigrationBuilder migrationBuilder, DatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        // Nothing yet. Extras go here, branching on provider only where the SQL differs between the engines.
    }
}
