using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class CampaignStorageTests
{
    private static Task<CampaignView> CreateAsync(Storage s, string name, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<Campaigns>().CreateAsync(
            new NewCampaign { Name = name, From = "2024-01-01", To = "2024-06-30", Note = "清理拖欠企业账款" }, actor ?? s.Org.Supervisor));

    private static Task<long> AssignAsync(Storage s, NewMatter matter) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(matter, s.Org.Supervisor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Create_Tag_Filter_AndCount(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var arrears = await CreateAsync(s, "双拖欠专项治理");
        var civic = await CreateAsync(s, "创文");
        var a = await AssignAsync(s, TestMatters.Assignment() with { Campaigns = [arrears.Id] });
        var b = await AssignAsync(s, TestMatters.Assignment("C-ZJ") with { Campaigns = [arrears.Id, civic.Id], DueAt = "2024-02-10" });
        var c = await AssignAsync(s, TestMatters.Assignment());

        // Tagged later by the office; a handler may not.
        await s.RunAsync(sp => sp.GetRequiredService<Campaigns>().TagAsync(c, [civic.Id], s.Org.Supervisor));
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => sp.GetRequiredService<Campaigns>().TagAsync(c, [arrears.Id], s.Org.TownshipHandler)));

        var listed = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().ListAsync(new MatterFilter { Campaign = arrears.Id }, s.Org.Supervisor));
        Assert.Equal([b, a], listed.Items.Select(m => m.Id));

        // b: handled and verified late? No: b is overdue (due 2024-02-10, now 02-12); a is done on time.
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.RunAsync(async sp =>
        {
            var act = sp.GetRequiredService<ActOnMatter>();
            await act.ExecuteAsync(a, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler);
            await act.ExecuteAsync(a, new MatterCommand(MatterAction.Complete) { Note = "路灯已全部修复" }, null, s.Org.TownshipHandler);
            await act.ExecuteAsync(a, new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "复查无暗点" }, null, s.Org.Supervisor);
        });
        s.Clock.Advance(TimeSpan.FromDays(4));

        var details = await s.RunAsync(sp => sp.GetRequiredService<Campaigns>().GetAsync(arrears.Id, s.Org.Supervisor));
        Assert.Equal(new CampaignCounts(2, 1, 1, 1, 1), details.Counts);
        Assert.Equal(1.0, details.Counts.OnTimeRate);
        Assert.Equal(2, details.Matters.Total);

        var campaigns = await s.RunAsync(sp => sp.GetRequiredService<Campaigns>().ListAsync(s.Org.Supervisor));
        Assert.Equal([2, 2], campaigns.OrderBy(x => x.Id).Select(x => x.Matters));
        // Everything in view (an administrator) counts the tags alone; the township counts what it sees.
        var everything = await s.RunAsync(sp => sp.GetRequiredService<Campaigns>().ListAsync(s.Org.Admin));
        Assert.Equal([2, 2], everything.OrderBy(x => x.Id).Select(x => x.Matters));
        var mine = await s.RunAsync(sp => sp.GetRequiredService<Campaigns>().ListAsync(s.Org.TownshipHandler));
        Assert.Equal(1, mine.Single(x => x.Id == arrears.Id).Matters);

        // The township sees only its own matter in the counts.
        var township = await s.RunAsync(sp => sp.GetRequiredService<Campaigns>().CountsAsync(arrears.Id, s.Org.TownshipHandler));
        Assert.Equal(1, township.Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Review_CountsOnlyTheCampaignsMatters_WithTheReviewsMetrics(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var campaign = await CreateAsync(s, "创文");
        var tagged = await AssignAsync(s, TestMatters.Assignment() with { Campaigns = [campaign.Id] });
        var late = await AssignAsync(s, TestMatters.Assignment() with { Campaigns = [campaign.Id] });
        var untagged = await AssignAsync(s, TestMatters.Assignment());
        await s.RunAsync(async sp =>
        {
            var act = sp.GetRequiredService<ActOnMatter>();
            await act.ExecuteAsync(tagged, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler);
            await act.ExecuteAsync(untagged, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler);
        });
        s.Clock.Advance(TimeSpan.FromDays(3)); // past the acknowledgement deadline of the third
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(late, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));

        var review = await s.RunAsync(sp => sp.GetRequiredService<CampaignReviews>().GetAsync(campaign.Id,
            Duban.Reviews.ReviewPeriod.ParseMonth("2024-02", new DateOnly(2024, 2, 12)), s.Org.Supervisor));
        var row = Assert.Single(review.Rows);
        Assert.Equal("K-T", row.Unit.Code);
        Assert.Equal(2, row.Metrics.Value(Duban.Reviews.Metric.Assigned));
        Assert.Equal(0.5, row.Metrics.Value(Duban.Reviews.Metric.OnTimeAcknowledgeRate));

        // Nothing of the campaign was assigned in March.
        var whole = await s.RunAsync(sp => sp.GetRequiredService<CampaignReviews>().GetAsync(campaign.Id,
            Duban.Reviews.ReviewPeriod.ParseMonth("2024-03", new DateOnly(2024, 4, 1)), s.Org.Supervisor));
        Assert.DoesNotContain(whole.Rows, r => r.Metrics.Value(Duban.Reviews.Metric.Assigned) > 0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadInput_Is400_Or403_AndStoresNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await CreateAsync(s, "创文");
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => sp.GetRequiredService<Campaigns>().CreateAsync(
            new NewCampaign { Name = "创文", From = "2024-06-01", To = "2024-01-01" }, s.Org.Supervisor)));
        Assert.Equal(["name", "to"], ex.Errors.Keys.Order());
        ex = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => sp.GetRequiredService<Campaigns>().CreateAsync(
            new NewCampaign { Name = " ", From = "2024/06/01" }, s.Org.Supervisor)));
        Assert.Equal(["from", "name", "to"], ex.Errors.Keys.Order());
        await Assert.ThrowsAsync<ForbiddenException>(() => CreateAsync(s, "其他", s.Org.TownshipHandler));

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => AssignAsync(s, TestMatters.Assignment() with { Campaigns = [12345] }));
        Assert.Contains("12345", bad.Errors["campaigns"][0], StringComparison.Ordinal);
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Matters.CountAsync()));
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Campaigns.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Edit_KeepsItsMatters_Delete_OnlyWhenEmpty(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var arrears = await CreateAsync(s, "双拖欠专项治理");
        var civic = await CreateAsync(s, "创文");
        var a = await AssignAsync(s, TestMatters.Assignment() with { Campaigns = [arrears.Id] });
        Campaigns Of(IServiceProvider sp) => sp.GetRequiredService<Campaigns>();

        var renamed = await s.RunAsync(sp => Of(sp).UpdateAsync(arrears.Id,
            new NewCampaign { Name = "清理拖欠企业账款专项行动", From = "2024-01-01", To = "2024-12-31" }, s.Org.Supervisor));
        Assert.Equal(("清理拖欠企业账款专项行动", new DateOnly(2024, 12, 31), (string?)null, 1), (renamed.Name, renamed.To, renamed.Note, renamed.Matters));
        Assert.Equal([renamed.Name], (await s.RunAsync(sp => Of(sp).ForMatterAsync(a, s.Org.Supervisor))).Select(c => c.Name));

        // Another campaign's name, dates out of order, a handler, an unknown id: refused, nothing changed.
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => Of(sp).UpdateAsync(arrears.Id,
            new NewCampaign { Name = "创文", From = "2024-06-01", To = "2024-01-01" }, s.Org.Supervisor)));
        Assert.Equal(["name", "to"], bad.Errors.Keys.Order());
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => Of(sp).UpdateAsync(arrears.Id,
            new NewCampaign { Name = "改名", From = "2024-01-01", To = "2024-12-31" }, s.Org.TownshipHandler)));
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => Of(sp).DeleteAsync(98765, s.Org.Supervisor)));

        // A campaign holding a matter cannot go; an empty one can.
        var conflict = await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => Of(sp).DeleteAsync(arrears.Id, s.Org.Supervisor)));
        Assert.Contains("1 件事项", conflict.Message, StringComparison.Ordinal);
        await s.RunAsync(sp => Of(sp).DeleteAsync(civic.Id, s.Org.Supervisor));
        Assert.Equal([renamed.Name], (await s.RunAsync(sp => Of(sp).ListAsync(s.Org.Supervisor))).Select(c => c.Name));
    }
}
