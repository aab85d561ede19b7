using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests;

/// <summary>
/// <c>duban seed synthetic</c>'s generator on both engines: what it writes obeys the product's own invariants (every
/// matter's events replay to its stored state, each assignment's deadlines are what the calendar gives, appeals carry
/// valid tracking codes, the audit trail verifies), the same seed gives the same data, and a database that already
/// holds an organisation is refused.
/// </summary>
public sealed class SyntheticDataTests
{
    private const int Matters = 2_000;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly Lazy<IReadOnlyList<(string Title, string Body)>> Appeals = new(() => SyntheticData.ReadAppeals(
        SyntheticData.FindSharedData(SyntheticData.AppealsFileName)
        ?? throw new FileNotFoundException("shared/data/appeals-taidi2020/hot_issue_messages.csv not found above the test folder.")));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Generated_HoldsTheLifecycleInvariants_AndVerifies(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var services = await database.ServicesAsync(new FakeTimeProvider(Now));
        var result = await GenerateAsync(services, seed: 7);
        Assert.Equal(Matters, result.Matters);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var rules = scope.ServiceProvider.GetRequiredService<Rules>();
        var lifecycle = rules.Lifecycle();
        var matters = await db.Matters.AsNoTracking().Include(m => m.CoUnits).Include(m => m.Milestones).ToListAsync();
        var events = (await db.MatterEvents.AsNoTracking().ToListAsync()).ToLookup(e => e.MatterId);
        Assert.Equal(Matters, matters.Count);
        foreach (var matter in matters)
        {
            var history = events[matter.Id].OrderBy(e => e.Sequence).Select(e => e.ToEvent()).ToList();
            Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.Sequence));
            Assert.Equal(MatterState.Replay(history), matter.ToState());

