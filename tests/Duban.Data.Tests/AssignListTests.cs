using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>从文稿交办's batch: all the drafts of a speech in one transaction, or none.</summary>
public sealed class AssignListTests
{
    private static Task<IReadOnlyList<long>> AssignAsync(Storage s, Actor actor, params NewMatter[] inputs) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignList>().ExecuteAsync(inputs, actor));

    private static Task<int> CountAsync(Storage s) => s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync());

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Batch_AllValid_AssignsEveryMatter_WithConsecutiveCodes(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00");

        var ids = await AssignAsync(s, s.Org.Supervisor,
            TestMatters.Assignment() with { Title = "健全完善机制", Source = "meeting" },
            TestMatters.Assignment("C-ZJ") with { Title = "夯实基层基础", Source = "meeting" });

        Assert.Equal(2, ids.Count);
        var codes = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.OrderBy(m => m.Id).Select(m => m.Code).ToListAsync());
        Assert.Equal(["DB-2024-000001", "DB-2024-000002"], codes);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Batch_OneRowInvalid_AssignsNothing_AndReportsEveryBadRowByIndex(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-02-08T10:00:00+08:00");

        var ex = await Assert.ThrowsAsync<ListValidationException>(() => AssignAsync(s, s.Org.Supervisor,
            TestMatters.Assignment(),
            TestMatters.Assignment() with { Goal = null },
            TestMatters.Assignment("NO-SUCH-UNIT")));

        Assert.Equal([1, 2], ex.Rows.Keys.Order());
        Assert.Equal("目标任务不能为空。", Assert.Single(ex.Rows[1]["goal"]));
        Assert.Contains("NO-SUCH-UNIT", Assert.Single(ex.Rows[2]["leadUnit"]), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(s));

        // The code counter was rolled back with the matters: the next assignment is still number 1.
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(), s.Org.Supervisor));
        var code = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.Where(m => m.Id == id).Select(m => m.Code).SingleAsync());
        Assert.Equal("DB-2024-000001", code);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Batch_ByAHandler_IsForbidden(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        await Assert.ThrowsAsync<ForbiddenException>(() => AssignAsync(s, s.Org.TownshipHandler, TestMatters.Assignment()));
        Assert.Equal(0, await CountAsync(s));
    }
}
