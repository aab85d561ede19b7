using System.Text;
using Duban.Matters;

namespace Duban.Text;

/// <summary>An uploaded or given file that is not readable text: empty, binary, too large or in an unknown
/// encoding. The message says which, in Chinese and English.</summary>
public sealed class UnreadableTextException(string message) : DomainException(message);

/// <summary>Text read from a file, and the encoding it was found in.</summary>
public sealed record DecodedText(string Text, string Encoding);

/// <summary>
/// The one place that knows which encoding a file is in, as Chinese offices send them: UTF-8 (with or without a
/// byte-order mark), UTF-16 with a mark, or GBK/GB18030 (the Windows default for Chinese, and what Excel and WPS write
/// for CSV). Strict: a file that is neither is refused, never read as mojibake. <see cref="Decode"/> reads a document
/// (binary files such as PDF or Word are refused by name, and at most <c>maxBytes</c> are read); <see cref="Detect"/>
/// names a stream's encoding without loading it (CSV imports); <see cref="IsText"/> checks an attachment.
/// </summary>
public static class TextDecoding
{
    /// <summary>Strict UTF-8: an invalid byte throws instead of turning into U+FFFD.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Strict GB18030.</summary>
    public static Encoding Gb18030 { get; } = StrictGb18030();

    /// <summary>
    /// Reads the whole stream once (in blocks; memory stays bounded) and returns the encoding that decodes every byte,
    /// leaving the stream at its start. Throws <see cref="FormatException"/> naming the first undecodable byte.
    /// </summary>
    public static Encoding Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        }

        Span<byte> bom = stackalloc byte[3];
        var read = stream.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
        {
            return Utf8;
        }

        if (read >= 2 && ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))
        {
            return bom[0] == 0xFF ? new UnicodeEncoding(false, true, true) : new UnicodeEncoding(true, true, true);
        }

        if (FirstBadByte(stream, Utf8) is not { } utf8Bad)
        {
            return Utf8;
        }

        if (FirstBadByte(stream, Gb18030) is not { } gbBad)
        {
            return Gb18030;
        }

        throw new FormatException(FormattableString.Invariant(
            $"文件编码无法识别：既不是 UTF-8（第 {utf8Bad + 1} 字节无效），也不是 GBK/GB18030（第 {gbBad + 1} 字节无效）。请另存为 UTF-8 CSV。"));
    }

    private static Encoding StrictGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // .NET ships only Unicode encodings until asked
        return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>Plain text, as an attachment must be: no NUL, and the whole stream valid UTF-8 (a mark allowed) or else
    /// valid GB18030. The stream is rewound.</summary>
    public static bool IsText(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return FirstBadByte(stream, Utf8, refuseNul: true) is null || FirstBadByte(stream, Gb18030, refuseNul: true) is null;
    }

    /// <summary>The offset of the first byte the encoding cannot decode (or, with <paramref name="refuseNul"/>, the
    /// first NUL), or null; the stream is rewound.</summary>
    private static long? FirstBadByte(Stream stream, Encoding encoding, bool refuseNul = false)
    {
        stream.Position = 0;
        var decoder = encoding.GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[encoding.GetMaxCharCount(bytes.Length)];
        long offset = 0;
        try
        {
            int n;
            while ((n = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                if (refuseNul && Array.IndexOf(bytes, (byte)0, 0, n) is >= 0 and var nul)
                {
                    return offset + nul;
                }

                decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
                offset += n;
            }

            decoder.GetChars(bytes, 0, 0, chars, 0, flush: true); // a truncated multi-byte sequence at the end
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            return offset + Math.Max(ex.Index, 0);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>10 MB: a speech or a newspaper page is a few hundred KB.</summary>
    public const int DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>Decodes the stream; throws <see cref="UnreadableTextException"/> when it is not text.</summary>
    public static DecodedText Decode(Stream stream, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var bytes = ReadAtMost(stream, maxBytes);
        if (bytes.Length == 0)
        {
            throw new UnreadableTextException("文件是空的");
        }

        if (KnownBinary(bytes) is { } kind)
        {
            throw new UnreadableTextException($"这是 {kind} 文件，不是纯文本；请先另存为 .txt / a {kind} file, not plain text: save it as .txt first");
        }

        var decoded = DecodeBytes(bytes);
        var controls = decoded.Text.Count(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f'));
        if (controls * 20 > decoded.Text.Length)
        {
            throw new UnreadableTextException("文件含有二进制数据，不是文本");
        }

        return decoded;
    }

    private static byte[] ReadAtMost(Stream stream, int maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, (long)maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new UnreadableTextException($"文件超过 {Size(maxBytes)} 上限");
            }
        }

        return buffer.ToArray();
    }

    private static string Size(int bytes) => bytes >= 1024 * 1024
        ? FormattableString.Invariant($"{bytes / (1024.0 * 1024):0.#} MB")
        : FormattableString.Invariant($"{bytes / 1024.0:0.#} KB");

    private static DecodedText DecodeBytes(byte[] bytes)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            return new DecodedText(Strict(Utf8, bytes, 3, "UTF-8"), "UTF-8");
        }

        if (bytes is [0xFF, 0xFE, ..])
        {
            return new DecodedText(Strict(new UnicodeEncoding(false, false, true), bytes, 2, "UTF-16"), "UTF-16LE");
        }

        if (bytes is [0xFE, 0xFF, ..])
        {
            return new DecodedText(Strict(new UnicodeEncoding(true, false, true), bytes, 2, "UTF-16"), "UTF-16BE");
        }

        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw new UnreadableTextException("文件含有二进制数据（NUL 字节），不是文本");
        }

        try
        {
            return new DecodedText(Utf8.GetString(bytes), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: try the Chinese Windows encoding.
        }

        try
        {
            return new DecodedText(Gb18030.GetString(bytes), "GB18030");
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableTextException("无法识别的文字编码（支持 UTF-8、UTF-16、GBK/GB18030）");
        }
    }

    private static string Strict(Encoding encoding, byte[] bytes, int skip, string name)
    {
        try
        {
            return encoding.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableTextException($"文件声明为 {name} 但内容不是有效的 {name} / the file is marked {name} but is not valid {name}");
        }
    }

    private static string? KnownBinary(byte[] b) => b switch
    {
        [0x25, 0x50, 0x44, 0x46, ..] => "PDF",
        [0x50, 0x4B, 0x03, 0x04, ..] => "Word/Excel (.docx/.xlsx)",
        [0xD0, 0xCF, 0x11, 0xE0, ..] => "Word/Excel (.doc/.xls)",
        [0x89, 0x50, 0x4E, 0x47, ..] or [0xFF, 0xD8, 0xFF, ..] or [0x47, 0x49, 0x46, 0x38, ..] => "image",
        _ => null,
    };
}
