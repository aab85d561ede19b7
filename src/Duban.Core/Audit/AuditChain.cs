using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Duban.Audit;

/// <summary>
/// One record of the audit trail (审计记录) as the chain sees it: who did what to which row, when, and the hashes that
/// tie it to the record before it. <see cref="RowHash"/> is the hash of the row's whole content after the change
/// (null for a deletion or an event that changes no row), so a row edited later outside Duban no longer matches it.
/// </summary>
/// <param name="Seq">Position in the chain, 1, 2, 3… without gaps.</param>
/// <param name="At">When the change was committed.</param>
/// <param name="ActorId">Who: <c>user:12</c>, <c>token:3</c>, <c>system:sweep</c>, <c>cli:root</c>, or a typed user name for a failed sign-in.</param>
/// <param name="ActorName">The actor's name as shown.</param>
/// <param name="ActorUnitId">The actor's unit, when the actor belongs to one.</param>
/// <param name="Address">The client's address, when the change came over the network.</param>
/// <param name="Action">insert, update, delete, or an event name such as sign-in.</param>
/// <param name="Entity">The kind of row (its table), or the event's subject.</param>
/// <param name="EntityKey">The row's key, invariant text.</param>
/// <param name="MatterId">The matter the change belongs to, when it belongs to one.</param>
/// <param name="Changes">What changed, canonical JSON (property → value, or [before, after] for an update).</param>
/// <param name="RowHash">Hash of the row's content after the change.</param>
/// <param name="PreviousHash">The hash of record <c>Seq − 1</c> (<see cref="AuditChain.Genesis"/> for the first).</param>
/// <param name="Hash">SHA-256 of the previous hash and this record's canonical content.</param>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    long? ActorUnitId,
    string? Address,
    string Action,
    string Entity,
    string EntityKey,
    long? MatterId,
    string Changes,
    string? RowHash,
    string PreviousHash,
    string Hash);

/// <summary>A chain head's hash written outside the database (an anchor, 锚点), so a truncated tail is detected.</summary>
public sealed record AuditAnchor(long Seq, string Hash, DateTimeOffset At)
{
    /// <summary>One line of the anchor file: <c>seq hash at</c>.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Seq} {Hash} {AuditChain.Instant(At)}");