            // The assignment's deadlines are the calendar's: the lifecycle, asked again, schedules the same.
            var assigned = history[0];
            var again = lifecycle.Assign(new AssignCommand(assigned.Data.Kind!.Value, assigned.Data.AssignerUnitId!.Value, assigned.Data.LeadUnitId!.Value,
                assigned.Data.CoUnitIds ?? [], matter.Profile, assigned.Data.Complex ?? false, null), new Actor(assigned.Actor.Id, assigned.Actor.Name,
                assigned.Actor.UnitId, new HashSet<Role> { Role.Supervisor }), assigned.At);
            Assert.Equal(again.Data.Schedule, assigned.Data.Schedule);
            Assert.True(assigned.At <= Now && history.All(e => e.At <= Now), matter.Code);
            Assert.Equal(ChinaTime.DateOf(assigned.At).Year.ToString(CultureInfo.InvariantCulture), matter.Code.Split('-')[1]);
        }

        // A realistic mix: open and overdue matters, every kind, transfers, extensions and ratings.
        Assert.Contains(matters, m => m.Status == MatterStatus.Closed);
        Assert.Contains(matters, m => m.Status is MatterStatus.Assigned or MatterStatus.Acknowledged && m.NextDueAt < Now);
        Assert.Equal(3, matters.Select(m => m.Kind).Distinct().Count());
        Assert.Contains(events.SelectMany(g => g), e => e.Action == MatterAction.Transfer);
        Assert.Contains(events.SelectMany(g => g), e => e.Action == MatterAction.Extend);
        Assert.Contains(matters, m => m.Satisfaction == Satisfaction.Dissatisfied || m.DissatisfiedCount > 0);

        var appeals = await db.Appeals.AsNoTracking().ToListAsync();
        Assert.Equal(matters.Count(m => m.Kind == MatterKind.Appeal), appeals.Count);
        Assert.All(appeals, a => Assert.True(IsBareTrackingCode(a.TrackingCode), a.TrackingCode));
        Assert.Equal(appeals.Count, appeals.Select(a => a.TrackingCode).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(matters.Count(m => m.Source == MatterSource.Visit), await db.VisitProblems.CountAsync(p => p.AppealId != null));
        Assert.Equal(Matters, await db.MatterSignatures.CountAsync());
        Assert.Equal(matters.Count, (await db.CodeCounters.AsNoTracking().ToListAsync()).Sum(c => c.Last));

        var report = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
        Assert.True(report.Whole, string.Join("\n", report.Problems));
        Assert.Contains(await db.AuditRecords.AsNoTracking().Select(r => r.Action).Distinct().ToListAsync(), a => a == "生成合成数据");
        // Two staff in every unit but the office, handlers the people pickers offer.
        var staff = await db.Users.AsNoTracking().Where(u => u.UserName!.StartsWith("staff-")).ToListAsync();
        Assert.Equal(2 * 59, staff.Count);
        Assert.Equal(59, staff.Select(u => u.UnitId).Distinct().Count());
        var pickable = await new PeopleCatalog(new UnitCatalog()).GetAsync(db);
        Assert.All(staff, u => Assert.True(pickable.ById.ContainsKey(u.Id), u.UserName));
        await using (var accounts = services.CreateAsyncScope())
        {
            var actor = await accounts.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(staff[0]);
            Assert.Equal([Role.Handler], actor.Roles.ToArray());
        }

        // The office's campaigns, two a year, each tagging only matters assigned while it ran, as the product counts them.
        var campaigns = await db.Campaigns.AsNoTracking().ToListAsync();
        Assert.Equal(2 * 3, campaigns.Count); // 2024, 2025 and 2026 for two years back from 2026-12-01
        Assert.Equal(result.Campaigns, campaigns.Count);
        var tags = await db.MatterCampaigns.AsNoTracking().ToListAsync();
        Assert.Equal(result.CampaignTags, tags.Count);
        Assert.InRange(tags.Select(t => t.MatterId).Distinct().Count(), Matters / 20, Matters / 3);
        var byId = matters.ToDictionary(m => m.Id);
        Assert.All(tags, t =>
        {
            var campaign = campaigns.Single(c => c.Id == t.CampaignId);
            var assigned = ChinaTime.DateOf(byId[t.MatterId].AssignedAt);
            Assert.InRange(assigned, campaign.From, campaign.To);
        });
        await using (var reading = services.CreateAsyncScope())
        {
            var admin = new Actor("admin", "管理员", campaigns[0].OwnerUnitId, new HashSet<Role> { Role.Admin });
            var listed = await reading.ServiceProvider.GetRequiredService<Campaigns>().ListAsync(admin);
            Assert.Equal(tags.Count, listed.Sum(c => c.Matters));
        }

        // Only into an empty database: a second run is refused and changes nothing.
        await Assert.ThrowsAsync<RuleConflictException>(() => GenerateAsync(services, seed: 7));
        Assert.Equal(Matters, await db.Matters.CountAsync());
    }

    [Fact]
    public async Task SameSeed_SameData_OtherSeed_OtherData()
    {
        var first = await DigestAsync(seed: 11);
        Assert.Equal(first, await DigestAsync(seed: 11));
        Assert.NotEqual(first, await DigestAsync(seed: 12));
    }

    private static bool IsBareTrackingCode(string code) => Duban.Appeals.TrackingCode.TryParse(code, out var parsed) && parsed == code;

    private static async Task<SyntheticResult> GenerateAsync(IServiceProvider services, int seed, int matters = Matters)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyntheticData>()
            .GenerateAsync(new SyntheticOptions(matters, 60, 2, seed, Now), Appeals.Value, null, CancellationToken.None);
    }

    /// <summary>Every matter, event and appeal as text, on a fresh SQLite database.</summary>
    private static async Task<string> DigestAsync(int seed)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var services = await database.ServicesAsync(new FakeTimeProvider(Now));
        await GenerateAsync(services, seed, matters: 300);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var matters = (await db.Matters.AsNoTracking().OrderBy(m => m.Id).ToListAsync())
            .Select(m => FormattableString.Invariant($"{m.Id} {m.Code} {m.Title} {m.Content} {m.Status} {m.LeadUnitId} {m.Kind} {m.Source} {m.NextDueAt:O}"));
        var events = (await db.MatterEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync())
            .Select(e => FormattableString.Invariant($"{e.MatterId} {e.Action} {e.At:O} {e.Data} {e.Note}"));
        var appeals = (await db.Appeals.AsNoTracking().OrderBy(a => a.Id).ToListAsync())
            .Select(a => FormattableString.Invariant($"{a.MatterId} {a.TrackingCode} {a.ContactPhone} {a.Category}"));
        var visits = (await db.Visits.AsNoTracking().OrderBy(v => v.Id).ToListAsync())
            .Select(v => FormattableString.Invariant($"{v.EnterpriseId} {v.CadreId} {v.Date} {v.Content}"));
        var users = (await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
            .Select(u => FormattableString.Invariant($"{u.Id} {u.UserName} {u.DisplayName} {u.UnitId}"));
        var campaigns = (await db.Campaigns.AsNoTracking().OrderBy(c => c.Id).ToListAsync())
            .Select(c => FormattableString.Invariant($"{c.Id} {c.Name} {c.From} {c.To}"));
        var tags = (await db.MatterCampaigns.AsNoTracking().OrderBy(t => t.MatterId).ThenBy(t => t.CampaignId).ToListAsync())
            .Select(t => FormattableString.Invariant($"{t.MatterId} {t.CampaignId}"));
        return string.Join('\n', matters.Concat(events).Concat(appeals).Concat(visits).Concat(users).Concat(campaigns).Concat(tags));
    }
}
