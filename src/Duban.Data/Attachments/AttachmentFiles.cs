using Duban.Attachments;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// What every owner's attachments share: streaming an upload into the <see cref="BlobStore"/> (sniffing, limits) and
/// recording its blob, the rows as lists show them, and a blob's bytes. Who may add or read a file is the owner's rule
/// (<see cref="MatterAttachments"/>, <see cref="AttachmentOwners"/>), never decided here.
/// </summary>
public sealed class AttachmentFiles(DubanDbContext db, BlobStore blobs, TimeProvider clock)
{
    /// <summary>Streams one upload into the blob store and records the blob.</summary>
    /// <exception cref="AttachmentRefusedException">Empty, too large or of a type that is not allowed.</exception>
    public async Task<AttachedFile> StoreAsync(Stream content, string fileName, AttachmentLimits limits, CancellationToken cancellationToken = default) =>
        await blobs.SaveAsync(content, fileName, limits, file => BlobStore.RegisterAsync(db, file, clock.GetUtcNow(), cancellationToken),
            cancellationToken);

    /// <summary>The stored bytes of a blob, checked against its hash first; the caller disposes the stream.</summary>
    /// <exception cref="Matters.RuleConflictException">The file on disk is no longer what was uploaded.</exception>
    public async Task<Stream> OpenCheckedAsync(string sha256, CancellationToken cancellationToken)
    {
        var stream = blobs.OpenRead(sha256);
        if (await BlobStore.HashOfAsync(stream, cancellationToken) == sha256)
        {
            stream.Position = 0;
            return stream;
        }

        await stream.DisposeAsync();
        throw new Matters.RuleConflictException("附件文件已被改动，与上传时的校验值不符，不予提供；请告知系统管理员核查。");
    }

    /// <summary>The attachments as lists show them, oldest first.</summary>
    public static async Task<IReadOnlyList<AttachmentView>> ViewsAsync(IQueryable<Attachment> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = await query.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    /// <summary>One attachment as lists show it.</summary>
    public static AttachmentView View(Attachment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new AttachmentView(a.Id, a.MatterId, a.DisplayName, a.ContentType, a.Size, AttachmentPolicy.FormatSize(a.Size),
            a.UploadedById is null ? $"{a.UploadedByName}（群众提交）" : a.UploadedByName, Calendar.ChinaTime.ToLocal(a.UploadedAt));
    }
}
