using System.Text;

namespace Duban.Tabular;

/// <summary>
/// Which encoding a text file (a CSV export) is in: a byte-order mark if there is one, else strict UTF-8, else strict
/// GB18030 (the superset of GBK and GB2312 that Excel and WPS on Chinese Windows write). A file that is neither is
/// refused, never read as mojibake.
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
            $"文件编码无法识别：既不是 UTF-8（第 {utf8Bad + 1} 字节无效），也不是 GBK/GB18030（第 {gbBad + 1} 字节无效）。请另存为 UTF-8 CSV。 / the file is neither UTF-8 nor GBK/GB18030"));
    }

    private static Encoding StrictGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // .NET ships only Unicode encodings until asked
        return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>The offset of the first byte the encoding cannot decode, or null; the stream is rewound.</summary>
    private static long? FirstBadByte(Stream stream, Encoding encoding)
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
}
