using System.CommandLine;
using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Duban.Attachments;
using Duban.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Duban.Cli;

/// <summary>
/// <c>duban backup FILE</c> and <c>duban restore FILE</c> (备份与恢复): one zip holding the database (SQLite's online backup,
/// or PostgreSQL's <c>pg_dump</c> in its custom format), the attachments' <c>blobs</c> and a manifest (engine, schema
/// migration, time, row counts, the SHA-256 of every member). Backup runs beside a working server; restore checks every
/// hash before it touches anything and refuses a database that holds data unless <c>--force</c>.
/// </summary>
internal sealed class BackupCommand(CliContext cli)
{
    /// <summary>The manifest's format name; a restore refuses any other.</summary>
    public const string Format = "duban-backup/1";

    private const string ManifestName = "manifest.json", SqliteMember = "database.sqlite", PostgresMember = "database.pgdump", BlobsPrefix = "blobs/";

    private readonly Argument<FileInfo> _file = new("FILE") { Description = "备份文件（.zip）" };
    private readonly Option<bool> _force = new("--force") { Description = "覆盖已有数据（备份：覆盖已有的备份文件；恢复：清空目标数据库）" };
    private readonly Option<string?> _attachments = new("--attachments") { Description = "附件目录（默认取配置 Attachments:Directory）", HelpName = "目录" };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public Command Backup()
    {
        var command = new Command("backup", "备份数据库和附件到一个文件（服务运行中也可备份）") { _file, _force, _attachments };
        command.SetAction(BackupAsync);
        return command;
    }

    public Command Restore()
    {
        var command = new Command("restore", "从备份文件恢复数据库和附件（先校验备份文件；目标库已有数据时须加 --force）") { _file, _force, _attachments };
        command.SetAction(RestoreAsync);
        return command;
    }

    /// <summary>What a backup holds, as the manifest says.</summary>
    internal sealed record Manifest(string Format, string Engine, string? Migration, DateTimeOffset CreatedAt, Counts Counts, IReadOnlyList<Member> Members,
        IReadOnlyList<string> MissingBlobs);

