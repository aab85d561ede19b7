using Duban.Audit;

namespace Duban.Tests.Audit;

/// <summary>A batch record's content names its rows and hashes exactly, and is refused when it does not match its
/// digest (a record whose content was changed and its digest not, or the reverse).</summary>
public sealed class AuditBatchTests
{
    private static readonly string[] Keys = ["7", "8", "9/2"];

    private static string[] Hashes() =>
        [.. Keys.Select(k => AuditValues.RowHash([KeyValuePair.Create<string, object?>("Id", k), KeyValuePair.Create<string, object?>("Note", "引号\"与换行\n")]))];

    [Fact]
    public void Described_RowsComeBack_InOrder_WithTheColumnsOfAnUpdate()
    {
        var hashes = Hashes();
        var (changes, digest) = AuditBatch.Describe(Keys, hashes, ["Status", "Announced"]);

        Assert.Equal(Keys.Zip(hashes), AuditBatch.Rows(changes, digest));
        Assert.StartsWith("{\"columns\":[\"Announced\",\"Status\"],", changes, StringComparison.Ordinal);
        Assert.Equal(AuditBatch.Digest(hashes), digest);
    }

    [Fact]
    public void AHashChangedInTheContent_OrTheDigest_IsRefused()
    {
        var hashes = Hashes();
        var (changes, digest) = AuditBatch.Describe(Keys, hashes, null);

        Assert.Null(AuditBatch.Rows(changes.Replace(hashes[1], new string('0', 64), StringComparison.Ordinal), digest));
        Assert.Null(AuditBatch.Rows(changes, AuditBatch.Digest(hashes.Reverse())));
        Assert.Null(AuditBatch.Rows("{\"keys\":[\"7\"]}", digest));
        Assert.Null(AuditBatch.Rows("不是 JSON", digest));
    }
}
