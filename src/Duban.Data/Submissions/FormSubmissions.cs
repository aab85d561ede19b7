using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>A page form's submission key as used: who sent it, when, and where its outcome is shown (null while the
/// first submission is still being worked on). Its row is the claim, so a second process sees it too.</summary>
public sealed class FormSubmission
{
    public required string ActorId { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Where the first submission's outcome is shown (a page address); null until it is done.</summary>
    public string? Outcome { get; set; }
}

internal sealed class FormSubmissionConfiguration : IEntityTypeConfiguration<FormSubmission>
{
    public void Configure(EntityTypeBuilder<FormSubmission> e)
    {
        e.ToTable("form_submissions");
        e.HasKey(s => new { s.ActorId, s.Key });
        e.Property(s => s.ActorId).HasMaxLength(64);
        e.Property(s => s.Key).HasMaxLength(FormSubmissions.KeyLength);
        e.Property(s => s.Outcome).HasMaxLength(400);
        e.HasIndex(s => s.At); // old keys are forgotten by age
    }
}

/// <summary>What <see cref="FormSubmissions.OnceAsync"/> answered: where to go, and whether this was the same form
/// sent again (nothing new was made).</summary>
public sealed record SubmissionOutcome(string Outcome, bool Repeated);

/// <summary>
/// The one way page forms that create things (交办, 从文稿交办, 新建工作事项) are made safe to send twice: each form carries
/// a key drawn with it (the page's <c>_SubmissionKey</c> partial); the first submission with a key claims it in the
/// database and records where its outcome is shown; the same key again (a double click, a resend after a slow answer,
/// another web instance) waits for the first and answers with that outcome instead of creating again. A submission
/// that is refused or creates nothing releases its key, so the corrected form goes through.
/// </summary>
public sealed class FormSubmissions(DubanDbContext db, TimeProvider clock)
{
    /// <summary>A key is 32 hex digits (a GUID without dashes).</summary>
    public const int KeyLength = 32;

    /// <summary>How long a repeat waits for the first submission to finish.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    /// <summary>A claim without an outcome this old belongs to a process that stopped.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    /// <summary>How long keys are kept.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether a key has the expected form (anything else is treated as no key: the form is sent as is).</summary>
    public static bool IsKey(string? key) => key is { Length: KeyLength } && key.All(Uri.IsHexDigit);

    /// <summary>A fresh key for a form.</summary>
    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Runs <paramref name="create"/> once per (actor, key): it answers where its outcome is shown, or null when it
    /// made nothing (the page shows a question or a warning instead) and the key stays free. A repeat answers the first
    /// outcome with <see cref="SubmissionOutcome.Repeated"/>. Without a well-formed key, <paramref name="create"/>
    /// simply runs. <paramref name="create"/> runs without the request's cancellation: a dropped first request
    /// still finishes, and the resend finds its outcome.
    /// </summary>
    /// <exception cref="RuleConflictException">The first submission is still running after <see cref="WaitLimit"/>,
    /// or never finished (its process stopped): nothing is made again.</exception>
    public async Task<SubmissionOutcome?> OnceAsync(Actor actor, string? key, Func<Task<string?>> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(create);
        if (!IsKey(key))
        {
            return await create() is { } direct ? new SubmissionOutcome(direct, false) : null;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var vanished = 0;
        while (true)
        {
            if (await ClaimAsync(actor.Id, key!, cancellationToken))
            {
                break;
            }

            var earlier = await db.FormSubmissions.AsNoTracking().Where(s => s.ActorId == actor.Id && s.Key == key)
                .Select(s => new { s.Outcome, s.At }).SingleOrDefaultAsync(cancellationToken);
            if (earlier is null)
            {
                // The first was refused and let the key go: this one tries. (Again and again: the claim fails for
                // another reason, which the next save will say.)
                if (++vanished > 3)
                {
                    throw new InvalidOperationException("The submission key could not be claimed.");
                }

                continue;
            }

            if (earlier.Outcome is { } outcome)
            {
                return new SubmissionOutcome(outcome, true);
            }

            // Still running: wait for it (real time), unless it is older than any request lives (its process stopped).
            if (clock.GetUtcNow() - earlier.At > StaleAfter || waited.Elapsed > WaitLimit)
            {
                throw new RuleConflictException("这份表单已经提交过，但还没有结果。请先查看工作台，确认是否已经办理，再刷新页面重新填写。");
            }

            await Task.Delay(Poll, cancellationToken);
        }

        string? made;
        try
        {
            made = await create();
        }
        catch
        {
            await ReleaseAsync(actor.Id, key!);
            throw;
        }

        if (made is null)
        {
            await ReleaseAsync(actor.Id, key!);
            return null;
        }

        await db.FormSubmissions.Where(s => s.ActorId == actor.Id && s.Key == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Outcome, made), CancellationToken.None);
        return new SubmissionOutcome(made, false);
    }

    /// <summary>Inserts the claim; false when the key is already claimed. Keys older than <see cref="KeepFor"/> go.</summary>
    private async Task<bool> ClaimAsync(string actorId, string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var old = now - KeepFor;
        await db.FormSubmissions.Where(s => s.At < old).ExecuteDeleteAsync(cancellationToken);
        var row = new FormSubmission { ActorId = actorId, Key = key, At = now };
        db.FormSubmissions.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another request holds the key (the primary key refused ours); anything else shows on the next read.
            db.Entry(row).State = EntityState.Detached;
            return false;
        }
        finally
        {
            if (db.Entry(row).State != EntityState.Detached)
            {
                db.Entry(row).State = EntityState.Detached; // the commands after this one start from a clean tracker
            }
        }
    }

    private async Task ReleaseAsync(string actorId, string key) =>
        await db.FormSubmissions.Where(s => s.ActorId == actorId && s.Key == key).ExecuteDeleteAsync(CancellationToken.None);
}
