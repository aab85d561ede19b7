using System.Security.Cryptography;
using System.Text;
using Duban.Attachments;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class AttachmentStorageTests : IDisposable
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 整改报告\n1 0 obj << >> endobj\n%%EOF\n");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "duban-attach-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task<Storage> CreateAsync(string engine, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Attachments:Directory"] = _directory };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return Storage.CreateAsync(engine, settings: settings);
    }

    private static Task<long> AssignAsync(Storage s) =>
        s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));

    private static Task<IReadOnlyList<AttachmentView>> UploadAsync(Storage s, long matterId, Actor actor, params (string Name, byte[] Bytes)[] files) =>
        s.RunAsync(async sp =>
        {
            var attachments = sp.GetRequiredService<MatterAttachments>();
            await attachments.CheckMayAttachAsync(matterId, actor);
            var stored = new List<AttachedFile>();
            foreach (var (name, bytes) in files)
            {
                stored.Add(await attachments.StoreAsync(new MemoryStream(bytes), name, AttachmentLimits.Staff));
            }

            return await attachments.AttachAsync(matterId, stored, actor);
        });

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task SameContentTwice_IsOneBlobAndTwoAttachments_RecordedInTheHistory(string engine)
    {
        await using var s = await CreateAsync(engine);
        var id = await AssignAsync(s);

        var first = await UploadAsync(s, id, s.Org.TownshipHandler, ("整改报告.pdf", Pdf));
        var second = await UploadAsync(s, id, s.Org.Supervisor, ("C:\\材料\\报告副本.pdf", Pdf));

        var sha = Convert.ToHexStringLower(SHA256.HashData(Pdf));
        await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            Assert.Equal(1, await db.AttachmentBlobs.CountAsync());
            Assert.Equal([sha, sha], await db.Attachments.OrderBy(a => a.Id).Select(a => a.BlobSha256).ToListAsync());
        });
        Assert.True(File.Exists(Path.Combine(_directory, "blobs", sha[..2], sha[2..4], sha)));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "blobs"), ".tmp-*")); // no temporary file left behind
        Assert.Equal("报告副本.pdf", Assert.Single(second).Name); // path parts stripped
        Assert.Equal("application/pdf", first[0].ContentType);

        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, s.Org.Supervisor));
        var events = details.Events.Where(e => e.Action == MatterAction.Attach).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal("整改报告.pdf", events[0].Note);
        Assert.Equal("上传附件", events[0].ActionName);
        var audited = Assert.Single(events[0].Data.Files!);
        Assert.Equal((sha, (long)Pdf.Length), (audited.Sha256, audited.Size));
        Assert.Equal(MatterStatus.Assigned, details.Status); // files change nothing in the lifecycle
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AnotherUnit_CannotList_Download_OrAdd(string engine)
    {
        await using var s = await CreateAsync(engine);
        var id = await AssignAsync(s);
        var attachment = Assert.Single(await UploadAsync(s, id, s.Org.TownshipHandler, ("现场.pdf", Pdf)));

        // 住建局 is neither lead, co-handler nor assigner: to it the matter and its files do not exist.
        var other = s.Org.CityDepartmentHandler;
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<AttachmentOwners>().OpenAsync(attachment.Id, other)));
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<MatterAttachments>().ListAsync(id, other)));
        await Assert.ThrowsAsync<NotFoundException>(() => UploadAsync(s, id, other, ("别人的.pdf", Pdf)));

        // Nor to the village below the lead township: a handler sees its own unit's matters only.
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<AttachmentOwners>().OpenAsync(attachment.Id, s.Org.VillageHandler)));

        // The city leader oversees the subtree: may read.
        var (view, content) = await s.RunAsync(sp => sp.GetRequiredService<AttachmentOwners>().OpenAsync(attachment.Id, s.Org.CityLeader));
        await using (content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(Pdf, copy.ToArray());
        }

        Assert.Equal("现场.pdf", view.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task OversizeAndForbiddenUploads_LeaveNothingBehind(string engine)
    {
        await using var s = await CreateAsync(engine);
        var limits = new AttachmentLimits(1024, 2);
        await s.RunAsync(async sp =>
        {
            var attachments = sp.GetRequiredService<MatterAttachments>();
            var tooLarge = await Assert.ThrowsAsync<AttachmentRefusedException>(() =>
                attachments.StoreAsync(new MemoryStream([.. "%PDF-"u8, .. new byte[2000]]), "大文件.pdf", limits));
            Assert.Equal(RefusalReason.TooLarge, tooLarge.Reason);
            Assert.Contains("1 KB", tooLarge.Message, StringComparison.Ordinal);
            var forbidden = await Assert.ThrowsAsync<AttachmentRefusedException>(() =>
                attachments.StoreAsync(new MemoryStream("MZ\x90\0"u8.ToArray()), "报告.pdf", limits));
            Assert.Equal(RefusalReason.ForbiddenType, forbidden.Reason);
            Assert.Equal(0, await sp.GetRequiredService<DubanDbContext>().AttachmentBlobs.CountAsync());
        });
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task PortalAppeal_WithAFile_StoresAppealMatterAndAttachmentTogether(string engine)
    {
        await using var s = await CreateAsync(engine);
        var registered = await s.RunAsync(async sp =>
        {
            var attachments = sp.GetRequiredService<MatterAttachments>();
            var intake = sp.GetRequiredService<AppealIntake>();
            var file = await attachments.StoreAsync(new MemoryStream(Pdf), "现场照片说明.pdf", AttachmentLimits.Portal);
            var portal = await intake.PortalActorAsync();
            return await intake.RegisterAsync(AppealIntakeTests.Citizen(), new Intake(portal, MatterSource.Web) { Files = [file] });
        });

        var listed = Assert.Single(await s.RunAsync(sp => sp.GetRequiredService<MatterAttachments>().ListAsync(registered.MatterId, s.Org.Admin)));
        Assert.Equal("现场照片说明.pdf", listed.Name);
        Assert.EndsWith("（群众提交）", listed.UploadedBy, StringComparison.Ordinal);
        await s.RunAsync(async sp =>
        {
            var row = await sp.GetRequiredService<DubanDbContext>().Attachments.SingleAsync();
            Assert.Null(row.UploadedById);
            Assert.Equal(2, row.EventSequence);
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Collector_DeletesOrphansAndOldTempFiles_SparesAttachedAndRecentOnes_AndReportsMissingFiles(string engine)
    {
        await using var s = await CreateAsync(engine);
        var matter = await AssignAsync(s);
        var attached = (await UploadAsync(s, matter, s.Org.Supervisor, ("整改报告.pdf", Pdf))).Single();
        var orphanBytes = Encoding.UTF8.GetBytes("%PDF-1.4\n% 未提交的上传\n%%EOF\n");
        var orphan = await s.RunAsync(sp => sp.GetRequiredService<MatterAttachments>().StoreAsync(new MemoryStream(orphanBytes), "未提交.pdf", AttachmentLimits.Staff));
        var blobs = await s.RunAsync(sp => Task.FromResult(sp.GetRequiredService<BlobStore>()));
        var attachedSha = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Attachments.Where(a => a.Id == attached.Id).Select(a => a.BlobSha256).SingleAsync());

        // A file a crash left without its row, and two temp files of interrupted uploads; file times follow the test's clock.
        var rowlessBytes = Encoding.UTF8.GetBytes("%PDF-1.4\n% 行丢失\n%%EOF\n");
        var rowless = blobs.PathOf(Convert.ToHexStringLower(SHA256.HashData(rowlessBytes)));
        Directory.CreateDirectory(Path.GetDirectoryName(rowless)!);
        await File.WriteAllBytesAsync(rowless, rowlessBytes);
        File.SetLastWriteTimeUtc(rowless, s.Clock.GetUtcNow().UtcDateTime.AddDays(-3));
        var oldTemp = Path.Combine(_directory, "blobs", ".tmp-old");
        var newTemp = Path.Combine(_directory, "blobs", ".tmp-new");
        await File.WriteAllTextAsync(oldTemp, "x");
        await File.WriteAllTextAsync(newTemp, "x");
        File.SetLastWriteTimeUtc(oldTemp, s.Clock.GetUtcNow().UtcDateTime.AddDays(-2));
        File.SetLastWriteTimeUtc(newTemp, s.Clock.GetUtcNow().UtcDateTime);

        Task<BlobCollection> CollectAsync(bool dryRun) =>
            s.RunAsync(sp => sp.GetRequiredService<BlobCollector>().CollectAsync(TimeSpan.FromHours(24), dryRun));

        // Two hours on: the old leftovers go, the upload still waiting for its matter stays.
        s.Clock.Advance(TimeSpan.FromHours(2));
        var first = await CollectAsync(dryRun: false);
        Assert.Equal((3, 1, 1, (long)rowlessBytes.Length, 1), (first.Files, first.Orphans, first.Deleted, first.FreedBytes, first.Temps));
        Assert.Empty(first.Missing);
        Assert.False(File.Exists(rowless));
        Assert.False(File.Exists(oldTemp));
        Assert.True(File.Exists(newTemp));
        Assert.True(File.Exists(blobs.PathOf(orphan.Sha256)));

        // A day later the orphan is due; a dry run counts it and deletes nothing.
        s.Clock.Advance(TimeSpan.FromDays(1));
        var dry = await CollectAsync(dryRun: true);
        Assert.Equal((1, 0, (long)orphanBytes.Length), (dry.Orphans, dry.Deleted, dry.FreedBytes));
        Assert.True(File.Exists(blobs.PathOf(orphan.Sha256)));

        // Uploading the same content again refreshes it: spared for another day, then collected with its row.
        await s.RunAsync(sp => sp.GetRequiredService<MatterAttachments>().StoreAsync(new MemoryStream(orphanBytes), "再次上传.pdf", AttachmentLimits.Staff));
        Assert.Equal(0, (await CollectAsync(dryRun: false)).Orphans);
        s.Clock.Advance(TimeSpan.FromDays(2));
        var second = await CollectAsync(dryRun: false);
        Assert.Equal((1, 1), (second.Orphans, second.Deleted));
        Assert.False(File.Exists(blobs.PathOf(orphan.Sha256)));
        Assert.False(await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AttachmentBlobs.AnyAsync(b => b.Sha256 == orphan.Sha256)));

        // The attached file is never collected; gone from disk, it is reported and its rows are left alone.
        Assert.True(File.Exists(blobs.PathOf(attachedSha)));
        File.Delete(blobs.PathOf(attachedSha));
        var missing = await CollectAsync(dryRun: false);
        Assert.Equal([attachedSha], missing.Missing);
        Assert.Equal(0, missing.Deleted);
        Assert.True(await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AttachmentBlobs.AnyAsync(b => b.Sha256 == attachedSha)));
    }
}
