using Duban.Attachments;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// Attachments of every owner: the download of any attachment through its owner's read rule (a matter's visibility, an
/// entry's or a target report's), and adding and listing the files of a competition entry (自评申报) or a target report
/// (进度填报). A matter's files are added by <see cref="MatterAttachments"/>, since each upload is an event in its history.
/// Whoever may not read the owner gets the same 404 as for a file that does not exist.
/// </summary>
public sealed class AttachmentOwners(DubanDbContext db, AttachmentFiles files, AssessmentCompetitions competitions, TargetTasks targets, TimeProvider clock)
{
    /// <summary>Checks, before any byte is read, that the actor may add files to the entry or report now.</summary>
    /// <exception cref="NotFoundException">No such owner, or the actor may not read it.</exception>
    /// <exception cref="ForbiddenException">The actor may read it but not add to it.</exception>
    /// <exception cref="RuleConflictException">It may no longer change (an entry decided or a competition published, a
    /// report decided or its period closed).</exception>
    public Task CheckMayAttachAsync(AttachmentOwner owner, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(actor);
        return owner.Kind switch
        {
            AttachmentOwnerKind.Entry => competitions.CheckMayAttachAsync(owner.Id, actor, cancellationToken),
            AttachmentOwnerKind.TargetReport => targets.CheckMayAttachAsync(owner.Id, actor, cancellationToken),
            _ => throw new ArgumentException("A matter's files are added by MatterAttachments, as an event of its history.", nameof(owner)),
        };
    }

    /// <summary>Whether the actor may add files to the entry or report now (for showing the upload form).</summary>
    public async Task<bool> MayAttachAsync(AttachmentOwner owner, Actor actor, CancellationToken cancellationToken = default)
    {
        try
        {
            await CheckMayAttachAsync(owner, actor, cancellationToken);
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }

    /// <summary>Streams one upload into the blob store and records the blob (<see cref="AttachmentFiles.StoreAsync"/>).</summary>
    /// <exception cref="AttachmentRefusedException">Empty, too large or of a type that is not allowed.</exception>
    public Task<AttachedFile> StoreAsync(Stream content, string fileName, AttachmentLimits limits, CancellationToken cancellationToken = default) =>
        files.StoreAsync(content, fileName, limits, cancellationToken);

    /// <summary>Adds stored files to the entry or report, checking the rule again (the entry may have been shortlisted
    /// while the files streamed), and returns the new attachments.</summary>
    public async Task<IReadOnlyList<AttachmentView>> AttachAsync(AttachmentOwner owner, IReadOnlyList<AttachedFile> stored, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        await CheckMayAttachAsync(owner, actor, cancellationToken);
        var rows = Rows(owner, stored, actor, clock.GetUtcNow()).ToList();
        db.Attachments.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        return rows.Select(AttachmentFiles.View).ToList();
    }

    /// <summary>The owner's attachments, oldest first.</summary>
    /// <exception cref="NotFoundException">No such owner, or the actor may not read it.</exception>
    public async Task<IReadOnlyList<AttachmentView>> ListAsync(AttachmentOwner owner, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await CheckMayReadAsync(owner, actor, cancellationToken);
        return await AttachmentFiles.ViewsAsync(Of(db.Attachments, owner), cancellationToken);
    }

    /// <summary>One attachment of any owner and its bytes, for a download; the caller disposes the stream.</summary>
    /// <exception cref="NotFoundException">No such attachment, or the actor may not read its owner (the same answer, so
    /// another unit learns nothing).</exception>
    public async Task<(AttachmentView Attachment, Stream Content)> OpenAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var row = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw Missing(id);
        try
        {
            await CheckMayReadAsync(row.Owner, actor, cancellationToken);
        }
        catch (NotFoundException)
        {
            throw Missing(id);
        }

        return (AttachmentFiles.View(row), await files.OpenCheckedAsync(row.BlobSha256, cancellationToken));
    }

    /// <summary>The rows of files added to an owner now by the actor (a matter's come from its 上传附件 event instead).</summary>
    public static IEnumerable<Attachment> Rows(AttachmentOwner owner, IReadOnlyList<AttachedFile> stored, Actor actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(actor);
        return stored.Select(f => new Attachment
        {
            MatterId = owner.Kind == AttachmentOwnerKind.Matter ? owner.Id : null,
            EntryId = owner.Kind == AttachmentOwnerKind.Entry ? owner.Id : null,
            TargetReportId = owner.Kind == AttachmentOwnerKind.TargetReport ? owner.Id : null,
            BlobSha256 = f.Sha256,
            DisplayName = f.Name,
            ContentType = f.ContentType,
            Size = f.Size,
            UploadedById = actor.Id,
            UploadedByName = actor.Name,
            UploadedAt = at,
        });
    }

    /// <summary>The attachments of one owner.</summary>
    public static IQueryable<Attachment> Of(IQueryable<Attachment> attachments, AttachmentOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var id = owner.Id;
        return owner.Kind switch
        {
            AttachmentOwnerKind.Matter => attachments.Where(a => a.MatterId == id),
            AttachmentOwnerKind.Entry => attachments.Where(a => a.EntryId == id),
            _ => attachments.Where(a => a.TargetReportId == id),
        };
    }

    /// <summary>The owner's own read rule: a matter's visibility, an entry's, a report's.</summary>
    private async Task CheckMayReadAsync(AttachmentOwner owner, Actor actor, CancellationToken cancellationToken)
    {
        switch (owner.Kind)
        {
            case AttachmentOwnerKind.Matter:
                await VisibleMatters.LoadAsync(db, owner.Id, actor, cancellationToken);
                break;
            case AttachmentOwnerKind.Entry:
                await competitions.ReadableEntryAsync(owner.Id, actor, cancellationToken);
                break;
            default:
                await targets.ReadableReportAsync(owner.Id, actor, cancellationToken);
                break;
        }
    }

    private static NotFoundException Missing(long id) => new($"附件 {id} 不存在。");
}
