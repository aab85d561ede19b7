using Duban.Attachments;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// Attachments of a matter: who may add and read them (the matter's own visibility rules), storing uploads, and the
/// 上传附件 event that records them.
/// </summary>
public sealed class MatterAttachments(DubanDbContext db, BlobStore blobs, ActOnMatter act, Rules rules, TimeProvider clock)
{
    /// <summary>Checks, before any byte is read, that the actor may add files to the matter now.</summary>
    /// <exception cref="NotFoundException">No such matter, or the actor may not see it.</exception>
    /// <exception cref="ForbiddenException">The actor may see it but not add to it.</exception>
    /// <exception cref="InvalidTransitionException">The matter is closed (销号).</exception>
    public async Task CheckMayAttachAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (state, tree) = await VisibleAsync(matterId, actor, cancellationToken);
        var allowed = rules.Lifecycle().AllowedActions(state, actor, clock.GetUtcNow(), tree);
        if (allowed.Contains(MatterAction.Attach))
        {
            return;
        }

        throw AccessRules.MayAttach(actor, state, tree)
            ? new InvalidTransitionException(MatterAction.Attach, state.Status, allowed)
            : new ForbiddenException("只有牵头单位、配合单位和交办方可以上传附件。");
    }

    /// <summary>Whether the actor may add files to the matter now (for showing the upload form).</summary>
    public async Task<bool> MayAttachAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        try
        {
            await CheckMayAttachAsync(matterId, actor, cancellationToken);
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }

    /// <summary>Streams one upload into the blob store and records the blob.</summary>
    /// <exception cref="AttachmentRefusedException">Empty, too large or of a type that is not allowed.</exception>
    public async Task<AttachedFile> StoreAsync(Stream content, string fileName, AttachmentLimits limits, CancellationToken cancellationToken = default)
    {
        return await blobs.SaveAsync(content, fileName, limits, file => BlobStore.RegisterAsync(db, file, clock.GetUtcNow(), cancellationToken),
            cancellationToken);
    }

    /// <summary>Adds stored files to the matter as one 上传附件 event, and returns the new attachments.</summary>
    public async Task<IReadOnlyList<AttachmentView>> AttachAsync(long matterId, IReadOnlyList<AttachedFile> files, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(actor);
        MatterEvent recorded;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // No expected version: adding files does not depend on what others did meanwhile, so a race is retried.
                recorded = await act.ExecuteAsync(matterId, new MatterCommand(MatterAction.Attach) { Files = files }, null, actor, cancellationToken);
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }

        return await Views(db.Attachments.Where(a => a.MatterId == matterId && a.EventSequence == recorded.Sequence), cancellationToken);
    }

    /// <summary>The matter's attachments, oldest first.</summary>
    /// <exception cref="NotFoundException">No such matter, or the actor may not see it.</exception>
    public async Task<IReadOnlyList<AttachmentView>> ListAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        await VisibleAsync(matterId, actor, cancellationToken);
        return await Views(db.Attachments.Where(a => a.MatterId == matterId), cancellationToken);
    }

    /// <summary>One attachment and its bytes, for a download; the caller disposes the stream.</summary>
    /// <exception cref="NotFoundException">No such attachment, or the actor may not see its matter (the same answer, so
    /// another unit learns nothing).</exception>
    public async Task<(AttachmentView Attachment, Stream Content)> OpenAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var matterId = await db.Attachments.AsNoTracking().Where(a => a.Id == id).Select(a => (long?)a.MatterId)
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException($"附件 {id} 不存在。");
        try
        {
            await VisibleAsync(matterId, actor, cancellationToken);
        }
        catch (NotFoundException)
        {
            throw new NotFoundException($"附件 {id} 不存在。");
        }

        var view = (await Views(db.Attachments.Where(a => a.Id == id), cancellationToken))[0];
        var sha = await db.Attachments.Where(a => a.Id == id).Select(a => a.BlobSha256).SingleAsync(cancellationToken);
        return (view, blobs.OpenRead(sha));
    }

    /// <summary>The matter's state and unit tree when the actor may see it; the matter's own visibility rule decides.</summary>
    private async Task<(MatterState State, IUnitTree Tree)> VisibleAsync(long matterId, Actor actor, CancellationToken cancellationToken)
    {
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return (state, tree);
    }

    private static async Task<IReadOnlyList<AttachmentView>> Views(IQueryable<Attachment> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return rows.Select(a => new AttachmentView(a.Id, a.MatterId, a.DisplayName, a.ContentType, a.Size, AttachmentPolicy.FormatSize(a.Size),
            a.UploadedById is null ? $"{a.UploadedByName}（群众提交）" : a.UploadedByName, Calendar.ChinaTime.ToLocal(a.UploadedAt))).ToList();
    }
}
