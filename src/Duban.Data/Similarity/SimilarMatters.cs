using Duban.Matters;
using Duban.Similarity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A similar matter as shown: exact Jaccard score on title and content.</summary>
public sealed record SimilarMatterView(long Id, string Code, string Title, MatterStatus Status, string StatusName, UnitRef LeadUnit, double Score);

/// <summary>
/// The MinHash index of every matter in this process, filled from <c>matter_signatures</c> (the database is the
/// source of truth; each web instance keeps its own copy) and topped up with newer rows before each query.
/// </summary>
public sealed class MatterIndex
{
    /// <summary>Rows committed out of id order (concurrent assignments) are caught by looking back this far.</summary>
    private const long LookBack = 1000;

    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Ids added that the look-back still reaches (or added out of order before the first fill): a
    /// million-long set of every id held 40 MB for nothing.</summary>
    private readonly HashSet<long> loaded = [];
    private SimilarityIndex index = new();
    private bool filled;
    private long highest;

    /// <summary>The index with every signature saved so far; the caller reads it under <paramref name="read"/>.</summary>
    public async Task<T> ReadAsync<T>(DubanDbContext db, Func<SimilarityIndex, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!filled)
            {
                await FillAsync(db, cancellationToken);
            }
            else
            {
                // Each read asks only for the ids the look-back reaches (an index of integers), and the signatures of
                // those not yet held: the thousand newest signatures were read again for every matter page.
                var from = highest - LookBack;
                var recent = await db.MatterSignatures.AsNoTracking().Where(s => s.MatterId > from).Select(s => s.MatterId)
                    .ToListAsync(cancellationToken);
                var missing = recent.Where(id => !loaded.Contains(id)).ToList();
                if (missing.Count > 0)
                {
                    var rows = await db.MatterSignatures.AsNoTracking().Where(s => missing.Contains(s.MatterId)).OrderBy(s => s.MatterId)
                        .Select(s => new { s.MatterId, s.MinHash }).ToListAsync(cancellationToken);
                    foreach (var row in rows)
                    {
                        Add(row.MatterId, row.MinHash);
                    }

                    Forget();
                }
            }

            return read(index);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The first read: every signature, streamed into an index sized for them (a list of a million rows and
    /// the index doubling past them were most of the server's memory at a million matters).</summary>
    private async Task FillAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        var count = await db.MatterSignatures.CountAsync(cancellationToken);
        index = new SimilarityIndex(count + count / 16 + 1024);
        await foreach (var row in db.MatterSignatures.AsNoTracking().OrderBy(s => s.MatterId).Select(s => new { s.MatterId, s.MinHash })
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            Add(row.MatterId, row.MinHash);
        }

        filled = true;
        Forget();
    }

    private void Add(long id, byte[] minHash)
    {
        if (loaded.Add(id))
        {
            if (minHash.Length > 0)
            {
                index.Add(id, MinHashSignature.FromBytes(minHash));
            }

            highest = Math.Max(highest, id);
        }
    }

    /// <summary>Drops the ids the look-back no longer reaches from the set that keeps them from being added twice.</summary>
    private void Forget()
    {
        var from = highest - LookBack;
        loaded.RemoveWhere(id => id <= from);
        loaded.TrimExcess();
    }

    /// <summary>Adds signatures written out of id order (a backfill of old matters), which the look-back would miss.</summary>
    public async Task IncludeAsync(IEnumerable<(long MatterId, byte[] MinHash)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (id, minHash) in rows)
            {
                // Below the look-back after the first fill, an id is never read again; before it, the set stops the
                // fill adding it twice.
                if ((filled && id <= highest - LookBack) || loaded.Add(id))
                {
                    if (minHash.Length > 0)
                    {
                        index.Add(id, MinHashSignature.FromBytes(minHash));
                    }
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>Similar matters (相似案件) that the reader may see.</summary>
public sealed class SimilarMatters(DubanDbContext db, MatterIndex matterIndex)
{
    /// <summary>Neighbours by estimate looked at per request: the reader's visibility is applied to these.</summary>
    private const int Candidates = 200;

    public const int MaxTop = 50;

    /// <summary>
    /// The exact Jaccard (character bigrams of title and content) from which two matters are probably the same problem:
    /// the matter page lists only these, and 交办 warns before creating one. Measured on the shared real appeals
    /// (docs/SIMILAR.md): 86.5 % of the 133 pairs sharing a title reach it; half of all appeals have no other one
    /// (of another title) above 0.074, the 1–7 % "matches" that meant nothing.
    /// </summary>
    public const double Threshold = 0.3;

    /// <exception cref="NotFoundException">No such matter, or the reader may not see it.</exception>
    /// <param name="matterId">The matter.</param>
    /// <param name="top">At most this many.</param>
    /// <param name="actor">Who reads.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="minScore">Only those at least this similar (the API's list: any above 0; the page: <see cref="Threshold"/>).</param>
    public async Task<IReadOnlyList<SimilarMatterView>> TopAsync(long matterId, int top, Actor actor, CancellationToken cancellationToken = default,
        double minScore = 0)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var matter = await visible.AsNoTracking().Where(m => m.Id == matterId).Select(m => new { m.Title, m.Content })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"事项 {matterId} 不存在。");
        return await LikeAsync(visible, MatterSignature.TextOf(matter.Title, matter.Content), matterId, top, minScore, cancellationToken);
    }

    /// <summary>Open matters (not yet verified) the reader may see that a new matter's title and content probably
    /// repeat (at least <see cref="Threshold"/>), most similar first: 交办 warns before creating a duplicate.</summary>
    public async Task<IReadOnlyList<SimilarMatterView>> OpenDuplicatesAsync(string? title, string? content, Actor actor, int top = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(content))
        {
            return [];
        }

        var open = (await VisibleMatters.QueryAsync(db, actor, cancellationToken))
            .Where(m => m.Status == MatterStatus.Assigned || m.Status == MatterStatus.Returned || m.Status == MatterStatus.Acknowledged
                || m.Status == MatterStatus.Reported);
        return await LikeAsync(open, MatterSignature.TextOf(title ?? "", content ?? ""), null, top, Threshold, cancellationToken);
    }

    /// <summary>The candidates by MinHash estimate among all matters, kept if <paramref name="among"/> holds them, then
    /// scored by exact Jaccard.</summary>
    private async Task<IReadOnlyList<SimilarMatterView>> LikeAsync(IQueryable<Matter> among, string text, long? exclude, int top, double minScore,
        CancellationToken cancellationToken)
    {
        var shingles = ShingleSet.FromText(text);
        if (MinHash.Of(shingles) is not { } signature)
        {
            return [];
        }

        var candidates = await matterIndex.ReadAsync(db, index => index.TopSimilar(signature, Candidates, exclude: exclude), cancellationToken);
        var ids = candidates.Select(c => c.Id).ToList();
        var rows = await among.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Code, m.Title, m.Content, m.Status, LeadUnit = m.LeadUnit! })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new SimilarMatterView(r.Id, r.Code, r.Title, r.Status, Labels.Of(r.Status), ViewMapping.Ref(r.LeadUnit),
                Math.Round(ShingleSet.Jaccard(shingles, ShingleSet.FromText(MatterSignature.TextOf(r.Title, r.Content))), 4)))
            .Where(v => v.Score > 0 && v.Score >= minScore)
            .OrderByDescending(v => v.Score).ThenBy(v => v.Id)
            .Take(top)
            .ToList();
    }
}