    /// <summary>Rows of the main tables, counted in the same snapshot as the copy.</summary>
    internal sealed record Counts(int Units, int Users, int Matters, int Events, int Appeals, int Attachments)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"单位 {Units} 个，用户 {Users} 个，事项 {Matters} 件（记录 {Events} 条），诉求 {Appeals} 件，附件 {Attachments} 个");
    }

    internal sealed record Member(string Name, long Size, string Sha256);

    private static (DatabaseOptions Database, string Attachments) Target(ParseResult result, string? attachments)
    {
        var configuration = CliContext.Configuration(result);
        var database = DatabaseOptions.From(configuration);
        return (database, attachments is { Length: > 0 } given ? Path.GetFullPath(given) : AttachmentOptions.FromConfiguration(configuration, database).Directory);
    }

    private static DubanDbContext Context(DatabaseOptions database)
    {
        var builder = new DbContextOptionsBuilder<DubanDbContext>();
        database.Configure(builder);
        return new DubanDbContext(builder.Options);
    }

    private static async Task<Counts> CountAsync(DubanDbContext db, CancellationToken ct) => new(
        await db.Units.CountAsync(ct), await db.Users.CountAsync(ct), await db.Matters.CountAsync(ct), await db.MatterEvents.CountAsync(ct),
        await db.Appeals.CountAsync(ct), await db.Attachments.CountAsync(ct));

    // ---------------------------------------------------------------- backup

    private async Task<int> BackupAsync(ParseResult result, CancellationToken ct)
    {
        var file = result.GetValue(_file)!;
        if (file.Exists && !result.GetValue(_force))
        {
            await cli.Error.WriteLineAsync($"错误：备份文件已存在：{file.FullName}。换一个文件名，或加 --force 覆盖。");
            return 1;
        }

        var (database, attachments) = Target(result, result.GetValue(_attachments));
        var work = Directory.CreateTempSubdirectory("duban-backup-");
        var partial = file.FullName + ".partial";
        try
        {
            var dump = Path.Combine(work.FullName, "database");
            var (migration, counts, blobs) = database.Provider == DatabaseProvider.Sqlite
                ? await CopySqliteAsync(database, dump, ct)
                : await DumpPostgresAsync(database, dump, ct);
            if (migration is null)
            {
                await cli.Error.WriteLineAsync("错误：数据库还没有建表，没有可备份的内容。");
                return 1;
            }

            var members = new List<Member>();
            var missing = new List<string>();
            Directory.CreateDirectory(file.DirectoryName!);
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            await using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
            {
                members.Add(await AddAsync(zip, database.Provider == DatabaseProvider.Sqlite ? SqliteMember : PostgresMember, dump, ct));

                // After the database's snapshot: every blob it refers to was recorded before its file was renamed into
                // place, so one that is not there yet is a moment away; look again briefly before calling it missing.
                var store = new BlobStore(new AttachmentOptions(attachments, AttachmentLimits.Staff, AttachmentLimits.Portal));
                foreach (var sha in blobs.Order(StringComparer.Ordinal))
                {
                    var path = store.PathOf(sha);
                    for (var attempt = 0; !File.Exists(path) && attempt < 20; attempt++)
                    {
                        await Task.Delay(100, ct);
                    }

                    if (File.Exists(path))
                    {
                        members.Add(await AddAsync(zip, $"{BlobsPrefix}{sha[..2]}/{sha[2..4]}/{sha}", path, ct));
                    }
                    else
                    {
                        missing.Add(sha);
                    }
                }

                var manifest = new Manifest(Format, database.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres", migration, cli.Clock.GetUtcNow(),
                    counts, members, missing);
                var entry = zip.CreateEntry(ManifestName, CompressionLevel.Optimal);
                await using var stream = entry.Open();
                await JsonSerializer.SerializeAsync(stream, manifest, Json, ct);
            }

            File.Move(partial, file.FullName, overwrite: true);
            var size = new FileInfo(file.FullName).Length;
            var shown = size < 1024 * 1024
                ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(size / 1024.0):0} KB")
                : string.Create(CultureInfo.InvariantCulture, $"{size / 1024.0 / 1024.0:0.0} MB");
            await cli.Output.WriteLineAsync($"已备份到 {file.FullName}（{shown}）：{counts}；附件文件 {members.Count - 1} 个；数据库版本 {migration}");
            foreach (var sha in missing.Take(20))
            {
                await cli.Error.WriteLineAsync($"附件文件丢失，未能备份：{sha}（有附件记录，但附件目录中没有这个文件）");
            }

            return missing.Count == 0 ? 0 : 2;
        }
        finally
        {
            File.Delete(partial);
            work.Delete(recursive: true);
        }
    }

    /// <summary>SQLite's online backup API into a file of its own: a consistent copy while the server keeps writing.</summary>
    private static async Task<(string? Migration, Counts Counts, List<string> Blobs)> CopySqliteAsync(DatabaseOptions database, string copy, CancellationToken ct)
    {
        var file = database.SqliteFile!;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException("找不到数据库文件", Path.GetFullPath(file));
        }

        var source = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using (var from = new SqliteConnection(source.ConnectionString))
        await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ConnectionString))
        {
            await from.OpenAsync(ct);
            await to.OpenAsync(ct);
            from.BackupDatabase(to);
            await using var journal = to.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;"; // one self-contained file in the archive
            await journal.ExecuteNonQueryAsync(ct);
        }

        await using var db = Context(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={copy};Pooling=False"));
        var migration = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault();
        if (migration is null)
        {
            return (null, new Counts(0, 0, 0, 0, 0, 0), []);
        }

        return (migration, await CountAsync(db, ct), await db.AttachmentBlobs.Select(b => b.Sha256).ToListAsync(ct));
    }

    /// <summary><c>pg_dump</c> in the custom format, of a snapshot exported by a repeatable-read transaction that also
    /// counts the rows and lists the blobs: the manifest describes exactly what the dump holds.</summary>
    private static async Task<(string? Migration, Counts Counts, List<string> Blobs)> DumpPostgresAsync(DatabaseOptions database, string dump, CancellationToken ct)
    {
        await using var db = Context(database);
        var migration = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault();
        if (migration is null)
        {
            return (null, new Counts(0, 0, 0, 0, 0, 0), []);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var snapshot = await db.Database.SqlQueryRaw<string>("SELECT pg_export_snapshot() AS \"Value\"").SingleAsync(ct);
        var counts = await CountAsync(db, ct);
        var blobs = await db.AttachmentBlobs.Select(b => b.Sha256).ToListAsync(ct);
        await PgToolAsync("pg_dump", database.ConnectionString, ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", $"--file={dump}"], ct);
        await transaction.CommitAsync(ct);
        return (migration, counts, blobs);
    }

    private static async Task<Member> AddAsync(ZipArchive zip, string name, string path, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, name.StartsWith(BlobsPrefix, StringComparison.Ordinal) ? CompressionLevel.Fastest : CompressionLevel.Optimal);
        await using var target = entry.Open();
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
            size += read;
        }

        return new Member(name, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    // ---------------------------------------------------------------- restore

    private async Task<int> RestoreAsync(ParseResult result, CancellationToken ct)
    {
        var file = result.GetValue(_file)!;
        if (!file.Exists)
        {
            throw new FileNotFoundException("找不到备份文件", file.FullName);
        }

        var (database, attachments) = Target(result, result.GetValue(_attachments));
        using var zip = OpenArchive(file.FullName, out var manifest, out var problem);
        if (problem is null)
        {
            problem = await VerifyAsync(zip!, manifest!, ct);
        }

        if (problem is not null)
        {
            await cli.Error.WriteLineAsync($"错误：备份文件不可用，未做任何改动：{problem}");
            return 1;
        }

        var engine = database.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        if (manifest!.Engine != engine)
        {
            await cli.Error.WriteLineAsync($"错误：这是 {Engine(manifest.Engine)} 的备份，目标是 {Engine(engine)} 数据库，不能直接恢复；未做任何改动。");
            return 1;
        }

        var present = await PresentAsync(database, ct);
        if (present is { } held && !result.GetValue(_force))
        {
            await cli.Error.WriteLineAsync($"错误：目标数据库已有数据（{held}），未做任何改动。确认要用备份覆盖它，请加 --force。");
            return 1;
        }

        // Blobs first: files nothing refers to yet are harmless (and collected later if the restore stops here).
        var store = new BlobStore(new AttachmentOptions(attachments, AttachmentLimits.Staff, AttachmentLimits.Portal));
        var blobs = 0;
        foreach (var member in manifest.Members.Where(m => m.Name.StartsWith(BlobsPrefix, StringComparison.Ordinal)))
        {
            var target = store.PathOf(Path.GetFileName(member.Name));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = $"{Path.GetDirectoryName(target)}/.tmp-{Guid.NewGuid():N}";
            await ExtractAsync(zip!, member.Name, temp, ct);
            File.Move(temp, target, overwrite: true);
            blobs++;
        }

        var work = Directory.CreateTempSubdirectory("duban-restore-");
        try
        {
            var dump = Path.Combine(work.FullName, "database");
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                await ExtractAsync(zip!, SqliteMember, dump, ct);
                await RestoreSqliteAsync(database, dump, ct);
            }
            else
            {
                await ExtractAsync(zip!, PostgresMember, dump, ct);
                await RestorePostgresAsync(database, dump, present is not null || await HasTablesAsync(database, ct), ct);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        await using var db = Context(database);
        var counts = await CountAsync(db, ct);
        var latest = db.Database.GetMigrations().LastOrDefault();
        if (counts != manifest.Counts)
        {
            await cli.Error.WriteLineAsync($"错误：恢复后的数据与备份清单不符：清单 {manifest.Counts}，实际 {counts}。");
            return 1;
        }

        await cli.Output.WriteLineAsync(
            $"已恢复 {CliContext.Iso(manifest.CreatedAt)} 的备份：{counts}；附件文件 {blobs} 个；数据库版本 {manifest.Migration}"
            + (manifest.Migration == latest ? "" : $"（当前程序为 {latest}，启动服务或运行 duban db migrate 时自动升级）"));
        return 0;
    }

    private static string Engine(string engine) => engine == "sqlite" ? "SQLite" : "PostgreSQL";

    private static ZipArchive? OpenArchive(string path, out Manifest? manifest, out string? problem)
    {
        manifest = null;
        ZipArchive? zip = null;
        try
        {
            zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(ManifestName);
            if (entry is null)
            {
                problem = "缺少备份清单 manifest.json，这不是 duban backup 生成的文件。";
                return zip;
            }

            using (var stream = entry.Open())
            {
                manifest = JsonSerializer.Deserialize<Manifest>(stream, Json);
            }

            problem = manifest?.Format != Format ? $"备份清单的格式不是 {Format}。" : null;
            return zip;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            problem = "文件已损坏或不是 zip 格式。";
            return zip;
        }
    }

    /// <summary>Every member the manifest names is there with its size and SHA-256, and there is nothing else.</summary>
    private static async Task<string?> VerifyAsync(ZipArchive zip, Manifest manifest, CancellationToken ct)
    {
        var listed = manifest.Members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        if (zip.Entries.FirstOrDefault(e => e.FullName != ManifestName && !listed.Contains(e.FullName)) is { } extra)
        {
            return $"多出清单中没有的文件「{extra.FullName}」。";
        }

        var database = manifest.Engine == "sqlite" ? SqliteMember : PostgresMember;
        if (!listed.Contains(database))
        {
            return "缺少数据库文件。";
        }

        foreach (var member in manifest.Members)
        {
            if (member.Name.StartsWith(BlobsPrefix, StringComparison.Ordinal) && Path.GetFileName(member.Name) != member.Sha256)
            {
                return $"附件文件「{member.Name}」的名称与校验值不符。";
            }

            var entry = zip.GetEntry(member.Name);
            if (entry is null)
            {
                return $"缺少文件「{member.Name}」。";
            }

            try
            {
                await using var stream = entry.Open();
                using var sha = SHA256.Create();
                var hash = Convert.ToHexStringLower(await sha.ComputeHashAsync(stream, ct));
                if (hash != member.Sha256 || entry.Length != member.Size)
                {
                    return $"文件「{member.Name}」的校验值不符（文件被改动或损坏）。";
                }
            }
            catch (InvalidDataException)
            {
                return $"文件「{member.Name}」已损坏，无法读出。";
            }
        }

        return null;
    }

    private static async Task ExtractAsync(ZipArchive zip, string name, string path, CancellationToken ct)
    {
        await using var source = zip.GetEntry(name)!.Open();
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await source.CopyToAsync(target, ct);
        target.Flush(flushToDisk: true);
    }

    /// <summary>What the target holds when it holds data (null when it has no tables, or tables with no rows).</summary>
    private static async Task<Counts?> PresentAsync(DatabaseOptions database, CancellationToken ct)
    {
        if (database.SqliteFile is { } sqlite && (!File.Exists(sqlite) || new FileInfo(sqlite).Length == 0))
        {
            return null;
        }

        await using var db = Context(database);
        if (!(await db.Database.GetAppliedMigrationsAsync(ct)).Any())
        {
            return null;
        }

        var counts = await CountAsync(db, ct);
        return counts == new Counts(0, 0, 0, 0, 0, 0) ? null : counts;
    }

    private static async Task<bool> HasTablesAsync(DatabaseOptions database, CancellationToken ct)
    {
        await using var db = Context(database);
        return await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").SingleAsync(ct) > 0;
    }

    /// <summary>SQLite's backup API from the restored copy into the target: it writes through SQLite's own locking and
    /// journal, so the target's write-ahead log and any reader stay consistent (stop the server first all the same).</summary>
    private static async Task RestoreSqliteAsync(DatabaseOptions database, string copy, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(database.SqliteFile!));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await using var to = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await from.OpenAsync(ct);
        await to.OpenAsync(ct);
        from.BackupDatabase(to);
        await using var wal = to.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        await wal.ExecuteNonQueryAsync(ct);
        MatterSearch.DeleteIndex(database.SqliteFile!); // the keyword index of what was there: made again by the server
    }

    /// <summary><c>pg_restore</c> into the target in one transaction, after emptying its <c>public</c> schema when it had tables.</summary>
    private static async Task RestorePostgresAsync(DatabaseOptions database, string dump, bool clear, CancellationToken ct)
    {
        if (clear)
        {
            await using var db = Context(database);
            await db.Database.ExecuteSqlRawAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", ct);
        }

        NpgsqlConnection.ClearAllPools();
        await PgToolAsync("pg_restore", database.ConnectionString, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", dump], ct);
    }

    /// <summary>Runs pg_dump or pg_restore against the database of a connection string (the password through the
    /// environment, never the command line); the newest PostgreSQL's own binaries when installed, else the PATH.</summary>
    private static async Task PgToolAsync(string tool, string connectionString, IEnumerable<string> args, CancellationToken ct)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgBinary(tool)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add($"--dbname={c.Database}");
        start.ArgumentList.Add($"--host={c.Host}");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--port={c.Port}"));
        if (c.Username is { Length: > 0 } user)
        {
            start.ArgumentList.Add($"--username={user}");
        }

        start.ArgumentList.Add("--no-password");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (c.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"找不到 {tool}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）。");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(ct);
            var output = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            await output;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} 失败（退出码 {process.ExitCode}）：{(await error).Trim()}");
            }
        }
    }

    private static string PgBinary(string tool)
    {
        var newest = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", tool)))
                .OrderByDescending(d => d.Version).Select(d => Path.Combine(d.Dir, "bin", tool)).FirstOrDefault()
            : null;
        return newest ?? tool;
    }
}
