using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>Progress of a backfill: signatures written so far and the last matter id looked at.</summary>
public sealed record BackfillProgress(int Written, long LastMatterId);

/// <summary>
/// 补算相似签名: writes the <c>matter_signatures</c> row of every matter that has none (matters from before the
/// similar-cases migration, or stored by a path that skips <see cref="AssignMatter"/>), so similar-case
/// lookups find them. Pages in id order, one commit per page: stopping half-way keeps what was written, and running
/// again starts with what is still missing, so it is resumable and idempotent. The running process's index learns
/// each page at once.
/// </summary>
public sealed class SignatureBackfill(DubanDbContext db, MatterIndex index)
{
    public const int DefaultPageSize = 1000, MaxPageSize = 10_000;

    /// <summary>Backfills every missing signature, or at most <paramref name="maxPages"/> pages; returns how many were written.</summary>
    public async Task<int> RunAsync(int pageSize = DefaultPageSize, int? maxPages = null, IProgress<BackfillProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        long after = 0;
        int written = 0, conflicts = 0;
        for (var pages = 0; maxPages is null || pages < maxPages; pages++)
        {
            var page = await db.Matters.AsNoTracking()
                .Where(m => m.Id > after && !db.MatterSignatures.Any(s => s.MatterId == m.Id))
                .OrderBy(m => m.Id).Take(pageSize)
                .Select(m => new { m.Id, m.Title, m.Content })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var rows = page.Select(m => new MatterSignature { MatterId = m.Id, MinHash = MatterSignature.Compute(m.Title, m.Content) }).ToList();
            db.MatterSignatures.AddRange(rows);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                written += rows.Count;
                await index.IncludeAsync(rows.Select(r => (r.MatterId, r.MinHash)), cancellationToken);
            }
            catch (DbUpdateException) when (++conflicts <= 3)
            {
                // A matter assigned meanwhile wrote its own signature first: the page is taken again without it.
                continue;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }

            after = page[^1].Id;
            progress?.Report(new BackfillProgress(written, after));
        }

        return written;
    }
}
