using System.Buffers.Binary;
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

    /// <summary>A Word 97 document's container: its text stream and table.</summary>
    public static byte[] Doc => Compound("WordDocument", "1Table", "\u0005SummaryInformation");

    /// <summary>An Excel 97 workbook's container.</summary>
    public static byte[] Xls => Compound("Workbook", "\u0005SummaryInformation");

    /// <summary>A .doc carrying VBA macros (the <c>Macros</c> storage).</summary>
    public static byte[] DocWithMacros => Compound("WordDocument", "1Table", "Macros", "VBA", "dir");

    /// <summary>A .xls carrying VBA macros (the <c>_VBA_PROJECT_CUR</c> storage).</summary>
    public static byte[] XlsWithMacros => Compound("Workbook", "_VBA_PROJECT_CUR", "VBA");

    /// <summary>Only the compound file's signature and zeros: no directory to read.</summary>
    public static byte[] OleHeaderOnly => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

    /// <summary>
    /// A minimal compound file (MS-CFB version 3, 512-byte sectors) whose directory holds a root entry and the named
    /// streams: sector 0 is the FAT, then the directory's sectors, four entries each, chained through the FAT.
    /// </summary>
    public static byte[] Compound(params string[] streams)
    {
        const int Sector = 512;
        var entries = streams.Prepend("Root Entry").ToArray();
        var directorySectors = (entries.Length + 3) / 4;
        var file = new byte[Sector * (1 + 1 + directorySectors)];
        var header = file.AsSpan(0, Sector);
        ReadOnlySpan<byte> signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x18..], 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1A..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1C..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1E..], 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x20..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x2C..], 1); // one FAT sector
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x30..], 1); // the directory starts at sector 1
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x38..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x3C..], 0xFFFFFFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x44..], 0xFFFFFFFE);
        for (var i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[(0x4C + (4 * i))..], i == 0 ? 0u : 0xFFFFFFFF);
        }

        var fat = file.AsSpan(Sector, Sector);
        fat.Fill(0xFF); // free
        BinaryPrimitives.WriteUInt32LittleEndian(fat, 0xFFFFFFFD); // sector 0 is the FAT
        for (var d = 0; d < directorySectors; d++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(fat[(4 * (1 + d))..], d == directorySectors - 1 ? 0xFFFFFFFE : (uint)(2 + d));
        }

        for (var i = 0; i < entries.Length; i++)
        {
            var entry = file.AsSpan((2 * Sector) + (i * 128), 128);
            var name = Encoding.Unicode.GetBytes(entries[i]);
            name.CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[0x40..], (ushort)(name.Length + 2));
            entry[0x42] = (byte)(i == 0 ? 5 : entries[i] is "Macros" or "_VBA_PROJECT_CUR" or "VBA" ? 1 : 2);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[0x44..], 0xFFFFFFFF);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[0x48..], 0xFFFFFFFF);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[0x4C..], 0xFFFFFFFF);
        }

        return file;
    }

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
        { "旧通知.doc", "doc97", "application/msword" },
        { "旧通知.DOC", "doc97", "application/msword" },
        { "旧台账.xls", "xls97", "application/vnd.ms-excel" },
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
        { "伪装.doc", "xls97" }, // a workbook named as a Word document
        { "伪装.xls", "doc97" },
        { "宏.doc", "doc97-macros" }, // VBA rides along in the compound file too
        { "宏.xls", "xls97-macros" },
        { "残缺.doc", "ole-header" }, // the signature alone, no directory
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

    /// <summary>How long one damaged file may take to classify: a loop in a chain would never end, so each case is
    /// bounded and a hang fails the case instead of stalling the run. A healthy answer takes microseconds.</summary>
    private static readonly TimeSpan ClassifyBound = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="work"/> on the thread pool and fails if it has not ended within
    /// <see cref="ClassifyBound"/>; an exception it throws fails the case too.</summary>
    private static T Bounded<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(ClassifyBound), $"no answer within {ClassifyBound.TotalSeconds} s: the reading loops");
        return task.Result;
    }

    [Property(MaxTest = 300)]
    public Property Doc_CutShortOrDamagedAnywhere_IsRefusedOrAccepted_NeverCrashes(PositiveInt cut, byte value, PositiveInt at)
    {
        // Any truncation or a byte overwritten anywhere (a FAT entry pointing back at itself, a sector past the end):
        // the answer is accept (as Word 97) or refuse, and the reading ends within the bound.
        var bytes = SampleFiles.Doc;
        bytes[at.Get % bytes.Length] = value;
        var damaged = bytes.AsSpan(0, Math.Max(1, bytes.Length - (cut.Get % bytes.Length))).ToArray();
        var answer = Bounded(() =>
        {
            try
            {
                return AttachmentPolicy.Classify("通知.doc", new MemoryStream(damaged)).Name;
            }
            catch (AttachmentRefusedException)
            {
                return "refused";
            }
        });

        Assert.Contains(answer, (string[])["Word 97", "refused"]);
        return true.ToProperty();
    }

    [Theory]
    [InlineData("宏.docx", "docm")]
    [InlineData("宏.doc", "doc97-macros")]
    [InlineData("宏.xls", "xls97-macros")]
    public void Macros_AreRefusedAsMacros_NotAsAMismatch(string name, string sample)
    {
        var e = Assert.Throws<AttachmentRefusedException>(() => AttachmentPolicy.Classify(name, new MemoryStream(Bytes(sample))));
        Assert.Equal(RefusalReason.ForbiddenType, e.Reason);
        Assert.Contains("含有宏（VBA）", e.Message, StringComparison.Ordinal);
        var mismatch = Assert.Throws<AttachmentRefusedException>(() => AttachmentPolicy.Classify("伪装.doc", new MemoryStream(SampleFiles.Xls)));
        Assert.DoesNotContain("宏", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Doc_WhoseDirectoryChainLoops_IsRefused()
    {
        var bytes = SampleFiles.Doc;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(512 + 4), 1); // the directory's sector 1 is followed by itself
        Assert.Throws<AttachmentRefusedException>(() => AttachmentPolicy.Classify("通知.doc", new MemoryStream(bytes)));
    }

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
        "doc97" => SampleFiles.Doc,
        "xls97" => SampleFiles.Xls,
        "doc97-macros" => SampleFiles.DocWithMacros,
        "xls97-macros" => SampleFiles.XlsWithMacros,
        "ole-header" => SampleFiles.OleHeaderOnly,
        "utf8" => Encoding.UTF8.GetBytes("关于加快推进老旧小区改造的说明\n第一条，"),
        "gbk" => Duban.Text.TextDecoding.Gb18030.GetBytes("关于加快推进老旧小区改造的说明\n第一条，"),
        "nul" => [0x41, 0x00, 0x42],
        "pe" => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00],
        "html" => Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"),
        "svg" => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(sample)),
    };
}
