using Duban.Similarity;

namespace Duban.Data;

/// <summary>What the similar-cases index needs of one matter, written with the matter when it is assigned: the
/// MinHash of its title and content. (Public support, 点赞, is the appeal's own fact.)</summary>
public sealed class MatterSignature
{
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }

    /// <summary>128 bytes: <see cref="MinHashSignature.ToBytes"/>; empty when the text has no letters or digits.</summary>
    public byte[] MinHash { get; set; } = [];

    /// <summary>The text similarity is measured on: the title, then the content.</summary>
    public static string TextOf(string title, string content) => title + "\n" + content;

    public static MatterSignature For(Matter matter)
    {
        ArgumentNullException.ThrowIfNull(matter);
        return new MatterSignature { Matter = matter, MinHash = Compute(matter.Title, matter.Content) };
    }

    /// <summary>The stored MinHash of a title and content (empty when the text has no letters or digits).</summary>
    public static byte[] Compute(string title, string content) =>
        Duban.Similarity.MinHash.Of(ShingleSet.FromText(TextOf(title, content)))?.ToBytes() ?? [];
}

/// <summary>A batch (批处理): matters like one typical matter (典型), to be answered together — 点办理、批处理.</summary>
public sealed class Batch
{
    public long Id { get; set; }
    public long TypicalMatterId { get; set; }
    public Matter? TypicalMatter { get; set; }
    public long CreatedByUnitId { get; set; }
    public required string CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<BatchMember> Members { get; set; } = [];
}

/// <summary>A matter in a batch (the typical matter is a member too).</summary>
public sealed class BatchMember
{
    public long BatchId { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }
}
