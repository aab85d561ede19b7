using System.Globalization;
using System.Reflection;
using Duban.Audit;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What <see cref="AuditVerifier"/> found.</summary>
/// <param name="Records">Audit records walked.</param>
/// <param name="Anchors">Anchors compared.</param>
/// <param name="Rows">Audited rows compared with their last record.</param>
/// <param name="Files">Attachment files hashed.</param>
/// <param name="ChainBreak">The first break of the chain, or null.</param>
/// <param name="Problems">Rows and files that differ from what the trail says (the first 100), in Chinese.</param>
/// <param name="ProblemCount">All of them.</param>
public sealed record AuditReport(long Records, int Anchors, long Rows, long Files, AuditBreak? ChainBreak, IReadOnlyList<string> Problems, long ProblemCount)
{
    public bool Whole => ChainBreak is null && ProblemCount == 0;
}

/// <summary>
/// 审计核验: walks the hash chain (<see cref="AuditWalk"/>) against the anchors, then compares every audited row with
/// its last audit record (a row edited, inserted or deleted behind Duban's back differs from, lacks or outlives its
/// record) and every attachment file with its SHA-256. Reads only; streams the chain and each table.
/// </summary>
public sealed class AuditVerifier(DubanDbContext db, AuditAnchors anchors, BlobStore blobs)
{
    private const int Page = 1000, Shown = 100; // a batch record names up to 1,000 rows: pages of records stay small

    public async Task<AuditReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var pinned = anchors.Read();
        var walk = new AuditWalk(pinned);
        AuditBreak? broken = null;
        // The last record of each row: its seq and the row's hash then (null once deleted).
        var latest = new Dictionary<(string Entity, string Key), (long Seq, string? RowHash)>();
        long after = 0;
        while (broken is null)
        {
            var page = await db.AuditRecords.AsNoTracking().Where(r => r.Seq > after).OrderBy(r => r.Seq).Take(Page).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                broken = walk.End();
                break;
            }

            foreach (var record in page)
            {
                if ((broken = walk.Step(record.ToEntry())) is not null)
                {
                    break;
                }

                if (record.Action is "insert" or "update" or "delete")
                {
                    latest[(record.Entity, record.EntityKey)] = (record.Seq, record.RowHash);
                }
                else if (AuditBatch.Is(record.Action))
                {
                    // A batch record fixes each of its rows' hashes as a record of its own would (the chain covers it).
                    foreach (var (key, rowHash) in AuditBatch.Rows(record.Changes, record.RowHash) ?? [])
                    {
                        latest[(record.Entity, key)] = (record.Seq, rowHash);
                    }
                }
            }

            after = page[^1].Seq;
        }

        var problems = new List<string>();
        long problemCount = 0, rows = 0;
        void Problem(string text)
        {
            problemCount++;
            if (problems.Count < Shown)
            {
                problems.Add(text);
            }
        }

        var seen = new HashSet<(string Entity, string Key)>();
        foreach (var type in AuditTrail.AuditedTypes(db.Model))
        {
            await foreach (var row in Rows(type.Type.ClrType).WithCancellation(cancellationToken))
            {
                rows++;
                var values = type.Properties.Select(p => KeyValuePair.Create(p.Name, p.GetGetter().GetClrValueUsingContainingEntity(row))).ToList();
                var key = AuditTrail.KeyText(type, values);
                seen.Add((type.Name, key));
                if (!latest.TryGetValue((type.Name, key), out var last) || last.RowHash is null)
                {
                    Problem($"表 {type.Name} 的 {key}：没有审计记录，是在 Duban 之外插入的。");
                }
                else if (last.RowHash != AuditValues.RowHash(values))
                {
                    Problem(string.Create(CultureInfo.InvariantCulture, $"表 {type.Name} 的 {key}：内容与审计记录第 {last.Seq} 条不符，是在 Duban 之外改动的。"));
                }
            }

        }

        foreach (var ((entity, key), last) in latest)
        {
            if (last.RowHash is not null && !seen.Contains((entity, key)))
            {
                Problem(string.Create(CultureInfo.InvariantCulture, $"表 {entity} 的 {key}：审计记录第 {last.Seq} 条记其存在，库中已无此行，是在 Duban 之外删除的。"));
            }
        }

        long files = 0;
        var hashes = db.Attachments.AsNoTracking().Select(a => a.BlobSha256).Distinct().AsAsyncEnumerable();
        await foreach (var sha in hashes.WithCancellation(cancellationToken))
        {
            files++;
            var path = blobs.PathOf(sha);
            if (!File.Exists(path))
            {
                Problem($"附件文件 {sha[..12]}…：文件不存在。");
                continue;
            }

            await using var stream = blobs.OpenRead(sha);
            if (await BlobStore.HashOfAsync(stream, cancellationToken) != sha)
            {
                Problem($"附件文件 {sha[..12]}…：内容与上传时的校验值不符，文件被改动。");
            }
        }

        return new AuditReport(walk.Checked, pinned.Count, rows, files, broken, problems, problemCount);
    }

    private IAsyncEnumerable<object> Rows(Type clrType) =>
        (IAsyncEnumerable<object>)typeof(AuditVerifier).GetMethod(nameof(RowsOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(clrType).Invoke(null, [db])!;

    private static IAsyncEnumerable<object> RowsOf<T>(DubanDbContext db)
        where T : class => db.Set<T>().AsNoTracking().AsAsyncEnumerable();
}
