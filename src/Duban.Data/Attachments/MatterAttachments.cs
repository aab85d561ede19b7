using Duban.Attachments;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// Attachments of a matter: who may add and read them (the matter's own visibility rules), storing uploads, and the
/// 上传附件 event that records them.
/// </summary>
public sealed class MatterAttachments(DubanDbContext db, AttachmentFiles files, ActOnMatter act, Rules rules, TimeProvider clock)
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

    /// <summary>Streams one upload into the blob store and records the blob (<see cref="AttachmentFiles.StoreAsync"/>).</summary>
    /// <exception cref="AttachmentRefusedException">Empty, too large or of a type that is not allowed.</exception>
    public Task<AttachedFile> StoreAsync(Stream content, string fileName, AttachmentLimits limits, CancellationToken cancellationToken = default) =>
        files.StoreAsync(content, fileName, limits, cancellationToken);

    /// <summary>Adds stored files to the matter as one 上传附件 event, and returns the new attachments.</summary>
    public async Task<IReadOnlyList<AttachmentView>> AttachAsync(long matterId, IReadOnlyList<AttachedFile> stored, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(actor);
        MatterEvent recorded;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // No expected version: adding files does not depend on what others did meanwhile, so a race is retried.
                recorded = await act.ExecuteAsync(matterId, new MatterCommand(MatterAction.Attach) { Files = stored }, null, actor, cancellationToken);
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }

        return await AttachmentFiles.ViewsAsync(db.Attachments.Where(a => a.MatterId == matterId && a.EventSequence == recorded.Sequence), cancellationToken);
    }

    /// <summary>The matter's attachments, oldest first.</summary>
    /// <exception cref="NotFoundException">No such matter, or the actor may not see it.</exception>
    public async Task<IReadOnlyList<AttachmentView>> ListAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        await VisibleAsync(matterId, actor, cancellationToken);
        return await AttachmentFiles.ViewsAsync(db.Attachments.Where(a => a.MatterId == matterId), cancellationToken);
    }

    /// <summary>The matter's state and unit tree when the actor may see it; the matter's own visibility rule decides.</summary>
    private async Task<(MatterState State, IUnitTree Tree)> VisibleAsync(long matterId, Actor actor, CancellationToken cancellationToken)
    {
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return (state, tree);
    }
}
