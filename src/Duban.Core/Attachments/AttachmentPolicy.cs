using System.Globalization;
using System.IO.Compression;
using System.Text;
using Duban.Matters;
using Duban.Text;

namespace Duban.Attachments;

/// <summary>A kind of file an attachment (附件) may be.</summary>
/// <param name="Name">Short name shown to people (PDF, Word …).</param>
/// <param name="ContentType">The type sent on download, decided here and never taken from the client.</param>
/// <param name="Extensions">The extensions (lower case, with the dot) that may carry this kind.</param>
/// <param name="Inline">Whether a browser may show it in place (images, PDF) instead of saving it.</param>
public sealed record FileType(string Name, string ContentType, IReadOnlyList<string> Extensions, bool Inline);

/// <summary>A stored file as the matter history records it, with what a later audit needs.</summary>
/// <param name="Name">The display name the uploader gave (cleaned).</param>
/// <param name="Sha256">The content hash, lower-case hex; the blob's key.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ContentType">The sniffed content type.</param>
public sealed record AttachedFile(string Name, string Sha256, long Size, string ContentType);

/// <summary>Why an upload was refused; the web maps each to its status (400, 413, 415).</summary>
public enum RefusalReason
{
    /// <summary>A file of zero bytes, or no file at all.</summary>
    Empty,

    /// <summary>A file over the size limit (413).</summary>
    TooLarge,

    /// <summary>More files than one upload may carry.</summary>
    TooMany,

    /// <summary>An extension that is not allowed, or content that does not match it (415).</summary>
    ForbiddenType,
}

/// <summary>An upload refused by <see cref="AttachmentPolicy"/>; the message names the limit or the allowed types, in Chinese.</summary>
public sealed class AttachmentRefusedException(RefusalReason reason, string message) : DomainException(message)
{
    /// <summary>Which rule refused it.</summary>
    public RefusalReason Reason { get; } = reason;
}

/// <summary>How much one upload may carry: the staff side and the public portal have their own.</summary>
/// <param name="MaxBytes">Per file.</param>
/// <param name="MaxFiles">Per upload.</param>
public sealed record AttachmentLimits(long MaxBytes, int MaxFiles)
{
    /// <summary>Staff uploads: 20 MiB, 10 files.</summary>
    public static AttachmentLimits Staff { get; } = new(20L * 1024 * 1024, 10);

    /// <summary>The public portal: 5 MiB, 3 files.</summary>
    public static AttachmentLimits Portal { get; } = new(5L * 1024 * 1024, 3);

    /// <summary>The hint shown beside an upload field.</summary>
    public string Hint => $"最多 {MaxFiles} 个文件，单个文件不超过 {AttachmentPolicy.FormatSize(MaxBytes)}；支持 {AttachmentPolicy.AllowedNames}。";

    /// <exception cref="AttachmentRefusedException">The file is empty or over the limit.</exception>
    public void CheckSize(string name, long size)
    {
        if (size <= 0)
        {
            throw new AttachmentRefusedException(RefusalReason.Empty, $"文件「{name}」是空的。");
        }

        if (size > MaxBytes)
        {
            throw new AttachmentRefusedException(RefusalReason.TooLarge, $"单个文件不能超过 {AttachmentPolicy.FormatSize(MaxBytes)}（「{name}」超出）。");
        }
    }

    /// <exception cref="AttachmentRefusedException">More files than allowed, or none.</exception>
    public void CheckCount(int count)
    {
        if (count == 0)
        {
            throw new AttachmentRefusedException(RefusalReason.Empty, "请选择要上传的文件。");
        }

        if (count > MaxFiles)
        {
            throw new AttachmentRefusedException(RefusalReason.TooMany, $"一次最多上传 {MaxFiles} 个文件。");
        }
    }
}

/// <summary>
/// Which files may be attached: the content's magic bytes and the name's extension must agree on an allowed kind.
/// Everything else (executables, HTML and SVG, which can carry script, archives, macro documents) is refused. Pure: it
/// reads a stream, never a path.
/// </summary>
public static class AttachmentPolicy
{
    /// <summary>The longest display name kept, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>How many bytes of a file the magic-byte check looks at.</summary>
    public const int HeaderBytes = 16;

