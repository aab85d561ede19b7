using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What one collection found and did.</summary>
/// <param name="Files">Blob files looked at.</param>
/// <param name="Orphans">Blobs no attachment refers to, stored before the cut-off: an upload whose matter was never
/// written (a refused or failed request), or a file left without its row by a crash.</param>
/// <param name="Deleted">Of those, deleted with their files (0 on a dry run).</param>
/// <param name="FreedBytes">The deleted (or, on a dry run, deletable) files' bytes.</param>
/// <param name="Temps">Uploads' temp files older than the cut-off, deleted (on a dry run, only counted).</param>
/// <param name="Missing">Blobs that attachments refer to whose file is not on disk (the blobs folder was not restored
/// with the database, say): reported, never touched.</param>
public sealed record BlobCollection(int Files, int Orphans, int Deleted, long FreedBytes, int Temps, IReadOnlyList<string> Missing)
{
    public override string ToString() => FormattableString.Invariant(
        $"files={Files} orphans={Orphans} deleted={Deleted} freed_bytes={FreedBytes} temps={Temps} missing={Missing.Count}");
}

/// <summary>
/// Deletes what uploads leave behind (<c>duban attachments gc</c>): blobs no attachment refers to, and temp files of
/// interrupted uploads, once older than the cut-off, so that an upload whose matter is still being written is spared.
/// A rowless blob file is first given a row dated by its file, so that every deletion goes one way: the row and the
/// file together, in a write transaction, and only while no attachment refers to the blob and it was not uploaded
/// since the cut-off. An upload records its row before it puts its file (<see cref="BlobStore.SaveAsync"/>), so it
/// either refreshes the row first (and the blob is spared) or finds the file gone and puts its own.
/// </summary>
public sealed class BlobCollector(DubanDbContext db, BlobStore blobs, TimeProvider clock)
{
    /// <summary>Rows deleted per query of candidates.</summary>
    private const int Batch = 500;

    public async Task<BlobCollection> CollectAsync(TimeSpan minimumAge, bool dryRun, CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - minimumAge;
        int files = 0, temps = 0;
        var onDisk = new Dictionary<string, (long Size, DateTime WrittenAt)>(StringComparer.Ordinal);
        var rowless = new List<(string Sha256, long Size, DateTime WrittenAt)>();
        foreach (var (path, sha, size, writtenAt) in blobs.Files())
        {
            if (BlobStore.IsTemp(path))
            {
                if (writtenAt < cutoff.UtcDateTime)
                {
                    temps++;
                    if (!dryRun)
                    {
                        File.Delete(path);
                    }
                }

                continue;
            }

            if (sha is null)
            {
                continue; // not ours
            }

            files++;
            onDisk[sha] = (size, writtenAt);
        }

        var known = await KnownAsync(onDisk.Keys, cancellationToken);
        foreach (var (sha, (size, writtenAt)) in onDisk.Where(f => !known.Contains(f.Key)))
        {
            if (writtenAt < cutoff.UtcDateTime)
            {
                rowless.Add((sha, size, writtenAt));
            }
        }

        if (!dryRun)
        {
            foreach (var (sha, size, writtenAt) in rowless)
            {
                // Dated by its file: older than the cut-off, so the pass below deletes it unless an upload refreshes it first.
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    INSERT INTO attachment_blobs ("Sha256", "Size", "ContentType", "StoredAt") VALUES ({sha}, {size}, {"application/octet-stream"}, {writtenAt})
                    ON CONFLICT ("Sha256") DO NOTHING
                    """, cancellationToken);
            }
        }

        // A dry run inserted no rows for the rowless files, so they are counted here; otherwise the pass below meets them.
        var orphans = dryRun ? rowless.Count : 0;
        var freed = dryRun ? rowless.Sum(r => r.Size) : 0;
        var deleted = 0;
        var after = ""; // keyset, so each candidate is looked at once
        while (true)
        {
            var from = after;
            var page = await Orphaned(cutoff).Where(b => b.Sha256.CompareTo(from) > 0).OrderBy(b => b.Sha256)
                .Select(b => new { b.Sha256, b.Size }).Take(Batch).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Sha256;
            foreach (var blob in page)
            {
                orphans++;
                if (dryRun)
                {
                    freed += onDisk.GetValueOrDefault(blob.Sha256).Size;
                    continue;
                }

                if (await DeleteAsync(blob.Sha256, cutoff, cancellationToken) is { } bytes)
                {
                    deleted++;
                    freed += bytes;
                }
            }
        }

        var missing = new List<string>();
        after = "";
        while (true)
        {
            var from = after;
            var page = await db.Attachments.AsNoTracking().Where(a => a.BlobSha256.CompareTo(from) > 0)
                .Select(a => a.BlobSha256).Distinct().OrderBy(h => h).Take(Batch).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1];
            missing.AddRange(page.Where(h => !onDisk.ContainsKey(h)));
        }

        return new BlobCollection(files, orphans, deleted, freed, temps, missing);
    }

    /// <summary>Deletes the blob's row and then its file in one write transaction, if it is still an orphan older than
    /// the cut-off; the file's bytes, or null when an attachment or a new upload claimed it meanwhile. A file that
    /// cannot be deleted rolls the row back.</summary>
    private async Task<long?> DeleteAsync(string sha256, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await Orphaned(cutoff).Where(b => b.Sha256 == sha256).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return null;
        }

        var file = new FileInfo(blobs.PathOf(sha256));
        var bytes = file.Exists ? file.Length : 0;
        file.Delete();
        await transaction.CommitAsync(cancellationToken);
        return bytes;
    }

    /// <summary>Blobs stored before the cut-off that no attachment refers to: of a matter, a competition entry or a target
    /// report alike, since all are rows of the one attachments table.</summary>
    private IQueryable<AttachmentBlob> Orphaned(DateTimeOffset cutoff) =>
        db.AttachmentBlobs.Where(b => b.StoredAt < cutoff && !db.Attachments.Any(a => a.BlobSha256 == b.Sha256));

    private async Task<HashSet<string>> KnownAsync(IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in hashes.Chunk(Batch))
        {
            known.UnionWith(await db.AttachmentBlobs.AsNoTracking().Where(b => chunk.Contains(b.Sha256)).Select(b => b.Sha256).ToListAsync(cancellationToken));
        }

        return known;
    }
}
