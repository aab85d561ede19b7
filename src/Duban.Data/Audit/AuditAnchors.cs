using Duban.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>
/// Where the chain's anchors go: <c>Audit:AnchorFile</c>, by default beside the SQLite file (<c>duban.audit-anchors.txt</c>
/// for <c>duban.db</c>) or <c>data/audit-anchors-DATABASE.txt</c> on PostgreSQL — one file per database. The file should live where the database's administrators cannot rewrite it —
/// another disk, a log collector, a printed daily summary — since an anchor is what tells a cut or rewritten tail.
/// </summary>
public sealed record AuditOptions(string AnchorFile, TimeSpan AnchorEvery)
{
    public static AuditOptions FromConfiguration(IConfiguration configuration, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        var file = configuration["Audit:AnchorFile"];
        if (string.IsNullOrWhiteSpace(file))
        {
            file = database.SqliteFile is { } f
                ? f == ":memory:" ? Path.Combine(Path.GetTempPath(), "duban-memory.audit-anchors.txt") : Path.ChangeExtension(Path.GetFullPath(f), ".audit-anchors.txt")
                : Path.Combine("data", "audit-anchors-" + new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database + ".txt");
        }

        var minutes = configuration.GetValue("Audit:AnchorMinutes", 60);
        if (minutes <= 0)
        {
            throw new InvalidOperationException("Audit:AnchorMinutes 须为正整数（分钟）");
        }

        return new AuditOptions(Path.GetFullPath(file), TimeSpan.FromMinutes(minutes));
    }
}

/// <summary>Writes and reads the chain's anchors (<see cref="AuditAnchor"/>), one line each, appended.</summary>
public sealed class AuditAnchors(DubanDbContext db, AuditOptions options, TimeProvider clock)
{
    /// <summary>Appends the chain head as an anchor, unless the last anchor already holds it; the anchor written, or
    /// null for an empty chain.</summary>
    public async Task<AuditAnchor?> WriteAsync(CancellationToken cancellationToken = default)
    {
        var head = await db.AuditRecords.AsNoTracking().OrderByDescending(r => r.Seq).Select(r => new { r.Seq, r.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return null;
        }

        var anchor = new AuditAnchor(head.Seq, head.Hash, clock.GetUtcNow());
        if (Read().LastOrDefault() is { } last && last.Seq == anchor.Seq && last.Hash == anchor.Hash)
        {
            return last;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(options.AnchorFile)!);
        await using (var file = new FileStream(options.AnchorFile, FileMode.Append, FileAccess.Write, FileShare.Read))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(anchor.ToLine().AsMemory(), cancellationToken);
            await writer.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        return anchor;
    }

    /// <summary>The anchors written so far (none when the file does not exist); damaged lines are skipped.</summary>
    public IReadOnlyList<AuditAnchor> Read() =>
        File.Exists(options.AnchorFile)
            ? File.ReadLines(options.AnchorFile).Select(AuditAnchor.TryParse).OfType<AuditAnchor>().ToList()
            : [];
}
