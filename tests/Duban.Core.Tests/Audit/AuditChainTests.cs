using System.Globalization;
using Duban.Audit;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Audit;

/// <summary>A chain of records as Duban links them: random actions by random people on random rows.</summary>
public static class AuditChainArbitrary
{
    private static readonly string[] Actions = ["insert", "update", "delete", "sign-in"];
    private static readonly string[] Names = ["张三", "李强", "系统", "公众", "命令行（root）"];

    public static Gen<List<AuditEntry>> Chains(int min) =>
        from count in Gen.Choose(min, 40)
        from picks in Gen.ArrayOf(Gen.Choose(0, 1_000_000), count)
        select Link(picks);

    private static List<AuditEntry> Link(int[] picks)
    {
        var chain = new List<AuditEntry>();
        (long, string)? head = null;
        var at = new DateTimeOffset(2024, 2, 8, 10, 0, 0, TimeSpan.FromHours(8));
        foreach (var pick in picks)
        {
            var entry = AuditChain.Link(new AuditEntry(0, at.AddTicks(pick * 7919L), $"user:{pick % 13}", Names[pick % Names.Length],
                pick % 3 == 0 ? null : pick % 17, pick % 2 == 0 ? "127.0.0.1" : null, Actions[pick % Actions.Length], "matters",
                (pick % 101).ToString(CultureInfo.InvariantCulture), pick % 5 == 0 ? null : pick % 101, $"{{\"Note\":\"第{pick}次\"}}",
                pick % 4 == 2 ? null : new string((char)('a' + pick % 6), 64), "", ""), head);
            chain.Add(entry);
            head = (entry.Seq, entry.Hash);
        }

        return chain;
    }

    public static Arbitrary<List<AuditEntry>> Whole() => Arb.From(Chains(1));
}

[Properties(Arbitrary = [typeof(AuditChainArbitrary)], MaxTest = 300)]
public sealed class AuditChainTests
{
    /// <summary>Every way one field of one record can be edited behind Duban's back.</summary>
    private static readonly Func<AuditEntry, AuditEntry>[] Edits =
    [
        e => e with { At = e.At.AddSeconds(1) },
        e => e with { ActorId = e.ActorId + "x" },
        e => e with { ActorName = "别人" },
        e => e with { ActorUnitId = (e.ActorUnitId ?? 0) + 1 },
        e => e with { Address = e.Address is null ? "10.0.0.1" : null },
        e => e with { Action = e.Action == "delete" ? "insert" : "delete" },
        e => e with { Entity = "units" },
        e => e with { EntityKey = e.EntityKey + "0" },
        e => e with { MatterId = (e.MatterId ?? 0) + 1 },
        e => e with { Changes = "{}" },
        e => e with { RowHash = e.RowHash is null ? new string('f', 64) : null },
    ];

    [Property]
    public bool AChainLinkedByDuban_IsWhole(List<AuditEntry> chain) =>
        AuditChain.FirstBreak(chain, [new AuditAnchor(chain[^1].Seq, chain[^1].Hash, chain[^1].At)]) is null;

    [Property]
    public Property AnyFieldOfAnyRecordEdited_BreaksAtThatRecord(List<AuditEntry> chain) =>
        Prop.ForAll(Gen.Choose(0, chain.Count - 1).ToArbitrary(), Gen.Choose(0, Edits.Length - 1).ToArbitrary(), (index, edit) =>
        {
            var edited = chain.ToList();
            edited[index] = Edits[edit](edited[index]);
            return AuditChain.FirstBreak(edited, [])?.Seq == edited[index].Seq;
        });

    [Property]
    public Property ARecordDeleted_BreaksWhereItWas(List<AuditEntry> chain) =>
        Prop.ForAll(Gen.Choose(0, chain.Count - 1).ToArbitrary(), index =>
        {
            var cut = chain.Where((_, i) => i != index).ToList();
            // Deleting the last record looks like a shorter chain: only an anchor beyond it tells.
            var anchors = new[] { new AuditAnchor(chain[^1].Seq, chain[^1].Hash, chain[^1].At) };
            return AuditChain.FirstBreak(cut, anchors)?.Seq == chain[index].Seq;
        });

    [Property]
    public Property ARecordInserted_EvenRelinkedAfterIt_IsCaughtByTheAnchor(List<AuditEntry> chain) =>
        Prop.ForAll(Gen.Choose(0, chain.Count - 1).ToArbitrary(), index =>
        {
            // Before the anchored head (a record after the last anchor is what the next anchor will hold).
            var anchors = new[] { new AuditAnchor(chain[^1].Seq, chain[^1].Hash, chain[^1].At) };
            // A forger who inserts a record and recomputes every hash after it still disagrees with the anchor.
            var forged = new List<AuditEntry>();
            (long, string)? head = null;
            var records = chain.Select(e => e with { Seq = 0 }).ToList();
            records.Insert(index, records[Math.Min(index, records.Count - 1)] with { ActorName = "伪造" });
            foreach (var record in records)
            {
                var linked = AuditChain.Link(record, head);
                forged.Add(linked);
                head = (linked.Seq, linked.Hash);
            }

            return AuditChain.FirstBreak(forged, []) is null && AuditChain.FirstBreak(forged, anchors) is { } broken && broken.Seq <= chain[^1].Seq;
        });

