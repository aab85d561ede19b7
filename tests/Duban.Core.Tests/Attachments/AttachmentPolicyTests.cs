using System.IO.Compression;
using System.Text;
using Duban.Attachments;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Attachments;

/// <summary>Small real files of each kind, made in memory.</summary>
public static class SampleFiles
{
    public static byte[] Pdf => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    public static byte[] Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1];

    public static byte[] Jpeg => [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];

    public static byte[] Gif => Encoding.ASCII.GetBytes("GIF89a\x01\x00\x01\x00\x00\x00\x00;");

    public static byte[] Webp => [.. Encoding.ASCII.GetBytes("RIFF"), 20, 0, 0, 0, .. Encoding.ASCII.GetBytes("WEBPVP8 "), 0, 0, 0, 0];

    public static byte[] Ole => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

    public static byte[] Docx => Zip("[Content_Types].xml", "word/document.xml", "word/_rels/document.xml.rels");

    public static byte[] Xlsx => Zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml");

    public static byte[] Docm => Zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin");

    public static byte[] PlainZip => Zip("readme.txt", "setup.exe");

    public static byte[] Zip(params string[] parts)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var part in parts)
            {
                using var writer = new StreamWriter(zip.CreateEntry(part).Open());
                writer.Write("<x/>");
            }
        }

        return buffer.ToArray();
    }
}

