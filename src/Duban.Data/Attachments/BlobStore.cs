using System.Security.Cryptography;
using Duban.Attachments;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// Attachment bytes on the file system, once per SHA-256, under <c>&lt;directory&gt;/blobs/ab/cd/&lt;sha256&gt;</c>.
/// </summary>
/// <remarks>
/// Files rather than a bytea/BLOB column: a 20 MB upload streams to disk with constant memory (EF and both drivers
/// would hold the whole value in memory), the database and its backups stay small, and the same code serves SQLite and
/// PostgreSQL. The price is that the blobs directory must be backed up with the database, and instances sharing one
/// PostgreSQL must share the directory. A blob is written to a temporary file in the blobs directory, flushed to disk,
/// then renamed to its final name, which is atomic on one file system: a crash never leaves a half blob under a final
/// name, and two instances writing the same content both end with the same complete file.
/// </remarks>
public sealed class BlobStore(AttachmentOptions options)
{
    private string Root => Path.Combine(options.Directory, "blobs");

    /// <summary>Where the blob with this hash lives.</summary>
    public string PathOf(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a lower-case hex SHA-256.", nameof(sha256));
        }

        return Path.Combine(Root, sha256[..2], sha256[2..4], sha256);
    }

    /// <summary>
    /// Streams an upload to disk while hashing it, stops as soon as it passes the limit, checks its type, lets
    /// <paramref name="register"/> record the blob, and only then puts the file in place under its hash (unless the
    /// same content is there already). Recording first is what makes <see cref="BlobCollector"/> safe: it deletes a
    /// blob's row and file together, so a file can only be missing while its row is, and an upload that records the
    /// row after that finds no file and puts its own. Memory stays at one buffer whatever the size.
    /// </summary>
    /// <exception cref="AttachmentRefusedException">Empty, too large, or a type that is not allowed.</exception>
    public async Task<AttachedFile> SaveAsync(Stream source, string fileName, AttachmentLimits limits, Func<AttachedFile, Task> register,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        var name = AttachmentPolicy.DisplayName(fileName);
        AttachmentPolicy.CheckName(name); // a forbidden type is refused before a byte is read

        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".tmp-{Guid.NewGuid():N}");
        try
        {
            string sha256;
            long size = 0;
            FileType type;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    limits.CheckSize(name, size); // past the limit: stop reading now
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                limits.CheckSize(name, size);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                type = AttachmentPolicy.Classify(name, file);
                file.Flush(flushToDisk: true);
            }

            var stored = new AttachedFile(name, sha256, size, type.ContentType);
            await register(stored);
            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                try
                {
                    File.Move(temp, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another upload of the same content won the rename: its file is identical.
                }
            }

            return stored;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Opens a stored blob for reading.</summary>
    /// <exception cref="FileNotFoundException">The blob is missing (the blobs directory was not restored with the database).</exception>
    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>SHA-256 of a stream's remaining bytes, lower-case hex: a blob's name when it is what was uploaded.</summary>
    public static async Task<string> HashOfAsync(Stream content, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content, cancellationToken));

    /// <summary>Records that the blob exists, once however many times it is uploaded (several instances may race), and
    /// that it was uploaded now: <see cref="BlobCollector"/> spares a blob stored recently even while no attachment
    /// refers to it yet. Outside any transaction on purpose: a blob row without attachments is harmless.</summary>
    public static async Task RegisterAsync(DubanDbContext db, AttachedFile file, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(file);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO attachment_blobs ("Sha256", "Size", "ContentType", "StoredAt") VALUES ({file.Sha256}, {file.Size}, {file.ContentType}, {now.UtcDateTime})
            ON CONFLICT ("Sha256") DO UPDATE SET "StoredAt" = excluded."StoredAt", "Size" = excluded."Size", "ContentType" = excluded."ContentType"
            """, cancellationToken);
    }

    /// <summary>The blob files and the uploads' leftover temp files, with their sizes and last write times (UTC).</summary>
    internal IEnumerable<(string Path, string? Sha256, long Size, DateTime WrittenAt)> Files()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var file in new DirectoryInfo(Root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var sha = file.Name.Length == 64 && file.Name.All(char.IsAsciiHexDigitLower) ? file.Name : null;
            if (sha is not null && Path.GetFullPath(PathOf(sha)) != file.FullName)
            {
                sha = null; // a hash name in the wrong folder is not a blob
            }

            yield return (file.FullName, sha, file.Length, file.LastWriteTimeUtc);
        }
    }

    /// <summary>Whether the file is one of <see cref="SaveAsync"/>'s temp files.</summary>
    internal static bool IsTemp(string path) => Path.GetFileName(path).StartsWith(".tmp-", StringComparison.Ordinal);
}
