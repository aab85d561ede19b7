using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Duban.Attachments;

/// <summary>
/// Tells whether a zip (an xlsx, docx, pptx or OFD) would blow up when opened. The central directory's sizes are
/// checked first (the total, and each large entry's ratio); then every entry's compressed data is inflated once from
/// its local header, counting bytes and keeping none, because a directory can lie: .NET's reader stops at the declared
/// size, but Excel or WPS on the recipient's desk does not.
/// </summary>
public static class ZipBombs
{
    /// <summary>Entries over this size are held to the ratio: small XML parts compress far better than 200:1.</summary>
    private const long RatioFloor = 1 << 20;

    /// <summary>Why the zip is refused, in words for people, or null when it is safe to open; a stream that is not a
    /// zip at all gives null (the caller's own check says so). Reads from the start; the stream must be seekable.</summary>
    /// <param name="content">The file.</param>
    /// <param name="maxUnpackedBytes">The most all entries may unpack to.</param>
    /// <param name="maxRatio">Uncompressed ÷ compressed size allowed for an entry over 1 MiB.</param>
    /// <param name="maxEntries">The most entries.</param>
    public static string? Reason(Stream content, long maxUnpackedBytes, int maxRatio, int maxEntries = 1000)
    {
        ArgumentNullException.ThrowIfNull(content);
        var compressedSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            content.Position = 0;
            using (var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true))
            {
                if (zip.Entries.Count > maxEntries)
                {
                    return Invariant($"压缩包内文件数 {zip.Entries.Count} 超过上限 {maxEntries}");
                }

                long declared = 0;
                foreach (var entry in zip.Entries)
                {
                    declared += entry.Length;
                    if (declared > maxUnpackedBytes)
                    {
                        return Invariant($"解压后总大小超过上限 {maxUnpackedBytes / (1 << 20)} MB");
                    }

                    var ratio = entry.Length / Math.Max(entry.CompressedLength, 1);
                    if (entry.Length > RatioFloor && ratio > maxRatio)
                    {
                        return Invariant($"「{entry.FullName}」压缩比 {ratio}:1 超过上限 {maxRatio}:1");
                    }

                    compressedSizes[entry.FullName] = entry.CompressedLength;
                }
            }

            return Inflated(content, compressedSizes, maxUnpackedBytes);
        }
        catch (InvalidDataException)
        {
            return null; // no readable zip directory: the caller's own check says what the file is not
        }
        catch (EndOfStreamException)
        {
            return Damaged; // a local header cut short (found by fuzzing: it escaped as an EndOfStreamException)
        }
        finally
        {
            content.Position = 0;
        }
    }

    /// <summary>Walks the local headers in file order and inflates each entry's data, ignoring the sizes they declare.</summary>
    private static string? Inflated(Stream content, Dictionary<string, long> compressedSizes, long maxUnpackedBytes)
    {
        var header = new byte[30];
        var buffer = new byte[81920];
        long position = 0, total = 0;
        while (position + header.Length <= content.Length)
        {
            content.Position = position;
            content.ReadExactly(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != 0x04034b50)
            {
                return null; // the central directory: every entry has been seen
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(18));
            long declared = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(22));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
            var nameBytes = new byte[nameLength];
            content.ReadExactly(nameBytes);
            var name = System.Text.Encoding.UTF8.GetString(nameBytes);
            var describedLater = (flags & 0x08) != 0;
            if (describedLater || compressed == uint.MaxValue)
            {
                // Sizes in a data descriptor (or zip64): the central directory's compressed size; the declared
                // uncompressed size is then unknown here, so only the total is held.
                if (!compressedSizes.TryGetValue(name, out compressed))
                {
                    return null;
                }

                declared = long.MaxValue;
            }

            var data = position + header.Length + nameLength + extraLength;
            if (data + compressed > content.Length)
            {
                return Damaged;
            }

            long inflated = 0;
            content.Position = data;
            using (var slice = new Slice(content, compressed))
            using (var reader = method == 8 ? new DeflateStream(slice, CompressionMode.Decompress, leaveOpen: true) : (Stream)slice)
            {
                int n;
                while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    inflated += n;
                    total += n;
                    if (inflated > declared)
                    {
                        return $"「{name}」解压后比压缩包目录所记的 {declared} 字节更大";
                    }

                    if (total > maxUnpackedBytes)
                    {
                        return Invariant($"解压后总大小超过上限 {maxUnpackedBytes / (1 << 20)} MB");
                    }
                }
            }

            position = data + compressed;
            if (describedLater)
            {
                content.Position = position;
                var signature = new byte[4];
                content.ReadAtLeast(signature, 4, throwOnEndOfStream: false);
                position += (BinaryPrimitives.ReadUInt32LittleEndian(signature) == 0x08074b50 ? 4 : 0) + 12;
            }
        }

        return null;
    }

    /// <summary>The reason given for a zip whose entries' data is cut short.</summary>
    public const string Damaged = "压缩包已损坏（数据不完整）";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A window of a stream: the compressed bytes of one entry.</summary>
    private sealed class Slice(Stream inner, long length) : Stream
    {
        private long _left = length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left <= 0)
            {
                return 0;
            }

            var n = inner.Read(buffer, offset, (int)Math.Min(count, _left));
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
