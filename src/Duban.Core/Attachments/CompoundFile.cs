using System.Buffers.Binary;
using System.Text;

namespace Duban.Attachments;

/// <summary>
/// The entry names in an OLE compound file's directory (MS-CFB), the container of .doc and .xls: enough to tell a Word
/// document (a <c>WordDocument</c> stream) from a workbook (<c>Workbook</c>, or <c>Book</c> before Excel 97) and to
/// find VBA macros (a <c>Macros</c> or <c>_VBA_PROJECT_CUR</c> storage). Only the header, the FAT sectors it needs
/// and the directory chain are read; every chain is bounded by the file's sector count, so a looping or truncated
/// file ends the walk instead of the process.
/// </summary>
internal static class CompoundFile
{
    private const int HeaderSize = 512, DirectoryEntrySize = 128, HeaderFatEntries = 109;

    /// <summary>Sector numbers at and above this are markers (free, end of chain, FAT, DIFAT), not sectors.</summary>
    private const uint MaxSector = 0xFFFFFFFA;

    /// <summary>The names of the storages and streams, or null when the file is not a readable compound file.</summary>
    public static IReadOnlySet<string>? EntryNames(Stream content)
    {
        try
        {
            return Read(content);
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or ArgumentOutOfRangeException)
        {
            return null;
        }
        finally
        {
            content.Position = 0;
        }
    }

    private static HashSet<string> Read(Stream content)
    {
        var header = ReadAt(content, 0, HeaderSize);
        var shift = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1E));
        if (shift is not (9 or 12))
        {
            throw new InvalidDataException("sector size");
        }

        var size = 1 << shift;
        var sectorCount = (content.Length - HeaderSize + size - 1) / size;
        long Offset(uint sector) => sector < sectorCount ? (sector + 1L) * size : throw new InvalidDataException("sector past the end");

        // Where the FAT's sectors are: 109 in the header, the rest in the DIFAT chain.
        var fat = new List<uint>();
        for (var i = 0; i < HeaderFatEntries; i++)
        {
            var sector = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x4C + (4 * i)));
            if (sector < MaxSector)
            {
                fat.Add(sector);
            }
        }

        var perSector = size / 4;
        var difat = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x44));
        for (var steps = 0; difat < MaxSector; steps++)
        {
            Bounded(steps, sectorCount);
            var block = ReadAt(content, Offset(difat), size);
            for (var i = 0; i < perSector - 1; i++)
            {
                var sector = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(4 * i));
                if (sector < MaxSector)
                {
                    fat.Add(sector);
                }
            }

            difat = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(size - 4));
        }

        uint Next(uint sector)
        {
            var index = (int)(sector / (uint)perSector);
            if (index >= fat.Count)
            {
                throw new InvalidDataException("sector outside the FAT");
            }

            var entry = ReadAt(content, Offset(fat[index]) + (4 * (sector % (uint)perSector)), 4);
            return BinaryPrimitives.ReadUInt32LittleEndian(entry);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var directory = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x30));
        for (var steps = 0; directory < MaxSector; steps++)
        {
            Bounded(steps, sectorCount);
            var block = ReadAt(content, Offset(directory), size);
            for (var at = 0; at + DirectoryEntrySize <= size; at += DirectoryEntrySize)
            {
                var entry = block.AsSpan(at, DirectoryEntrySize);
                var length = BinaryPrimitives.ReadUInt16LittleEndian(entry[0x40..]);
                if (entry[0x42] is 1 or 2 or 5 && length is >= 2 and <= 64 && length % 2 == 0)
                {
                    names.Add(Encoding.Unicode.GetString(entry[..(length - 2)]));
                }
            }

            directory = Next(directory);
        }

        return names;
    }

    private static void Bounded(int steps, long sectorCount)
    {
        if (steps > sectorCount)
        {
            throw new InvalidDataException("a chain longer than the file: it loops");
        }
    }

    private static byte[] ReadAt(Stream content, long offset, int count)
    {
        var buffer = new byte[count];
        content.Position = offset;
        content.ReadExactly(buffer);
        return buffer;
    }
}
