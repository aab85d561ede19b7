using Duban.Attachments;
using Duban.Matters;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>Stored file content, once per SHA-256, however many attachments point at it. The bytes live in the
/// <see cref="BlobStore"/>; this row says they are there and what they are.</summary>
public sealed class AttachmentBlob
{
    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public required string Sha256 { get; set; }
    public long Size { get; set; }

    /// <summary>The sniffed type, never the client's.</summary>
    public required string ContentType { get; set; }

    /// <summary>When this content was last uploaded (a re-upload refreshes it): <see cref="BlobCollector"/> spares recent blobs.</summary>
    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>What an attachment belongs to.</summary>
public enum AttachmentOwnerKind
{
    /// <summary>A matter (事项); an appeal's files hang off its matter.</summary>
    Matter,

    /// <summary>A competition entry (自评申报, <see cref="CompetitionEntry"/>).</summary>
    Entry,

    /// <summary>A target progress report (进度填报, <see cref="TargetReport"/>).</summary>
    TargetReport,
}

/// <summary>The owner of attachments: its kind and id.</summary>
public sealed record AttachmentOwner(AttachmentOwnerKind Kind, long Id)
{
    public static AttachmentOwner Matter(long id) => new(AttachmentOwnerKind.Matter, id);

    public static AttachmentOwner Entry(long id) => new(AttachmentOwnerKind.Entry, id);

    public static AttachmentOwner TargetReport(long id) => new(AttachmentOwnerKind.TargetReport, id);
}

/// <summary>
/// An attachment (附件) of a matter, a competition entry or a target report: exactly one of <see cref="MatterId"/>,
/// <see cref="EntryId"/> and <see cref="TargetReportId"/> is set (a check constraint holds it), each a real foreign key.
/// Every owner's files are rows of this one table, so <see cref="BlobCollector"/> spares the blobs of all of them.
/// </summary>
public sealed class Attachment
{
    public long Id { get; set; }
    public long? MatterId { get; set; }
    public Matter? Matter { get; set; }

    /// <summary>The 自评申报 the file belongs to.</summary>
    public long? EntryId { get; set; }

    /// <summary>The 进度填报 the file belongs to.</summary>
    public long? TargetReportId { get; set; }
    public required string BlobSha256 { get; set; }

    /// <summary>The uploader's file name, cleaned for display; never used on disk.</summary>
    public required string DisplayName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }

    /// <summary>The actor id (<c>user:12</c>, <c>token:3</c>); null for a citizen on the public portal.</summary>
    public string? UploadedById { get; set; }
    public required string UploadedByName { get; set; }
    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>The 上传附件 event that recorded it in the matter history; 0 for an entry's or a report's file.</summary>
    public int EventSequence { get; set; }

    /// <summary>What the file belongs to.</summary>
    public AttachmentOwner Owner => MatterId is { } matter ? AttachmentOwner.Matter(matter)
        : EntryId is { } entry ? AttachmentOwner.Entry(entry)
        : AttachmentOwner.TargetReport(TargetReportId ?? 0);

    /// <summary>The rows an 上传附件 event adds, one per file.</summary>
    public static IEnumerable<Attachment> From(Matter matter, MatterEvent e)
    {
        ArgumentNullException.ThrowIfNull(matter);
        ArgumentNullException.ThrowIfNull(e);
        return (e.Data.Files ?? []).Select(f => new Attachment
        {
            Matter = matter,
            BlobSha256 = f.Sha256,
            DisplayName = f.Name,
            ContentType = f.ContentType,
            Size = f.Size,
            UploadedById = e.Actor.Id == AttachmentOptions.PortalActorId ? null : e.Actor.Id,
            UploadedByName = e.Actor.Name,
            UploadedAt = e.At,
            EventSequence = e.Sequence,
        });
    }
}

/// <summary>An attachment as lists and downloads show it; <paramref name="MatterId"/> is null for an entry's or a
/// report's file.</summary>
public sealed record AttachmentView(long Id, long? MatterId, string Name, string ContentType, long Size, string SizeText,
    string UploadedBy, DateTimeOffset UploadedAt)
{
    /// <summary>Where an API client downloads it (with its token); pages link <c>/attachments/{id}</c>.</summary>
    public string Download => FormattableString.Invariant($"/api/attachments/{Id}");
}

/// <summary>Attachment settings (<c>Attachments:</c>, <c>Portal:</c>): where blobs live and how much an upload may carry.</summary>
public sealed record AttachmentOptions(string Directory, AttachmentLimits Staff, AttachmentLimits Portal)
{
    /// <summary>The actor id the public portal's intake uses; its uploads are stored with no uploader.</summary>
    public const string PortalActorId = "portal";

    /// <summary>
    /// Reads the settings. The blobs go under <c>Attachments:Directory</c>, by default beside the SQLite file (or in
    /// <c>data/</c> on PostgreSQL, where several instances must point it at one shared directory).
    /// </summary>
    public static AttachmentOptions FromConfiguration(IConfiguration configuration, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        var directory = configuration["Attachments:Directory"];
        if (string.IsNullOrWhiteSpace(directory))
        {
            var sqlite = database.SqliteFile is { } file && file != ":memory:" ? Path.GetDirectoryName(Path.GetFullPath(file)) : null;
            directory = sqlite ?? "data";
        }

        return new AttachmentOptions(Path.GetFullPath(directory),
            new AttachmentLimits(Positive(configuration, "Attachments:MaxBytes", AttachmentLimits.Staff.MaxBytes),
                (int)Positive(configuration, "Attachments:MaxFiles", AttachmentLimits.Staff.MaxFiles)),
            new AttachmentLimits(Positive(configuration, "Portal:AttachmentMaxBytes", AttachmentLimits.Portal.MaxBytes),
                (int)Positive(configuration, "Portal:AttachmentMaxFiles", AttachmentLimits.Portal.MaxFiles)));
    }

    private static long Positive(IConfiguration configuration, string key, long fallback)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value is > 0 and <= 1L << 31
            ? value
            : throw new InvalidOperationException($"{key}: \"{text}\" 必须是 1 到 2147483648 之间的整数");
    }
}
