using System.Text;
using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>Files of a 自评申报 (competition entry) and of a 进度填报 (target report), as stored on both engines: attached,
/// listed, read only by their owner's readers (404 for another unit), added only while the owner may change (409 after),
/// and spared by the blob collection while an orphan beside them is collected.</summary>
public sealed class AttachmentOwnersStorageTests : IDisposable
{
    private const string Townships = "乡镇（街道）";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% entry\n1 0 obj << >> endobj\n%%EOF\n");
    private static readonly byte[] Photo = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 1, 2, 3];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "duban-owner-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task<Storage> CreateAsync(string engine) =>
        Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00", new Dictionary<string, string?> { ["Attachments:Directory"] = _directory });

    private static Task<AttachedFile> StoreAsync(Storage s, string name, byte[] bytes) =>
        s.RunAsync(sp => sp.GetRequiredService<AttachmentOwners>().StoreAsync(new MemoryStream(bytes), name, AttachmentLimits.Staff));

    private static Task<T> Owners<T>(Storage s, Func<AttachmentOwners, Task<T>> work) => s.RunAsync(sp => work(sp.GetRequiredService<AttachmentOwners>()));

    private static Task Owners(Storage s, Func<AttachmentOwners, Task> work) => s.RunAsync(sp => work(sp.GetRequiredService<AttachmentOwners>()));

    private static async Task<byte[]> ReadAsync(Storage s, long id, Actor actor)
    {
        var (_, content) = await Owners(s, o => o.OpenAsync(id, actor));
        await using (content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    /// <summary>A one-stage competition of the townships (March 2024) with the town's entry carrying a PDF.</summary>
    private static async Task<(long Competition, long Entry)> EntryWithFileAsync(Storage s)
    {
        var scheme = await s.RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(new SchemeInput
        {
            Name = "乡镇月度考评", Group = Townships, Period = "month", From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31),
            Components = [new("onTimeCompleteRate", 0.5), new("satisfactionRate", 0.5)],
        }, s.Org.Supervisor));
        var competition = await s.RunAsync(sp => sp.GetRequiredService<AssessmentCompetitions>().CreateAsync(
            new CompetitionInput("三月比拼", Townships, [new("2024-03", "三月", 1.0, scheme)], [new("一等奖", 1)], 3), s.Org.Supervisor));
        var file = await StoreAsync(s, "三月工作总结.pdf", Pdf);
        var entry = await s.RunAsync(sp => sp.GetRequiredService<AssessmentCompetitions>().EnterAsync(competition, "2024-03", "三月按期办结全部事项。", [file],
            s.Org.TownshipHandler));
        return (competition, entry);
    }

    /// <summary>「1441」of March 2024: 签约 reported by hand, goals for the town and the housing bureau.</summary>
    private static async Task<(long Set, long TownGoal)> TargetsAsync(Storage s)
    {
        var saved = await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().SaveAsync(new TargetSetInput("1441", "2024-03", [new("签约", "个", "手工填报")],
            [new("签约", "K-T", null, 10), new("签约", "测试市住建局", null, 5)]), s.Org.Supervisor));
        var board = await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ProgressAsync(saved.SetId!.Value, s.Org.Supervisor));
        return (saved.SetId!.Value, board.Rows.Single(r => r.Owner.Name == "测试镇").GoalId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task EntryFiles_AreReadByTheUnitTheOfficeAndLeaders_AddedOnlyBeforeShortlisting(string engine)
    {
        await using var s = await CreateAsync(engine);
        var (competition, entry) = await EntryWithFileAsync(s);
        var owner = AttachmentOwner.Entry(entry);

        // Listed with the entry for those who read it in full, and downloadable by them.
        var listed = Assert.Single(await Owners(s, o => o.ListAsync(owner, s.Org.TownshipHandler)));
        Assert.Equal(("三月工作总结.pdf", "application/pdf", (long?)null), (listed.Name, listed.ContentType, listed.MatterId));
        Assert.Equal($"/api/attachments/{listed.Id}", listed.Download);
        foreach (var reader in new[] { s.Org.TownshipHandler, s.Org.Supervisor, s.Org.CityLeader })
        {
            var view = await s.RunAsync(sp => sp.GetRequiredService<AssessmentCompetitions>().GetAsync(competition, reader));
            Assert.Equal(listed.Id, Assert.Single(Assert.Single(view.Entries).Files).Id);
            Assert.Equal(Pdf, await ReadAsync(s, listed.Id, reader));
        }

        // Another unit gets what a file that does not exist gets.
        foreach (var stranger in new[] { s.Org.CityDepartmentHandler, s.Org.VillageHandler })
        {
            var missing = await Assert.ThrowsAsync<NotFoundException>(() => Owners(s, o => o.OpenAsync(listed.Id, stranger)));
            Assert.Equal($"附件 {listed.Id} 不存在。", missing.Message);
            await Assert.ThrowsAsync<NotFoundException>(() => Owners(s, o => o.ListAsync(owner, stranger)));
            await Assert.ThrowsAsync<NotFoundException>(() => Owners(s, o => o.CheckMayAttachAsync(owner, stranger)));
        }

        // The unit adds more before the office decides; the office reads but does not add.
        var photo = await StoreAsync(s, "现场.png", Photo);
        var added = Assert.Single(await Owners(s, o => o.AttachAsync(owner, [photo], s.Org.TownshipHandler)));
        Assert.Equal(["三月工作总结.pdf", "现场.png"], (await Owners(s, o => o.ListAsync(owner, s.Org.Supervisor))).Select(f => f.Name));
        Assert.Equal("image/png", added.ContentType);
        await Assert.ThrowsAsync<ForbiddenException>(() => Owners(s, o => o.CheckMayAttachAsync(owner, s.Org.Supervisor)));

        // 入围 fixes the material: 409 with the reason, and nothing is added.
        await s.RunAsync(sp => sp.GetRequiredService<AssessmentCompetitions>().DecideAsync(entry, true, null, s.Org.Supervisor));
        var late = await Assert.ThrowsAsync<RuleConflictException>(() => Owners(s, o => o.AttachAsync(owner, [photo], s.Org.TownshipHandler)));
        Assert.Equal("该申报已入围，申报材料已经确定，不能再上传附件。", late.Message);
        Assert.False(await Owners(s, o => o.MayAttachAsync(owner, s.Org.TownshipHandler)));
        Assert.Equal(2, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Attachments.CountAsync(a => a.EntryId == entry)));

        // Another unit's shortlisted entry shows, but neither its text nor its files.
        var housing = await s.RunAsync(sp => sp.GetRequiredService<AssessmentCompetitions>().GetAsync(competition, s.Org.CityDepartmentHandler));
        var seen = Assert.Single(housing.Entries);
        Assert.Equal(("", 0), (seen.Text, seen.Files.Count));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ReportFiles_AreReadByTheUnitAndTheOffice_AddedOnlyWhilePendingAndTheReportingIsOpen(string engine)
    {
        await using var s = await CreateAsync(engine);
        var (set, goal) = await TargetsAsync(s);
        var contract = await StoreAsync(s, "签约合同.pdf", Pdf);
        var report = await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportAsync(goal, 2, "签约 2 个，附合同。", [contract], s.Org.TownshipHandler));
        var file = Assert.Single(report.Files);
        Assert.Equal("签约合同.pdf", file.Name);
        Assert.Equal(file.Id, Assert.Single(Assert.Single(await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportsAsync(set, s.Org.Supervisor))).Files).Id);
        Assert.Equal(Pdf, await ReadAsync(s, file.Id, s.Org.TownshipHandler));
        Assert.Equal(Pdf, await ReadAsync(s, file.Id, s.Org.Supervisor));
        await Assert.ThrowsAsync<NotFoundException>(() => Owners(s, o => o.OpenAsync(file.Id, s.Org.CityDepartmentHandler)));
        await Assert.ThrowsAsync<NotFoundException>(() => Owners(s, o => o.CheckMayAttachAsync(AttachmentOwner.TargetReport(report.Id), s.Org.CityDepartmentHandler)));
        Assert.Empty(await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportsAsync(set, s.Org.CityDepartmentHandler)));

        // More evidence while pending; none once the office decided.
        var owner = AttachmentOwner.TargetReport(report.Id);
        await Owners(s, o => o.AttachAsync(owner, [contract], s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().DecideAsync(report.Id, true, null, s.Org.Supervisor));
        var decided = await Assert.ThrowsAsync<RuleConflictException>(() => Owners(s, o => o.AttachAsync(owner, [contract], s.Org.TownshipHandler)));
        Assert.Equal("这条填报已确认，不能再上传附件。", decided.Message);
        Assert.Equal(2, (await Owners(s, o => o.ListAsync(owner, s.Org.TownshipHandler))).Count);

        // A pending report whose reporting closed (10 days after March) takes no more files either.
        var pending = await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportAsync(goal, 1, "补报 1 个。", s.Org.TownshipHandler));
        s.Clock.Advance(TimeSpan.FromDays(22));
        var closed = await Assert.ThrowsAsync<RuleConflictException>(() => Owners(s, o => o.CheckMayAttachAsync(AttachmentOwner.TargetReport(pending.Id), s.Org.TownshipHandler)));
        Assert.Contains("现已停止", closed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Collector_SparesTheFilesOfEntriesAndReports_AndStillCollectsAnOrphan(string engine)
    {
        await using var s = await CreateAsync(engine);
        var (_, entry) = await EntryWithFileAsync(s);
        var (_, goal) = await TargetsAsync(s);
        var evidence = await StoreAsync(s, "现场.png", Photo);
        await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportAsync(goal, 1, "签约 1 个。", [evidence], s.Org.TownshipHandler));
        var orphan = await StoreAsync(s, "未提交.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n% never attached\n%%EOF\n"));
        var blobs = await s.RunAsync(sp => Task.FromResult(sp.GetRequiredService<BlobStore>()));
        var entrySha = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Attachments.Where(a => a.EntryId == entry).Select(a => a.BlobSha256).SingleAsync());

        s.Clock.Advance(TimeSpan.FromDays(2));
        var collected = await s.RunAsync(sp => sp.GetRequiredService<BlobCollector>().CollectAsync(TimeSpan.FromHours(24), dryRun: false));

        Assert.Equal((3, 1, 1), (collected.Files, collected.Orphans, collected.Deleted));
        Assert.Empty(collected.Missing);
        Assert.True(File.Exists(blobs.PathOf(entrySha)));
        Assert.True(File.Exists(blobs.PathOf(evidence.Sha256)));
        Assert.False(File.Exists(blobs.PathOf(orphan.Sha256)));
        Assert.Equal(2, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AttachmentBlobs.CountAsync()));
    }
}