    // The allowed kinds; Classify tells them apart by name below.
    private static readonly FileType Pdf = new("PDF", "application/pdf", [".pdf"], true);
    private static readonly FileType Png = new("PNG", "image/png", [".png"], true);
    private static readonly FileType Jpeg = new("JPG", "image/jpeg", [".jpg", ".jpeg"], true);
    private static readonly FileType Gif = new("GIF", "image/gif", [".gif"], true);
    private static readonly FileType Webp = new("WEBP", "image/webp", [".webp"], true);
    private static readonly FileType Docx = new("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"], false);
    private static readonly FileType Xlsx = new("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"], false);
    private static readonly FileType Pptx = new("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", [".pptx"], false);
    private static readonly FileType Doc = new("Word 97", "application/msword", [".doc"], false);
    private static readonly FileType Xls = new("Excel 97", "application/vnd.ms-excel", [".xls"], false);
    private static readonly FileType Ofd = new("OFD", "application/ofd", [".ofd"], false);
    private static readonly FileType Text = new("TXT", "text/plain; charset=utf-8", [".txt"], false);
    private static readonly FileType Csv = new("CSV", "text/csv", [".csv"], false);

    /// <summary>Every allowed kind.</summary>
    public static IReadOnlyList<FileType> Allowed { get; } = [Pdf, Png, Jpeg, Gif, Webp, Docx, Xlsx, Pptx, Doc, Xls, Ofd, Text, Csv];

    /// <summary>The allowed kinds for people: "PDF、图片（PNG、JPG…）…".</summary>
    public static string AllowedNames => "PDF、图片（PNG、JPG、GIF、WEBP）、Word（doc、docx）、Excel（xls、xlsx）、PowerPoint（pptx）、OFD、TXT、CSV";

    /// <summary>The value of an upload field's <c>accept</c> attribute.</summary>
    public static string Accept { get; } = string.Join(',', Allowed.SelectMany(t => t.Extensions));

    /// <summary>The kind an extension claims, or null when the extension is not allowed.</summary>
    public static FileType? ByExtension(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        return Allowed.FirstOrDefault(t => t.Extensions.Contains(extension, StringComparer.Ordinal));
    }

    /// <summary>
    /// The user's file name made safe to show and to put in a header: path parts, control and direction-override
    /// characters removed (a name must not hide its real extension), at most <see cref="MaxNameLength"/> characters with
    /// the extension kept. It is never used on disk.
    /// </summary>
    public static string DisplayName(string? raw)
    {
        var name = raw ?? string.Empty;
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var kept = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            kept.Append(c);
        }

        name = kept.ToString().Trim().TrimStart('.').Trim();
        if (name.Length == 0)
        {
            return "附件";
        }

        if (name.Length <= MaxNameLength)
        {
            return name;
        }

        var extension = Path.GetExtension(name);
        if (extension.Length > 16)
        {
            extension = string.Empty;
        }

        return Truncate(name[..^extension.Length], MaxNameLength - extension.Length) + extension;
    }

    /// <summary>The kind a file name claims.</summary>
    /// <exception cref="AttachmentRefusedException">The extension is not an allowed one; the message names the allowed types.</exception>
    public static FileType CheckName(string name) =>
        ByExtension(name) ?? throw new AttachmentRefusedException(RefusalReason.ForbiddenType,
            $"不支持「{Shorten(Path.GetExtension(name))}」类型的文件，只能上传 {AllowedNames}。");

    /// <summary>
    /// Decides the kind of a whole file: the extension must be allowed and the content must be of that kind (magic bytes,
    /// the parts inside an Office or OFD package, valid UTF-8 or GB18030 for text). Reads from the stream's start; the
    /// stream must be seekable.
    /// </summary>
    /// <exception cref="AttachmentRefusedException">The type is not allowed or the content does not match the name.</exception>
    public static FileType Classify(string name, Stream content)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        var claimed = CheckName(name);
        content.Position = 0;
        var header = new byte[HeaderBytes];
        var length = content.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        content.Position = 0;
        var signature = Sniff(header.AsSpan(0, length));
        var matches = claimed.Name switch
        {
            "Word" => signature == Signature.Zip && IsPackage(content, "[Content_Types].xml", "word/document.xml"),
            "Excel" => signature == Signature.Zip && IsPackage(content, "[Content_Types].xml", "xl/workbook.xml"),
            "PowerPoint" => signature == Signature.Zip && IsPackage(content, "[Content_Types].xml", "ppt/presentation.xml"),
            "OFD" => signature == Signature.Zip && IsPackage(content, "OFD.xml"),
            "Word 97" => signature == Signature.OleCompound && IsCompound(content, "WordDocument"),
            "Excel 97" => signature == Signature.OleCompound && IsCompound(content, "Workbook", "Book"),
            "TXT" or "CSV" => signature is null && TextDecoding.IsText(content),
            "PDF" => signature == Signature.Pdf,
            "PNG" => signature == Signature.Png,
            "JPG" => signature == Signature.Jpeg,
            "GIF" => signature == Signature.Gif,
            "WEBP" => signature == Signature.Webp,
            _ => false,
        };
        content.Position = 0;
        if (matches && signature == Signature.Zip && BombReason(content) is { } bomb)
        {
            throw new AttachmentRefusedException(RefusalReason.ForbiddenType, $"文件「{name}」被拒绝：{bomb}（疑似压缩炸弹）。");
        }

        if (matches)
        {
            return claimed;
        }

        throw new AttachmentRefusedException(RefusalReason.ForbiddenType, HasMacros(signature, content)
            ? $"文件「{name}」含有宏（VBA），为安全起见不能上传；请另存为不含宏的文件（如 .docx、.xlsx 或 PDF）后再上传。"
            : $"文件「{name}」的内容不是 {claimed.Name} 文件（内容与扩展名不符），只能上传 {AllowedNames}。");
    }

    /// <summary>Whether an Office file carries VBA macros: said apart from a mismatch, so the uploader knows what to change.</summary>
    private static bool HasMacros(Signature? signature, Stream content)
    {
        try
        {
            return signature switch
            {
                Signature.Zip => PackageNames(content) is { } names && names.Any(IsMacroPart),
                Signature.OleCompound => CompoundFile.EntryNames(content) is { } names && CompoundMacros.Any(names.Contains),
                _ => false,
            };
        }
        finally
        {
            content.Position = 0;
        }
    }

    /// <summary>The container or format the first bytes show, or null (text, or unknown content).</summary>
    private static Signature? Sniff(ReadOnlySpan<byte> header) => header switch
    {
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => Signature.Pdf, // %PDF-
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => Signature.Png,
        [0xFF, 0xD8, 0xFF, ..] => Signature.Jpeg,
        [0x47, 0x49, 0x46, 0x38, 0x37 or 0x39, 0x61, ..] => Signature.Gif, // GIF87a, GIF89a
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => Signature.Webp, // RIFF....WEBP
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => Signature.OleCompound,
        [0x50, 0x4B, 0x03, 0x04, ..] => Signature.Zip,
        _ => null,
    };

    private enum Signature
    {
        Pdf,
        Png,
        Jpeg,
        Gif,
        Webp,

        /// <summary>OLE compound file: .doc and .xls share the container; its directory tells which.</summary>
        OleCompound,

        /// <summary>Office Open XML, OFD, or a plain archive: told apart by the parts inside.</summary>
        Zip,
    }

    /// <summary>Bytes as people read them: 68 B, 512 KB, 20 MB.</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>A zip holding the given parts, and no macros (a .docx renamed from .docm still carries vbaProject.bin).</summary>
    private static bool IsPackage(Stream content, params string[] parts) =>
        PackageNames(content) is { } names && parts.All(names.Contains) && !names.Any(IsMacroPart);

    /// <summary>The most a package (docx, xlsx, pptx, OFD) may unpack to: whoever opens the file unpacks it.</summary>
    public const long MaxUnpackedBytes = 256L * 1024 * 1024;

    /// <summary>Uncompressed ÷ compressed size of an entry over 1 MiB: XML compresses 5–30×, a bomb 1000× and more.</summary>
    public const int MaxCompressionRatio = 200;

    /// <summary>Why a package would blow up when opened (<see cref="ZipBombs"/>), or null.</summary>
    public static string? BombReason(Stream content) => ZipBombs.Reason(content, MaxUnpackedBytes, MaxCompressionRatio);

    private static bool IsMacroPart(string part) => part.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase);

    /// <summary>The part names of a zip, or null when it is not one. Only the central directory is read: nothing is
    /// decompressed, so a zip bomb costs nothing here.</summary>
    private static HashSet<string>? PackageNames(Stream content)
    {
        try
        {
            content.Position = 0;
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            return zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>VBA storages: Word keeps macros in <c>Macros</c>, Excel in <c>_VBA_PROJECT_CUR</c>.</summary>
    private static readonly string[] CompoundMacros = ["Macros", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT"];

    /// <summary>A compound file (.doc, .xls) with one of the given streams, and no VBA macros.</summary>
    private static bool IsCompound(Stream content, params string[] streams) =>
        CompoundFile.EntryNames(content) is { } names && streams.Any(names.Contains) && !CompoundMacros.Any(names.Contains);

    private static string Truncate(string text, int maxChars)
    {
        var info = new StringInfo(text);
        var result = new StringBuilder();
        for (var i = 0; i < info.LengthInTextElements; i++)
        {
            var element = info.SubstringByTextElements(i, 1);
            if (result.Length + element.Length > maxChars)
            {
                break;
            }

            result.Append(element);
        }

        return result.ToString();
    }

    private static string Shorten(string text) => text.Length == 0 ? "无扩展名" : text.Length > 16 ? text[..16] + "…" : text;
}
