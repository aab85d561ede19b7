using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Cli;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Duban.Tests.Crash;

/// <summary>
/// <c>duban backup</c> and <c>duban restore</c> round trip while the real server takes appeals and attachments: everything
/// acknowledged before the backup started is in the restored copy, attachments byte for byte, and a server started on
/// the copy is ready; a restore refuses a database with data (without <c>--force</c>) and a damaged archive, touching
/// nothing. One class per engine.
/// </summary>
public abstract class BackupTests(string engine, ITestOutputHelper log)
{
    private sealed record Acked(string Key, string Content, string TrackingCode, long MatterId, DateTimeOffset At, byte[]? File, string? Sha256);

    private static async Task<(int Exit, string Out, string Err)> DubanAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }

    private static string DbArgument(TestDatabase database) =>
        database.Engine == TestDatabase.Sqlite ? database.ConnectionString["Data Source=".Length..] : database.ConnectionString;

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task BackupWhileTheServerWrites_RestoresEverythingAcknowledgedBefore_AndRefusesToOverwriteOrToUseADamagedFile()
    {
        var watch = Stopwatch.StartNew();
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var restored = await TestDatabase.CreateEmptyAsync(engine);
        var blobs = Directory.CreateTempSubdirectory("duban-backup-blobs-");
        var restoredBlobs = Directory.CreateTempSubdirectory("duban-restore-blobs-");
        var archive = Path.Combine(Path.GetTempPath(), $"duban-backup-{Guid.NewGuid():N}.zip");
        try
        {
            string supervisor, township;
            await using (var services = await database.ServicesAsync(new FakeTimeProvider(DateTimeOffset.UtcNow)))
            {
                await TestOrganisation.CreateAsync(services);
                await using var scope = services.CreateAsyncScope();
                var tokens = scope.ServiceProvider.GetRequiredService<ApiTokens>();
                supervisor = await tokens.CreateAsync("C-DC", "supervisor", "备份测试·督查室");
                township = await tokens.CreateAsync("K-T", "handler", "备份测试·镇");
            }

            var settings = ServerProcess.Settings(engine, database.ConnectionString, blobs.FullName);
            settings["Demo:Seed"] = "false";
            var acked = new ConcurrentBag<Acked>();
            List<Acked> before;
            using (var server = ServerProcess.Start(settings, ServerProcess.FreePort()))
            {
                await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
                using var stop = new CancellationTokenSource();
                var clients = Enumerable.Range(0, 3).Select(c => WriteAsync(server.BaseAddress, supervisor, township, c, acked, stop.Token)).ToList();
                var warm = Stopwatch.StartNew();
                while (acked.Count < 15 && warm.Elapsed < TimeSpan.FromSeconds(90) && !clients.Any(c => c.IsCompleted))
                {
                    await Task.Delay(100);
                }

                if (clients.FirstOrDefault(c => c.IsFaulted) is { } failed)
                {
                    await failed; // a client's refusal, with its message
                }

                Assert.True(acked.Count >= 15, $"only {acked.Count} appeals were acknowledged in 90 s:\n{server.Output}");

                var started = DateTimeOffset.UtcNow;
                before = acked.Where(a => a.At < started).ToList();
                var backup = await DubanAsync("backup", archive, "--db", DbArgument(database), "--attachments", blobs.FullName);
                var during = acked.Count - before.Count;
                await Task.Delay(300);
                await stop.CancelAsync();
                await Task.WhenAll(clients);
                Assert.True(backup.Exit == 0, backup.Err);
                Assert.StartsWith("已备份到 ", backup.Out, StringComparison.Ordinal);
                log.WriteLine($"{engine}: {before.Count} appeals acknowledged before the backup, {during} during it; {backup.Out.Trim()}");

                // Restore into a fresh database and attachments folder.
                var restore = await DubanAsync("restore", archive, "--db", DbArgument(restored), "--attachments", restoredBlobs.FullName);
                Assert.True(restore.Exit == 0, restore.Err);
                Assert.StartsWith("已恢复 ", restore.Out, StringComparison.Ordinal);

                await CheckRestoredAsync(restored, restoredBlobs.FullName, before);
                Assert.True(before.Count(a => a.File is not null) > 0, "no attachment was acknowledged before the backup: nothing tested");
                server.Kill();
            }

            // The copy runs: a server on it is ready and serves an appeal and an attachment acknowledged before the backup.
            var copy = ServerProcess.Settings(engine, restored.ConnectionString, restoredBlobs.FullName);
            copy["Demo:Seed"] = "false";
            using (var server = ServerProcess.Start(copy, ServerProcess.FreePort()))
            {
                await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
                using var client = Client(server.BaseAddress, supervisor);
                var withFile = before.First(a => a.File is not null);
                var details = await client.GetStringAsync(new Uri($"api/appeals/{withFile.TrackingCode}/details", UriKind.Relative));
                Assert.Contains(withFile.Key, details, StringComparison.Ordinal);
                var list = JsonNode.Parse(await client.GetStringAsync(new Uri($"api/matters/{withFile.MatterId}/attachments", UriKind.Relative)))!.AsArray();
                var download = await client.GetByteArrayAsync(new Uri($"api/attachments/{list[0]!["id"]!.GetValue<long>()}", UriKind.Relative));
                Assert.Equal(withFile.File, download);
                server.Kill();
            }

            // Refusals, with nothing touched: a database that holds data, and an archive with one changed byte.
            var again = await DubanAsync("restore", archive, "--db", DbArgument(restored), "--attachments", restoredBlobs.FullName);
            Assert.Equal(1, again.Exit);
            Assert.Contains("目标数据库已有数据", again.Err, StringComparison.Ordinal);
            Assert.Contains("--force", again.Err, StringComparison.Ordinal);

            var damaged = archive + ".damaged.zip";
            Tamper(archive, damaged);
            await using var empty = await TestDatabase.CreateEmptyAsync(engine);
            var refused = await DubanAsync("restore", damaged, "--db", DbArgument(empty), "--attachments", restoredBlobs.FullName, "--force");
            File.Delete(damaged);
            Assert.Equal(1, refused.Exit);
            Assert.Contains("备份文件不可用，未做任何改动", refused.Err, StringComparison.Ordinal);
            if (engine == TestDatabase.Sqlite)
            {
                Assert.False(File.Exists(DbArgument(empty)), "a refused restore created the database");
            }

            var forced = await DubanAsync("restore", archive, "--db", DbArgument(restored), "--attachments", restoredBlobs.FullName, "--force");
            Assert.True(forced.Exit == 0, forced.Err);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{engine}: {watch.Elapsed.TotalSeconds:0} s in all; {forced.Out.Trim()}"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(archive);
            blobs.Delete(recursive: true);
            restoredBlobs.Delete(recursive: true);
        }
    }

    /// <summary>Rewrites the archive with one byte of the database member changed (and everything else, the manifest
    /// included, as it was): what a bad disk or a hand edit would leave.</summary>
    private static void Tamper(string archive, string damaged)
    {
        using var source = ZipFile.OpenRead(archive);
        using var target = ZipFile.Open(damaged, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            using var read = entry.Open();
            using var buffer = new MemoryStream();
            read.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (entry.FullName.StartsWith("database.", StringComparison.Ordinal))
            {
                bytes[bytes.Length / 2] ^= 0x01;
            }

            using var write = target.CreateEntry(entry.FullName).Open();
            write.Write(bytes);
        }
    }

    /// <summary>Every appeal acknowledged before the backup started is in the copy with its content, and each of their
    /// attachments is a file with exactly the bytes uploaded.</summary>
    private static async Task CheckRestoredAsync(TestDatabase restored, string blobs, List<Acked> before)
    {
        await using var services = ServerProcess.DataServices(ServerProcess.Settings(restored.Engine, restored.ConnectionString, blobs));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var keys = before.Select(a => a.Key).ToList();
        var appeals = await db.Appeals.AsNoTracking().Include(a => a.Matter).Where(a => keys.Contains(a.IdempotencyKey!)).ToDictionaryAsync(a => a.IdempotencyKey!);
        var store = scope.ServiceProvider.GetRequiredService<BlobStore>();
        foreach (var ack in before)
        {
            Assert.True(appeals.TryGetValue(ack.Key, out var appeal), $"{ack.TrackingCode} was acknowledged before the backup but is not in the copy");
            Assert.Equal(ack.Content, appeal.Matter!.Content);
            if (ack.Sha256 is { } sha)
            {
                Assert.True(await db.Attachments.AnyAsync(a => a.MatterId == ack.MatterId), $"{ack.TrackingCode}: its attachment row is missing");
                Assert.Equal(ack.File, await File.ReadAllBytesAsync(store.PathOf(sha)));
            }
        }
    }

    /// <summary>A client registering appeals, every other one with a text attachment of its own, recording each 2xx
    /// with the instant its answer came.</summary>
    private static async Task WriteAsync(Uri address, string supervisorToken, string townshipToken, int client, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        using var supervisor = Client(address, supervisorToken);
        using var township = Client(address, townshipToken);
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"backup-{client}-{i}-{Guid.NewGuid():N}";
                var content = $"解放路 {i} 号下水道堵塞（{key}），污水外溢，请尽快疏通。";
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/appeals")
                {
                    Content = JsonContent.Create(new { title = $"备份测试诉求 {client}-{i}", content, category = "城乡建设", region = "K-T", leadUnit = "K-T", contactName = "备份测试", contactPhone = "13900001111" }),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await supervisor.SendAsync(request, stop);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var created = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))!;
                var matterId = created["matterId"]!.GetValue<long>();
                var code = created["trackingCode"]!.GetValue<string>();
                if (i % 2 == 1)
                {
                    acked.Add(new Acked(key, content, code, matterId, DateTimeOffset.UtcNow, null, null));
                    continue;
                }

                var bytes = Encoding.UTF8.GetBytes($"现场核查记录 {key}\n{new string('记', 200 + Random.Shared.Next(2000))}\n");
                using var form = AttachmentsApiTests.Files(($"核查记录-{client}-{i}.txt", bytes, "text/plain"));
                using var upload = await township.PostAsync(new Uri($"api/matters/{matterId}/attachments", UriKind.Relative), form, stop);
                Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
                acked.Add(new Acked(key, content, code, matterId, DateTimeOffset.UtcNow, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))));
            }
        }
        catch (OperationCanceledException)
        {
            // the round ends
        }
    }
}

public sealed class BackupTests_Sqlite(ITestOutputHelper log) : BackupTests(TestDatabase.Sqlite, log);

public sealed class BackupTests_Postgres(ITestOutputHelper log) : BackupTests(TestDatabase.Postgres, log);
