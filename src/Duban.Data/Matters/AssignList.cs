using Duban.Matters;

namespace Duban.Data;

/// <summary>Field errors of a batch 交办, per row (the index in the batch); nothing was assigned.</summary>
public sealed class ListValidationException(IReadOnlyDictionary<int, IReadOnlyDictionary<string, string[]>> rows)
    : DomainException("有事项未通过检查，本批均未交办。")
{
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, string[]>> Rows { get; } = rows;
}

/// <summary>交办 several matters at once (the demands of one speech): all in one transaction, or none. Every row is
/// checked, so the answer lists the errors of all rows together.</summary>
public sealed class AssignList(DubanDbContext db, AssignMatter assign)
{
    public const int MaxRows = 100;

    public async Task<IReadOnlyList<long>> ExecuteAsync(IReadOnlyList<NewMatter> inputs, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以交办事项。");
        }

        if (inputs.Count is 0 or > MaxRows)
        {
            throw ValidationFailedException.For("drafts", $"请选择 1–{MaxRows} 项交办。");
        }

        var ids = new List<long>(inputs.Count);
        var errors = new Dictionary<int, IReadOnlyDictionary<string, string[]>>();
        // Alone, a transaction of our own; inside a caller's (WeeklySessions.AssignIntoAsync), theirs holds the batch.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        for (var i = 0; i < inputs.Count; i++)
        {
            try
            {
                ids.Add(await assign.ExecuteAsync(inputs[i], actor, cancellationToken));
            }
            catch (ValidationFailedException ex)
            {
                errors[i] = ex.Errors;
            }
        }

        if (errors.Count > 0)
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            db.ChangeTracker.Clear(); // the rows saved before the rollback are gone
            throw new ListValidationException(errors);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return ids;
    }
}