public sealed class AttachmentPolicyTests
{
    public static TheoryData<string, string, string> Accepted => new()
    {
        { "报告.pdf", "pdf", "application/pdf" },
        { "现场.PNG", "png", "image/png" },
        { "现场.jpg", "jpeg", "image/jpeg" },
        { "现场.jpeg", "jpeg", "image/jpeg" },
        { "动图.gif", "gif", "image/gif" },
        { "图.webp", "webp", "image/webp" },
        { "通知.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "台账.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "旧通知.doc", "ole", "application/msword" },
        { "旧台账.xls", "ole", "application/vnd.ms-excel" },
        { "说明.txt", "utf8", "text/plain; charset=utf-8" },
        { "说明.txt", "gbk", "text/plain; charset=utf-8" },
        { "名单.csv", "utf8", "text/csv" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Classify_AcceptsContentMatchingItsExtension(string name, string sample, string contentType)
    {
        var type = AttachmentPolicy.Classify(name, new MemoryStream(Bytes(sample)));
        Assert.Equal(contentType, type.ContentType);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "setup.exe", "pe" },
        { "页面.html", "html" },
        { "图.svg", "svg" },
        { "压缩包.zip", "zip" },
        { "压缩包.rar", "zip" },
        { "无扩展名", "pdf" },
        { "伪装.pdf", "pe" }, // an executable renamed
        { "伪装.pdf", "png" }, // another allowed kind under the wrong name
        { "伪装.docx", "zip" }, // a plain archive renamed
        { "宏.docx", "docm" }, // macros ride along
        { "伪装.xlsx", "docx" }, // a Word package named as Excel
        { "伪装.txt", "pdf" }, // binary named as text
        { "伪装.txt", "nul" },
        { "伪装.doc", "pdf" },
        { "空.pdf", "empty" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Classify_RefusesForbiddenTypesAndMismatches(string name, string sample)
    {
        var e = Assert.Throws<AttachmentRefusedException>(() => AttachmentPolicy.Classify(name, new MemoryStream(Bytes(sample))));
        Assert.Equal(RefusalReason.ForbiddenType, e.Reason);
        Assert.Contains("PDF", e.Message, StringComparison.Ordinal); // the allowed types are named
    }

    [Fact]
    public void Limits_NameTheLimitInTheMessage()
    {
        var limits = new AttachmentLimits(20L * 1024 * 1024, 10);
        var tooLarge = Assert.Throws<AttachmentRefusedException>(() => limits.CheckSize("a.pdf", 20L * 1024 * 1024 + 1));
        Assert.Equal(RefusalReason.TooLarge, tooLarge.Reason);
        Assert.Contains("单个文件不能超过 20 MB", tooLarge.Message, StringComparison.Ordinal);
        limits.CheckSize("a.pdf", 20L * 1024 * 1024); // the limit itself is allowed
        Assert.Equal(RefusalReason.Empty, Assert.Throws<AttachmentRefusedException>(() => limits.CheckSize("a.pdf", 0)).Reason);
        Assert.Equal(RefusalReason.TooMany, Assert.Throws<AttachmentRefusedException>(() => limits.CheckCount(11)).Reason);
        Assert.Contains("5 MB", AttachmentLimits.Portal.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(68, "68 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(20L * 1024 * 1024, "20 MB")]
    public void FormatSize_ReadsAsPeopleSayIt(long bytes, string expected) => Assert.Equal(expected, AttachmentPolicy.FormatSize(bytes));

    [Theory]
    [InlineData("C:\\Users\\张三\\Desktop\\报告.pdf", "报告.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("  整改\u0000方案\r\n.docx ", "整改方案.docx")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")] // a right-to-left override must not hide .exe
    [InlineData("", "附件")]
    [InlineData("...", "附件")]
    [InlineData(".bashrc", "bashrc")]
    public void DisplayName_StripsPathsAndControls(string raw, string expected) =>
        Assert.Equal(expected, AttachmentPolicy.DisplayName(raw));

    [Fact]
    public void DisplayName_BoundsLengthAndKeepsTheExtension()
    {
        var name = AttachmentPolicy.DisplayName(new string('长', 500) + ".pdf");
        Assert.Equal(AttachmentPolicy.MaxNameLength, name.Length);
        Assert.EndsWith("长.pdf", name, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public Property RandomBytes_AreNeverAcceptedAsPdfWithoutTheMagic(byte[] bytes)
    {
        var accepted = Accepts("扫描件.pdf", bytes);
        var hasMagic = bytes.AsSpan().StartsWith("%PDF-"u8);
        return (accepted == hasMagic).Label($"accepted={accepted}, magic={hasMagic}");
    }

    [Property(MaxTest = 300)]
    public Property RandomBytes_AreAcceptedOnlyWithTheirKindsMagic(byte[] bytes) =>
        Prop.ForAll(Gen.Elements(".docx", ".xlsx", ".pptx", ".ofd", ".png", ".jpg", ".gif", ".webp", ".doc", ".xls").ToArbitrary(), extension =>
        {
            byte[] magic = extension switch
            {
                ".png" => [0x89, 0x50, 0x4E, 0x47],
                ".jpg" => [0xFF, 0xD8, 0xFF],
                ".gif" => "GIF8"u8.ToArray(),
                ".webp" => "RIFF"u8.ToArray(),
                ".doc" or ".xls" => [0xD0, 0xCF, 0x11, 0xE0],
                _ => [0x50, 0x4B, 0x03, 0x04],
            };
            return !Accepts("文件" + extension, bytes) || bytes.AsSpan().StartsWith(magic);
        });

    [Property(MaxTest = 300)]
    public Property DisplayName_IsSafeAndStable(string raw)
    {
        var name = AttachmentPolicy.DisplayName(raw);
        return (name.Length is > 0 and <= AttachmentPolicy.MaxNameLength
                && name.IndexOfAny(['/', '\\']) < 0
                && !name.Any(char.IsControl)
                && AttachmentPolicy.DisplayName(name) == name)
            .Label(name);
    }

    [Property(MaxTest = 200)]
    public Property Text_WithANulIsNeverAccepted(NonEmptyString text, PositiveInt at)
    {
        var bytes = Encoding.UTF8.GetBytes(text.Get).ToList();
        bytes.Insert(at.Get % (bytes.Count + 1), 0);
        return (!Accepts("说明.txt", [.. bytes])).ToProperty();
    }

    private static bool Accepts(string name, byte[] bytes)
    {
        try
        {
            AttachmentPolicy.Classify(name, new MemoryStream(bytes));
            return true;
        }
        catch (AttachmentRefusedException)
        {
            return false;
        }
    }

    private static byte[] Bytes(string sample) => sample switch
    {
        "pdf" => SampleFiles.Pdf,
        "png" => SampleFiles.Png,
        "jpeg" => SampleFiles.Jpeg,
        "gif" => SampleFiles.Gif,
        "webp" => SampleFiles.Webp,
        "docx" => SampleFiles.Docx,
        "xlsx" => SampleFiles.Xlsx,
        "docm" => SampleFiles.Docm,
        "zip" => SampleFiles.PlainZip,
        "ole" => SampleFiles.Ole,
        "utf8" => Encoding.UTF8.GetBytes("关于加快推进老旧小区改造的说明\n第一条，"),
        "gbk" => Duban.Tabular.TextDecoding.Gb18030.GetBytes("关于加快推进老旧小区改造的说明\n第一条，"),
        "nul" => [0x41, 0x00, 0x42],
        "pe" => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00],
        "html" => Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"),
        "svg" => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(sample)),
    };
}