    /// <summary>Parses a line written by <see cref="ToLine"/>; null for anything else (a blank or damaged line).</summary>
    public static AuditAnchor? TryParse(string line)
    {
        var parts = (line ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
            && AuditChain.IsHash(parts[1])
            && DateTimeOffset.TryParseExact(parts[2], AuditChain.InstantFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new AuditAnchor(seq, parts[1], at)
            : null;
    }
}

/// <summary>Where the chain first breaks, and why (Chinese, for the person running the check).</summary>
public sealed record AuditBreak(long Seq, string Reason);

/// <summary>
/// The hash chain of the audit trail: each record's hash covers the previous record's hash and its own canonical
/// content, so editing, deleting or inserting a record anywhere breaks every hash after it; anchors kept outside the
/// database catch a tail cut off together with its hashes. Pure: the records come in, the first break comes out.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Instants in the canonical content: UTC to the microsecond, which both engines store exactly.</summary>
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>The record's hash: SHA-256 over the previous hash and each field, separated by a unit separator
    /// (U+001F, which canonical values never contain unescaped), lower-case hex.</summary>
    public static string HashOf(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = string.Join('\u001f',
            entry.PreviousHash,
            entry.Seq.ToString(CultureInfo.InvariantCulture),
            Instant(entry.At),
            entry.ActorId,
            entry.ActorName,
            entry.ActorUnitId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            entry.Address ?? string.Empty,
            entry.Action,
            entry.Entity,
            entry.EntityKey,
            entry.MatterId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            entry.Changes,
            entry.RowHash ?? string.Empty);
        return Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Links <paramref name="entry"/> after a head (seq and hash; null for an empty chain): its seq, previous
    /// hash and hash are set.</summary>
    public static AuditEntry Link(AuditEntry entry, (long Seq, string Hash)? head)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var linked = entry with { Seq = (head?.Seq ?? 0) + 1, PreviousHash = head?.Hash ?? Genesis, Hash = string.Empty };
        return linked with { Hash = HashOf(linked) };
    }

    /// <summary>
    /// Walks records in seq order and returns the first break, or null when the chain is whole (see <see cref="AuditWalk"/>).
    /// </summary>
    public static AuditBreak? FirstBreak(IEnumerable<AuditEntry> records, IEnumerable<AuditAnchor> anchors)
    {
        ArgumentNullException.ThrowIfNull(records);
        var walk = new AuditWalk(anchors);
        foreach (var record in records)
        {
            if (walk.Step(record) is { } broken)
            {
                return broken;
            }
        }

        return walk.End();
    }

    /// <summary>Canonical text of an instant (<see cref="InstantFormat"/>), truncated to the microsecond.</summary>
    public static string Instant(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc).ToString(InstantFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>True for 64 lower-case hex digits.</summary>
    public static bool IsHash(string? text) => text is { Length: 64 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Lower-case hex of bytes.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>
/// The chain check one record at a time, for chains too long to hold in memory: a gap or repeat in seq (a record
/// deleted or inserted), a previous hash that is not the record before's hash, a hash that is not the record's own
/// (a record edited), or an anchor the chain disagrees with or does not reach (a tail rewritten with fresh hashes, or
/// cut off).
/// </summary>
public sealed class AuditWalk
{
    private readonly Dictionary<long, HashSet<string>> _pinned;
    private long _expected = 1;
    private string _previous = AuditChain.Genesis;

    /// <summary>A walk that checks the chain against these anchors.</summary>
    public AuditWalk(IEnumerable<AuditAnchor> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        _pinned = anchors.GroupBy(a => a.Seq).ToDictionary(g => g.Key, g => g.Select(a => a.Hash).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Records checked so far.</summary>
    public long Checked => _expected - 1;

    /// <summary>Checks the next record; the break it shows, or null.</summary>
    public AuditBreak? Step(AuditEntry record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Seq != _expected)
        {
            return record.Seq > _expected
                ? new AuditBreak(_expected, string.Create(CultureInfo.InvariantCulture, $"第 {_expected} 条起缺失（下一条是第 {record.Seq} 条）：审计记录被删除。"))
                : new AuditBreak(record.Seq, string.Create(CultureInfo.InvariantCulture, $"第 {record.Seq} 条重复或次序错乱：审计记录被插入。"));
        }

        if (!string.Equals(record.PreviousHash, _previous, StringComparison.Ordinal))
        {
            return new AuditBreak(record.Seq, string.Create(CultureInfo.InvariantCulture, $"第 {record.Seq} 条与前一条接不上：前一条被改动或删除，或本条是插入的。"));
        }

        if (!string.Equals(record.Hash, AuditChain.HashOf(record), StringComparison.Ordinal))
        {
            return new AuditBreak(record.Seq, string.Create(CultureInfo.InvariantCulture, $"第 {record.Seq} 条的内容与其校验值不符：记录被改动。"));
        }

        if (_pinned.TryGetValue(record.Seq, out var hashes) && !hashes.Contains(record.Hash))
        {
            return new AuditBreak(record.Seq, string.Create(CultureInfo.InvariantCulture, $"第 {record.Seq} 条与锚点记下的校验值不符：链条被整体重写。"));
        }

        _previous = record.Hash;
        _expected++;
        return null;
    }

    /// <summary>After the last record: a break when an anchor lies beyond it.</summary>
    public AuditBreak? End()
    {
        var last = _expected - 1;
        return _pinned.Count > 0 && _pinned.Keys.Max() is var highest && highest > last
            ? new AuditBreak(last + 1, string.Create(CultureInfo.InvariantCulture, $"锚点记到第 {highest} 条，库中只到第 {last} 条：末尾的审计记录被截去。"))
            : null;
    }
}
