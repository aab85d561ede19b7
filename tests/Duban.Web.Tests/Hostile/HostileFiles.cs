using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace Duban.Tests.Hostile;

/// <summary>
/// The corpus's binary inputs, made by code at test time (a zip bomb or a million-row sheet would be megabytes in the
/// repository): a real xlsx written by MiniExcel whose sheet is then replaced by hostile XML, zips that lie about their
/// sizes, text in GBK and UTF-16, broken multipart bodies. Each is named by the corpus (<c>@name</c> or <c>@name(arg)</c>).
/// </summary>
public static class HostileFiles
{
    public const string Boundary = "----duban-hostile";
    private const string SheetPart = "xl/worksheets/sheet1.xml";

    /// <summary>The bytes a generator makes; unknown names fail the corpus run, so a typo is never a silent pass.</summary>
    public static byte[] Make(string name, string? arg) => name switch
    {
        "xlsx" => Workbook(arg ?? "appeals"),
        "xlsx-formula" => WithSheet(Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>内容</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\"><f>HYPERLINK(\"http://evil.example/\",\"点我\")</f><v>1</v></c><c r=\"B2\"><f>=cmd|' /C calc'!A0</f><v>2</v></c></row>")),
        "xlsx-nul-sheet" => WithSheet(new byte[64 * 1024]),
        "xlsx-not-xml" => WithSheet(Encoding.UTF8.GetBytes("this is not xml at all { } <<<>>>")),
        "xlsx-truncated-sheet" => WithSheet(Encoding.UTF8.GetBytes(Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c></row>")[..120])),
        "xlsx-dtd" => WithSheet(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\">" + Sheet("")[38..])),
        "xlsx-xxe" => WithSheet(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t></is></c></row>")[38..])),
        "xlsx-billion-laughs" => WithSheet(Encoding.UTF8.GetBytes(BillionLaughs())),
        "xlsx-million-rows" => MillionRows(),
        "xlsx-huge-cell" => WithSheet(Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>内容</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>长</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>" + new string('长', 10 * 1024 * 1024 / 3) + "</t></is></c></row>")),
        "xlsx-no-workbook" => Rezip(Workbook("appeals"), drop: "xl/workbook.xml"),
        "xlsx-bomb-honest" => Bomb(lie: false),
        "xlsx-bomb-lying" => Bomb(lie: true),
        "zip-garbage" => [.. "PK\u0003\u0004"u8, .. Enumerable.Repeat((byte)0xFF, 4000)],
        "csv-gbk" => CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes("标题,内容,区域\r\n噪音扰民,夜间施工噪音,K-T\r\n"),
        "csv-utf16" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("标题,内容\r\n噪音扰民,夜间施工噪音\r\n")],
        "csv-utf16-nobom" => Encoding.Unicode.GetBytes("标题,内容\r\n噪音扰民,夜间施工噪音\r\n"),
        "csv-invalid-utf8" => [.. "标题,内容\r\n"u8, 0xC3, 0x28, 0xFF, 0xFE, .. ",x\r\n"u8],
        "csv-nul" => Encoding.UTF8.GetBytes("标题,内容\r\n噪\0音,内\0容\r\n"),
        "csv-injection" => Encoding.UTF8.GetBytes("标题,内容\r\n=HYPERLINK(\"http://evil.example\"),@SUM(1+1)\r\n+cmd|' /C calc'!A0,-2+3\r\n"),
        "csv-unclosed-quote" => Encoding.UTF8.GetBytes("标题,内容\r\n\"没有结束的引号,内容\r\n"),
        "csv-wide" => Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 20000).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture))) + "\r\n1\r\n"),
        "pdf-fake" => Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"),
        "exe" => [0x4D, 0x5A, 0x90, 0x00, .. new byte[1000]],
        "empty" => [],
        "bytes" => Enumerable.Repeat((byte)'x', int.Parse(arg ?? "1", CultureInfo.InvariantCulture)).ToArray(),
        "utf8-invalid" => [.. "{\"title\":\""u8, 0xC3, 0x28, 0xFF, .. "\",\"content\":\"c\"}"u8],
        "utf8-overlong" => [.. "{\"title\":\""u8, 0xC0, 0xAF, 0xE0, 0x80, 0xAF, .. "\"}"u8],
        "utf16-json" => Encoding.Unicode.GetBytes("{\"title\":\"标题\",\"content\":\"内容\"}"),
        "json-deep" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("[", int.Parse(arg ?? "1000", CultureInfo.InvariantCulture)))),
        "json-big-string" => Encoding.UTF8.GetBytes("{\"title\":\"" + new string('长', int.Parse(arg ?? "100000", CultureInfo.InvariantCulture)) + "\",\"content\":\"c\",\"note\":\"n\",\"reason\":\"r\",\"name\":\"n\"}"),
        "json-many-keys" => Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, 50000).Select(i => $"\"k{i}\":{i}")) + "}"),
        "json-big-array" => Encoding.UTF8.GetBytes("{\"coUnits\":[" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"U{i}\"")) + "],\"title\":\"t\",\"content\":\"c\",\"goal\":\"g\",\"standard\":\"s\",\"leadUnit\":\"K-T\"}"),
        "multipart-truncated" => Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n截断的内容"),
        "multipart-no-end" => Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK"),
        "multipart-big-header" => Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nX-Padding: {new string('a', 16 * 1024)}\r\n\r\n内容\r\n--{Boundary}--\r\n"),
        "multipart-garbage" => Encoding.UTF8.GetBytes("not a multipart body at all"),
        "multipart-traversal" => Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"../../../../etc/passwd.txt\"\r\nContent-Type: text/plain\r\n\r\n内容\r\n--{Boundary}--\r\n"),
        "multipart-nul-name" => Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''a%00b%0d%0a.txt\r\nContent-Type: text/plain\r\n\r\n内容\r\n--{Boundary}--\r\n"),
        _ => throw new ArgumentException($"No generator named @{name}.", nameof(name)),
    };

    /// <summary>A real workbook from MiniExcel: appeals (标题, 内容), units (代码, 名称, 上级), matters (批量交办's columns).</summary>
    public static byte[] Workbook(string kind)
    {
        using var buffer = new MemoryStream();
        object rows = kind switch
        {
            "units" => new[] { new Dictionary<string, object?> { ["代码"] = "H-1", ["名称"] = "<script>alert(1)</script>", ["上级"] = "K-T" } },
            "matters" => new[] { new Dictionary<string, object?> { ["标题"] = "'; DROP TABLE matters; --", ["内容"] = "内容", ["目标任务"] = "g", ["工作标准"] = "s", ["牵头单位"] = "K-T", ["办结期限"] = "9999-12-31" } },
            "matters-nul" => new[] { new Dictionary<string, object?> { ["标题"] = "标\0题", ["内容"] = "内容", ["目标任务"] = "g", ["工作标准"] = "s", ["牵头单位"] = "K\0T", ["办结期限"] = "2024/6/30" } },
            "targets" => new[] { new Dictionary<string, object?> { ["任务项"] = "<b>x</b>", ["责任单位"] = "K\0T", ["目标"] = "-1e308" } },
            _ => new[] { new Dictionary<string, object?> { ["标题"] = "<img src=x onerror=alert(1)>", ["内容"] = "'; DROP TABLE appeals; --", ["收到时间"] = "0001年1月1日" } },
        };
        buffer.SaveAs(rows);
        return buffer.ToArray();
    }

    /// <summary>A sheet's XML around the given rows.</summary>
    private static string Sheet(string rows) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        + rows + "</sheetData></worksheet>";

    private static string BillionLaughs()
    {
        var entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            var previous = i == 1 ? "lol" : "lol" + (i - 1).ToString(CultureInfo.InvariantCulture);
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&{previous};", 10))}\">");
        }

        return $"<?xml version=\"1.0\"?><!DOCTYPE worksheet [{entities}]>" + Sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>")[38..];
    }

    private static byte[] WithSheet(string xml) => WithSheet(Encoding.UTF8.GetBytes(xml));

    /// <summary>MiniExcel's workbook with its first sheet's XML replaced.</summary>
    private static byte[] WithSheet(byte[] sheet) => Rezip(Workbook("appeals"), replace: (SheetPart, sheet));

    private static byte[] Rezip(byte[] xlsx, (string Part, byte[] Content)? replace = null, string? drop = null)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries.Where(e => e.FullName != drop))
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                using var to = copy.Open();
                if (replace is { } r && entry.FullName == r.Part)
                {
                    to.Write(r.Content);
                }
                else
                {
                    using var from = entry.Open();
                    from.CopyTo(to);
                }
            }
        }

        return output.ToArray();
    }

    /// <summary>1,048,576 rows, as Excel's last row, each with one short cell, and a dimension that says so.</summary>
    private static byte[] MillionRows()
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(Workbook("appeals")), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                using var to = copy.Open();
                if (entry.FullName != SheetPart)
                {
                    using var from = entry.Open();
                    from.CopyTo(to);
                    continue;
                }

                using var writer = new StreamWriter(to, new UTF8Encoding(false), 1 << 16);
                writer.Write("<?xml version=\"1.0\" encoding=\"utf-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:B1048576\"/><sheetData>");
                writer.Write("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>内容</t></is></c></row>");
                for (var row = 2; row <= 1_048_576; row++)
                {
                    writer.Write("<row r=\"");
                    writer.Write(row.ToString(CultureInfo.InvariantCulture));
                    writer.Write("\"><c t=\"inlineStr\"><is><t>x</t></is></c></row>");
                }

                writer.Write("</sheetData></worksheet>");
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// A workbook whose sheet is 200 MB of one repeated row (about 1000:1). Honest: the directory says 200 MB (refused by
    /// the ratio before anything is inflated). Lying: the directory and local header say 1 KB, so only counting the bytes
    /// actually inflated catches it.
    /// </summary>
    private static byte[] Bomb(bool lie)
    {
        const int Size = 200 * 1024 * 1024;
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(Workbook("appeals")), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.SmallestSize);
                using var to = copy.Open();
                if (entry.FullName != SheetPart)
                {
                    using var from = entry.Open();
                    from.CopyTo(to);
                    continue;
                }

                var head = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
                to.Write(head);
                var block = new byte[1 << 20];
                Array.Fill(block, (byte)' ');
                for (var written = head.Length; written < Size; written += block.Length)
                {
                    to.Write(block);
                }

                to.Write("</sheetData></worksheet>"u8);
            }
        }

        var bytes = output.ToArray();
        if (lie)
        {
            var name = Encoding.ASCII.GetBytes(SheetPart);
            // Local header: uncompressed size at +22; central directory: at +24. Both say 1 KB.
            for (var i = 0; i + 46 < bytes.Length; i++)
            {
                if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(i + 22, 4), 1024u);
                }
                else if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), 1024u);
                }
            }
        }

        return bytes;
    }
}