    [Fact]
    public void AnchorLines_RoundTrip_AndDamagedLinesAreSkipped()
    {
        var anchor = new AuditAnchor(42, new string('a', 64), new DateTimeOffset(2024, 2, 8, 10, 0, 0, 123, TimeSpan.FromHours(8)));

        Assert.Equal("42 " + new string('a', 64) + " 2024-02-08T02:00:00.123000Z", anchor.ToLine());
        Assert.Equal(anchor, AuditAnchor.TryParse(anchor.ToLine()));
        Assert.Null(AuditAnchor.TryParse("42 nothex 2024-02-08T02:00:00.000000Z"));
        Assert.Null(AuditAnchor.TryParse(""));
        Assert.Null(AuditAnchor.TryParse("0 " + new string('a', 64) + " 2024-02-08T02:00:00.000000Z"));
    }
}

public sealed class AuditValuesTests
{
    [Fact]
    public void CanonicalText_IsTheSameForTheSameValues_HoweverTheyArrive()
    {
        var beijing = new DateTimeOffset(2024, 2, 8, 10, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567);
        var utc = beijing.ToUniversalTime().AddTicks(-7); // what PostgreSQL gives back: UTC, to the microsecond
        var a = new Dictionary<string, object?> { ["Title"] = "路灯", ["DueAt"] = beijing, ["Score"] = 1.50m, ["Active"] = true };
        var b = new Dictionary<string, object?> { ["Active"] = true, ["Score"] = 1.5m, ["DueAt"] = utc, ["Title"] = "路灯" };

        Assert.Equal(AuditValues.Json(a), AuditValues.Json(b));
        Assert.Equal(AuditValues.RowHash(a), AuditValues.RowHash(b));
        Assert.Equal("""{"Active":true,"DueAt":"2024-02-08T02:00:00.123456Z","Score":"1.5","Title":"路灯"}""", AuditValues.Json(a));
    }

    /// <summary>Stored records carry these hashes: the text and hash of a row of every kind of value, as the first
    /// form of <see cref="AuditValues"/> made them, must never change (sorted or not, one row or thousands).</summary>
    [Fact]
    public void TheCanonicalTextAndHash_StayWhatStoredRecordsHold()
    {
        var row = new Dictionary<string, object?>
        {
            ["Title"] = "小区\"停车\"难\n", ["Id"] = 42L, ["Count"] = -7, ["Small"] = (short)3, ["Byte"] = (byte)255, ["Flag"] = true,
            ["None"] = null, ["At"] = new DateTimeOffset(2024, 3, 4, 9, 0, 0, 123, TimeSpan.FromHours(8)).AddTicks(4567),
            ["Day"] = new DateOnly(2024, 3, 4), ["Money"] = 12.50m, ["Ratio"] = 0.1, ["Kind"] = DayOfWeek.Monday, ["Big"] = ulong.MaxValue,
            ["U"] = uint.MaxValue, ["Neg"] = long.MinValue, ["Bytes"] = new byte[] { 1, 2, 3 },
        };
        const string Text = """{"At":"2024-03-04T01:00:00.123456Z","Big":18446744073709551615,"Byte":255,"Bytes":"AQID","Count":-7,"Day":"2024-03-04","Flag":true,"Id":42,"Kind":"Monday","Money":"12.5","Neg":-9223372036854775808,"None":null,"Ratio":"0.1","Small":3,"Title":"小区\"停车\"难\n","U":4294967295}""";
        const string Hash = "82843f7097c566ed20100c0a05a2e5a4227841385f2752a8b52e8273112b2c9d";
        var sorted = row.OrderBy(v => v.Key, StringComparer.Ordinal).ToList();

        Assert.Equal(Text, AuditValues.Json(row));
        Assert.Equal(Text, AuditValues.Json(sorted));
        for (var i = 0; i < 3; i++) // the per-thread writer used again
        {
            Assert.Equal(Hash, AuditValues.RowHash(row));
            Assert.Equal(Hash, AuditValues.RowHash(sorted));
        }
    }

    [Property(MaxTest = 300)]
    public bool AnyChangedValue_ChangesTheRowHash(NonNull<string> title, int number, bool flag)
    {
        var row = new Dictionary<string, object?> { ["Title"] = title.Get, ["Number"] = number, ["Flag"] = flag };
        var hash = AuditValues.RowHash(row);
        return hash != AuditValues.RowHash(new Dictionary<string, object?>(row) { ["Title"] = title.Get + "改" })
            && hash != AuditValues.RowHash(new Dictionary<string, object?>(row) { ["Number"] = number == int.MaxValue ? 0 : number + 1 })
            && hash != AuditValues.RowHash(new Dictionary<string, object?>(row) { ["Flag"] = !flag })
            && hash != AuditValues.RowHash(new Dictionary<string, object?>(row) { ["Title"] = null });
    }
}
