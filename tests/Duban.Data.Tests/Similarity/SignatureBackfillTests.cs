using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class SignatureBackfillTests
{
    private static async Task<long> AssignAsync(Storage s, string title) =>
        await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment() with { Title = title }, s.Org.Supervisor));

    private static Task<IReadOnlyList<SimilarMatterView>> SimilarAsync(Storage s, long id) =>
        s.RunAsync(sp => sp.GetRequiredService<SimilarMatters>().TopAsync(id, 10, s.Org.Supervisor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Backfill_WritesTheMissingSignature_SoSimilarFindsTheMatterAgain(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var old = await AssignAsync(s, "背街小巷路灯整改");
        var unrelated = await AssignAsync(s, "另一件事");
        var probe = await AssignAsync(s, "背街小巷路灯整改（二）");
        await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterSignatures.Where(x => x.MatterId == old).ExecuteDeleteAsync());

        // Without its signature the old matter is missed.
        Assert.DoesNotContain(old, (await SimilarAsync(s, probe)).Select(v => v.Id));

        var progress = new List<BackfillProgress>();
        var written = await s.RunAsync(sp => sp.GetRequiredService<SignatureBackfill>().RunAsync(pageSize: 1, progress: new Collect(progress)));

        Assert.Equal(1, written);
        Assert.Equal([new BackfillProgress(1, old)], progress);
        var found = await SimilarAsync(s, probe);
        Assert.Equal(old, found[0].Id);
        Assert.Contains(unrelated, found.Select(v => v.Id));

        // Idempotent: nothing is missing, so nothing is written.
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<SignatureBackfill>().RunAsync()));
        Assert.Equal(3, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterSignatures.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Backfill_StopsAfterMaxPages_AndTheNextRunResumesWithWhatIsStillMissing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await AssignAsync(s, $"路灯 {i}"));
        }

        await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterSignatures.ExecuteDeleteAsync());

        Assert.Equal(4, await s.RunAsync(sp => sp.GetRequiredService<SignatureBackfill>().RunAsync(pageSize: 2, maxPages: 2)));
        var progress = new List<BackfillProgress>();
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<SignatureBackfill>().RunAsync(pageSize: 2, progress: new Collect(progress))));
        Assert.Equal([new BackfillProgress(1, ids[4])], progress);
        var stored = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().MatterSignatures.AsNoTracking().OrderBy(x => x.MatterId).ToListAsync());
        Assert.Equal(ids, stored.Select(x => x.MatterId));
        Assert.All(stored, x => Assert.Equal(Duban.Similarity.MinHash.Size * sizeof(ushort), x.MinHash.Length));
    }

    private sealed class Collect(List<BackfillProgress> into) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => into.Add(value);
    }
}
