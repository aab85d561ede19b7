using System.Collections.Concurrent;
using System.Data.Common;
using Duban.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Data;

/// <summary>
/// The audit trail (审计留痕): every row Duban inserts, updates or deletes — through SaveChanges (this interceptor)
/// or set-based through <see cref="RowWriter"/> — and every security event (<see cref="RecordAsync"/>) becomes an
/// <see cref="AuditRecord"/> in the same transaction, linked into the hash chain when the transaction commits. The
/// chain's head is read and extended under the database's write lock (SQLite's only writer; an advisory lock on
/// PostgreSQL, taken just before commit so it is held briefly), so the chain has no gaps or forks with several
/// instances. Working tables (queues, counters, caches of what the records already say) are not audited.
/// </summary>
public sealed class AuditTrail(TimeProvider clock) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The PostgreSQL advisory lock key that serialises appends to the chain ("AUDI").</summary>
    private const long ChainLock = 0x41554449;

    /// <summary>Rows whose changes are not evidence: delivery queues, idempotency keys, throttling counters, derived
    /// tallies and caches, the trained model, number counters, and the trail itself.</summary>
    private static readonly HashSet<string> Unaudited = new(StringComparer.Ordinal)
    {
        nameof(AuditRecord), "DataProtectionKey", nameof(FormSubmission), nameof(SignInFailure), nameof(ImportRun),
        nameof(Delivery), nameof(TriageModelRecord), nameof(MatterSignature), nameof(UnitDayFacts), nameof(UnitMonthFacts),
        nameof(UnitFactDelta), nameof(MatterTally), nameof(MatterTallyDelta), nameof(UnitDayMatter), nameof(CodeCounter),
        nameof(NoticeDocumentCounter), nameof(WeeklySessionCounter), nameof(InstructionCounter), nameof(AttachmentBlob),
    };

    /// <summary>Kept in the row's hash but never written out in a record.</summary>
    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal)
    {
        "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "SecretHash", "Secret",
    };

    private static readonly ConcurrentDictionary<IEntityType, AuditedType?> Types = new();

    /// <summary>What the trail knows of an audited entity type.</summary>
    internal sealed class AuditedType(IEntityType type)
    {
        public IEntityType Type { get; } = type;
        public string Name { get; } = type.GetTableName() ?? type.ClrType.Name;
        /// <summary>In ordinal order of name, the order of the canonical text (AuditValues), so it is not sorted per row.</summary>
        public IReadOnlyList<IProperty> Properties { get; } = [.. type.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal)];
        public IReadOnlyList<IProperty> Key { get; } = type.FindPrimaryKey()!.Properties;

        /// <summary>The property naming the matter a row belongs to (the matter's own id for a matter).</summary>
        public IProperty? Matter { get; } = type.ClrType == typeof(Data.Matter)
            ? type.FindProperty(nameof(Data.Matter.Id))
            : type.FindProperty("MatterId") is { } p && (p.ClrType == typeof(long) || p.ClrType == typeof(long?)) ? p : null;
    }

    /// <summary>The audited view of <paramref name="type"/>, or null when its rows are not audited.</summary>
    internal static AuditedType? Audited(IEntityType type) =>
        Types.GetOrAdd(type, t => t.IsOwned() || t.FindPrimaryKey() is null || t.GetTableName() is null || Unaudited.Contains(t.ClrType.Name)
            ? null
            : new AuditedType(t));

    /// <summary>Every audited entity type of a model (for the check).</summary>
    internal static IEnumerable<AuditedType> AuditedTypes(Microsoft.EntityFrameworkCore.Metadata.IModel model) =>
        model.GetEntityTypes().Select(Audited).OfType<AuditedType>();

    /// <summary>A change captured while saving, finished into a record once keys are known.</summary>
    internal sealed record Captured(AuditedType Type, EntityEntry Entry, EntityState State,
        List<(string Name, object? Before, object? After)>? Changes, List<KeyValuePair<string, object?>>? Values);

    /// <summary>What a context's transaction will add to the chain when it commits.</summary>
    internal sealed class Pending
    {
        public List<Captured>? Saving { get; set; }
        public AutoTransactionBehavior SavingBehaviour { get; set; }
        public DbTransaction? Transaction { get; set; }
        public List<AuditEntry> Records { get; } = [];
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not DubanDbContext db)
        {
            return ValueTask.FromResult(result);
        }

        var tracker = db.ChangeTracker;
        if (tracker.AutoDetectChangesEnabled)
        {
            tracker.DetectChanges();
        }

        var captured = new List<Captured>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || Audited(entry.Metadata) is not { } type)
            {
                continue;
            }

            switch (entry.State)
            {
                case EntityState.Modified:
                    var changes = type.Properties.Where(p => entry.Property(p.Name).IsModified)
                        .Select(p => (p.Name, entry.Property(p.Name).OriginalValue, entry.Property(p.Name).CurrentValue)).ToList();
                    if (changes.Count > 0)
                    {
                        captured.Add(new Captured(type, entry, EntityState.Modified, changes, null));
                    }

                    break;
                case EntityState.Deleted:
                    captured.Add(new Captured(type, entry, EntityState.Deleted, null,
                        type.Properties.Select(p => KeyValuePair.Create(p.Name, entry.Property(p.Name).OriginalValue)).ToList()));
                    break;
                default:
                    captured.Add(new Captured(type, entry, EntityState.Added, null, null));
                    break;
            }
        }

        if (captured.Count > 0)
        {
            var pending = db.PendingAudit ??= new Pending();
            pending.Saving = captured;
            pending.SavingBehaviour = db.Database.AutoTransactionBehavior;
            // The records are written in the save's transaction, so a save that one statement would do needs one too.
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        }

        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext { PendingAudit: { Saving: not null } pending } db)
        {
            // The caller's transaction is still open: the records wait for its commit.
            Finish(db, pending);
        }

        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext { PendingAudit: { Saving: not null } pending } db)
        {
            db.Database.AutoTransactionBehavior = pending.SavingBehaviour;
            pending.Saving = null;
        }

        return Task.CompletedTask;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
        TransactionCommittingAsync(transaction, eventData, result).AsTask().GetAwaiter().GetResult();

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext { PendingAudit: { } pending } db)
        {
            if (pending.Saving is not null)
            {
                Finish(db, pending); // the save's own transaction: its keys are known, its entries not yet accepted
            }

            if (pending.Records.Count > 0 && ReferenceEquals(pending.Transaction, transaction))
            {
                await AppendAsync(db, pending.Records, cancellationToken);
            }

            db.PendingAudit = null;
        }

        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records an event that changes no audited row — a sign-in, a failed sign-in, a logout, a view of personal
    /// data, an export — in the context's open transaction, or in one of its own when none is open.
    /// </summary>
    public static async Task RecordAsync(DubanDbContext db, string action, string entity, string key, long? matterId,
        IEnumerable<KeyValuePair<string, object?>> details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entry = Entry(action, entity, key, matterId, AuditValues.Json(details), null);
        if (db.Database.CurrentTransaction is { } open)
        {
            Add(db, open.GetDbTransaction(), entry);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Add(db, transaction.GetDbTransaction(), entry);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>From this many rows in one write, one record per <see cref="RowsPerRecord"/> rows (<see cref="AuditBatch"/>)
    /// instead of one per row: a few rows (an action's, the sweep's on a quiet day) keep their values in the trail.</summary>
    internal const int BatchFrom = 16;

    /// <summary>Rows named by one batch record at most, so a record stays small enough to read in pages.</summary>
    internal const int RowsPerRecord = 1000;

    /// <summary>Records rows written set-based (<see cref="RowWriter"/>): a few rows each with a record of its own,
    /// inserts with their whole content and updates with the columns set; many rows in batch records that name each
    /// row's key and content hash. Needs the writer's transaction.</summary>
    internal static void RecordRows(DubanDbContext db, IEntityType entityType, IReadOnlyList<object> rows, IReadOnlyList<string>? updated)
    {
        if (Audited(entityType) is not { } type || rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException($"Rows of {type.Name} written set-based need a transaction for their audit records.");
        if (rows.Count >= BatchFrom)
        {
            RecordBatches(db, transaction, type, rows, updated);
            return;
        }

        foreach (var row in rows)
        {
            var values = ValuesOf(type, row);
            var shown = updated is null
                ? AuditValues.Json(values.Where(v => !Secret.Contains(v.Key)))
                : AuditValues.ChangesJson(values.Where(v => updated.Contains(v.Key) && !Secret.Contains(v.Key)).Select(v => (v.Key, (object?)null, v.Value)));
            Add(db, transaction, Entry(updated is null ? "insert" : "update", type.Name, KeyText(type, values), MatterOf(type, values), shown,
                AuditValues.RowHash(values)));
        }
    }

    /// <summary>One record per <see cref="RowsPerRecord"/> rows; the rows' hashes are computed in parallel, the
    /// dearest part of recording them.</summary>
    private static void RecordBatches(DubanDbContext db, DbTransaction transaction, AuditedType type, IReadOnlyList<object> rows, IReadOnlyList<string>? updated)
    {
        var keys = new string[rows.Count];
        var hashes = new string[rows.Count];
        var matters = new long?[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount - 1) }, i =>
        {
            var values = ValuesOf(type, rows[i]);
            keys[i] = KeyText(type, values);
            hashes[i] = AuditValues.RowHash(values);
            matters[i] = MatterOf(type, values);
        });

        for (var start = 0; start < rows.Count; start += RowsPerRecord)
        {
            var count = Math.Min(RowsPerRecord, rows.Count - start);
            var (changes, digest) = AuditBatch.Describe(new ArraySegment<string>(keys, start, count), new ArraySegment<string>(hashes, start, count), updated);
            var matter = matters[start] is { } first && matters.AsSpan(start, count).IndexOfAnyExcept(first) < 0 ? first : (long?)null;
            Add(db, transaction, Entry(updated is null ? AuditBatch.Insert : AuditBatch.Update, type.Name,
                keys[start] + ".." + keys[start + count - 1], matter, changes, digest));
        }
    }

    private static List<KeyValuePair<string, object?>> ValuesOf(AuditedType type, object row) =>
        type.Properties.Select(p => KeyValuePair.Create(p.Name, p.GetGetter().GetClrValueUsingContainingEntity(row))).ToList();

    /// <summary>How many records the context's open transaction holds so far (<see cref="RollBack"/> returns to it).</summary>
    internal static int Mark(DubanDbContext db) => db.PendingAudit?.Records.Count ?? 0;

    /// <summary>Forgets the records made since <paramref name="mark"/>: their rows were rolled back to a savepoint.</summary>
    internal static void RollBack(DubanDbContext db, int mark)
    {
        if (db.PendingAudit is { } pending)
        {
            pending.Saving = null;
            if (pending.Records.Count > mark)
            {
                pending.Records.RemoveRange(mark, pending.Records.Count - mark);
            }
        }
    }

    /// <summary>The row's key as the records name it: its key values, invariant, joined by '/'.</summary>
    internal static string KeyText(AuditedType type, IReadOnlyList<KeyValuePair<string, object?>> values) =>
        string.Join('/', type.Key.Select(k => AuditValues.Text(values.First(v => v.Key == k.Name).Value) ?? ""));

    private static long? MatterOf(AuditedType type, IReadOnlyList<KeyValuePair<string, object?>> values) =>
        type.Matter is { } p && values.FirstOrDefault(v => v.Key == p.Name).Value is long id ? id : null;

    /// <summary>A record not yet linked: its seq, time and hashes are set when its transaction commits.</summary>
    private static AuditEntry Entry(string action, string entity, string key, long? matterId, string changes, string? rowHash)
    {
        var actor = AuditActor.Current;
        return new AuditEntry(0, default, Cut(actor.Id, 100), Cut(actor.Name, 100), actor.UnitId, actor.Address is null ? null : Cut(actor.Address, 64),
            action, entity, Cut(key, 200), matterId, changes, rowHash, string.Empty, string.Empty);
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    private static void Add(DubanDbContext db, DbTransaction transaction, AuditEntry entry)
    {
        var pending = db.PendingAudit ??= new Pending();
        if (!ReferenceEquals(pending.Transaction, transaction))
        {
            pending.Records.Clear(); // left by a transaction that ended without a commit
            pending.Transaction = transaction;
        }

        pending.Records.Add(entry);
    }

    /// <summary>Turns the save's captured entries into records (keys are known now) for its transaction.</summary>
    private static void Finish(DubanDbContext db, Pending pending)
    {
        var captured = pending.Saving!;
        pending.Saving = null;
        db.Database.AutoTransactionBehavior = pending.SavingBehaviour;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A save with audited changes ran without a transaction.");
        foreach (var c in captured)
        {
            var values = c.Values ?? c.Type.Properties.Select(p => KeyValuePair.Create(p.Name, c.Entry.Property(p.Name).CurrentValue)).ToList();
            var key = KeyText(c.Type, values);
            var matter = MatterOf(c.Type, values);
            var entry = c.State switch
            {
                EntityState.Added => Entry("insert", c.Type.Name, key, matter, AuditValues.Json(values.Where(v => !Secret.Contains(v.Key))), AuditValues.RowHash(values)),
                EntityState.Modified => Entry("update", c.Type.Name, key, matter,
                    AuditValues.ChangesJson(c.Changes!.Select(x => Secret.Contains(x.Name) ? (x.Name, (object?)"***", (object?)"***") : x)),
                    AuditValues.RowHash(values)),
                _ => Entry("delete", c.Type.Name, key, matter, AuditValues.Json(values.Where(v => !Secret.Contains(v.Key))), null),
            };
            Add(db, transaction, entry);
        }
    }

    private static void Forget(TransactionEndEventData eventData)
    {
        if (eventData.Context is DubanDbContext db)
        {
            db.PendingAudit = null;
        }
    }

    /// <summary>Links the records after the chain's head and inserts them, under the write lock.</summary>
    private async Task AppendAsync(DubanDbContext db, List<AuditEntry> records, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLock})", cancellationToken);
        }

        var head = await db.AuditRecords.AsNoTracking().OrderByDescending(r => r.Seq).Select(r => new { r.Seq, r.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        (long Seq, string Hash)? last = head is null ? null : (head.Seq, head.Hash);
        var at = clock.GetUtcNow(); // one commit, one instant
        var rows = new List<AuditRecord>(records.Count);
        foreach (var record in records)
        {
            var linked = AuditChain.Link(record with { At = at }, last);
            rows.Add(AuditRecord.From(linked));
            last = (linked.Seq, linked.Hash);
        }

        await new RowWriter(db).InsertAsync(rows, cancellationToken);
    }
}
