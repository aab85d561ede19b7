using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class RoutingTests
{
    private static readonly (string Unit, string Title, string Content)[] History =
    [
        ("K-T", "背街小巷路灯不亮", "群众反映背街小巷多处路灯夜间不亮，老人夜归不便。"),
        ("K-T", "镇区路灯损坏", "镇区主干道路灯损坏多日，夜间行车有安全隐患。"),
        ("K-T", "村道路灯维修", "村口道路路灯不亮，请尽快维修。"),
        ("C-ZJ", "老旧小区电梯加装", "老旧小区居民申请加装电梯，审批进度缓慢。"),
        ("C-ZJ", "商品房延期交房", "开发商延期交房一年，业主要求住建部门督促。"),
        ("C-ZJ", "小区物业管理混乱", "物业公司不作为，小区电梯经常故障，住建局应监管。"),
    ];

    private static async Task CloseHistoryAsync(Storage s)
    {
        foreach (var (unit, title, content) in History)
        {
            var handler = unit == "K-T" ? s.Org.TownshipHandler : s.Org.CityDepartmentHandler;
            var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>()
                .ExecuteAsync(TestMatters.Assignment(unit) with { Title = title, Content = content }, s.Org.Supervisor));
            Task Act(Actor actor, MatterCommand command) => s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor));
            await Act(handler, new MatterCommand(MatterAction.Acknowledge));
            await Act(handler, new MatterCommand(MatterAction.Complete) { Note = "已办结" });
            await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true });
            await Act(s.Org.Supervisor, new MatterCommand(MatterAction.Close));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Suggest_WithAStoredModelOfAnUnknownFormat_AsksForARetrain_InsteadOfFailing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await CloseHistoryAsync(s);
        await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().RetrainAsync());

        // A model from a later version (format 9) in the table, as after a downgrade.
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var record = await db.TriageModels.OrderByDescending(m => m.Id).FirstAsync();
            var bytes = record.Model.ToArray();
            bytes[8] = 9;
            db.TriageModels.Add(new TriageModelRecord { TrainedAt = record.TrainedAt, Examples = record.Examples, Units = record.Units, Model = bytes });
            await db.SaveChangesAsync();
        });

        await using var other = await s.Database.ServicesAsync(s.Clock);
        await using var scope = other.CreateAsyncScope();
        var suggestion = await scope.ServiceProvider.GetRequiredService<MatterTriage>().SuggestAsync("路灯坏了\n小巷路灯晚上不亮");
        Assert.True(suggestion.Unknown);
        Assert.False(suggestion.Trained);
        Assert.Equal("分流模型版本 9 不受支持，请重新训练", suggestion.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Suggest_IsUnknownUntilTrained_AndRetrainNeedsTwoUnitsOfHistory(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var before = await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().SuggestAsync("路灯不亮"));
        Assert.Equal(new TriageSuggestion(null, null, 0, Trained: false), before);
        Assert.True(before.Unknown);
        Assert.Null(await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().StatusAsync()));

        // An open matter is no history: nothing is closed yet.
        await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        var refused = await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().RetrainAsync()));
        Assert.Contains("已办结事项不足", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Retrain_LearnsLeadUnitsFromClosedMatters_AndEveryInstanceSuggestsWithIt(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await CloseHistoryAsync(s);

        var summary = await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().RetrainAsync());
        Assert.Equal((6, 2), (summary.Examples, summary.Units));
        Assert.Empty(summary.SkippedUnits);
        var status = await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().StatusAsync());
        Assert.Equal((summary.ModelId, 6, 2, s.Clock.GetUtcNow()), (status!.ModelId, status.Examples, status.Units, status.TrainedAt));

        var lights = await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().SuggestAsync("路灯坏了\n小巷路灯晚上不亮"));
        Assert.Equal(("K-T", "测试镇"), (lights.UnitCode, lights.UnitName));
        Assert.InRange(lights.Confidence, 0.5, 1);

        // Another instance on the same database (its own model cache) suggests with the stored model; one with a
        // threshold above any confidence says 不确定.
        await using var other = await s.Database.ServicesAsync(s.Clock);
        await using (var scope = other.CreateAsyncScope())
        {
            var elevator = await scope.ServiceProvider.GetRequiredService<MatterTriage>().SuggestAsync("小区电梯故障\n物业不修电梯");
            Assert.Equal("C-ZJ", elevator.UnitCode);
        }

        await using var strict = await s.Database.ServicesAsync(s.Clock, new Dictionary<string, string?> { ["Routing:Threshold"] = "1" });
        await using (var scope = strict.CreateAsyncScope())
        {
            var unsure = await scope.ServiceProvider.GetRequiredService<MatterTriage>().SuggestAsync("路灯坏了\n小巷路灯晚上不亮");
            Assert.True(unsure.Unknown);
            Assert.InRange(unsure.Confidence, 0.5, 1);
        }

        // Retraining again keeps the newest three models only.
        for (var i = 0; i < 3; i++)
        {
            await s.RunAsync(sp => sp.GetRequiredService<MatterTriage>().RetrainAsync());
        }

        var kept = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().TriageModels.Select(m => m.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(3, kept.Count);
        Assert.Equal(summary.ModelId + 3, kept[^1]);
    }
}
