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
    private readonly HashSet<long> loaded = [];
    private readonly SimilarityIndex index = new();
    private long highest;

    /// <summary>The index with every signature saved so far; the caller reads it under <paramref name="read"/>.</summary>
    public async Task<T> ReadAsync<T>(DubanDbContext db, Func<SimilarityIndex, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var from = highest - LookBack;
            var rows = await db.MatterSignatures.AsNoTracking().Where(s => s.MatterId > from).OrderBy(s => s.MatterId)
                .Select(s => new { s.MatterId, s.MinHash }).ToListAsync(cancellationToken);
            foreach (var row in rows.Where(r => loaded.Add(r.MatterId)))
            {
                if (row.MinHash.Length > 0)
                {
                    index.Add(row.MatterId, MinHashSignature.FromBytes(row.MinHash));
                }

                highest = Math.Max(highest, row.MatterId);
            }

            return read(index);
        }
        finally
        {
            gate.Release();
        }
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
                if (loaded.Add(id) && minHash.Length > 0)
                {
                    index.Add(id, MinHashSignature.FromBytes(minHash));
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
