using System.Text;
using Duban.Text;

namespace Duban.Tests.Text;

public sealed class TextDecodingTests
{
    private const string Speech = "刘涛强调，一要健全完善机制。體制改革 👍";

    static TextDecodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TheoryData<string, byte[]> Encoded => new()
    {
        { "UTF-8", Encoding.UTF8.GetBytes(Speech) },
        { "UTF-8", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Speech)] },
        { "UTF-16LE", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Speech)] },
        { "UTF-16BE", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Speech)] },
        { "GB18030", Encoding.GetEncoding("GB18030").GetBytes(Speech) },
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void Decode_ReadsEachEncodingChineseOfficesSend(string encoding, byte[] bytes)
    {
        var decoded = TextDecoding.Decode(new MemoryStream(bytes));
        Assert.Equal(Speech, decoded.Text);
        Assert.Equal(encoding, decoded.Encoding);
    }

    [Fact]
    public void Decode_Gbk_IsReadAsGb18030()
    {
        const string text = "市委书记刘尚进主持并讲话。";
        var decoded = TextDecoding.Decode(new MemoryStream(Encoding.GetEncoding("GBK").GetBytes(text)));
        Assert.Equal(text, decoded.Text);
    }

    [Theory]
    [InlineData(new byte[0], "空")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37 }, "PDF")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "Word/Excel")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, "image")]
    [InlineData(new byte[] { 0x41, 0x00, 0x42, 0x00, 0x43 }, "二进制")]
    [InlineData(new byte[] { 0x41, 0x01, 0x02, 0x03, 0x04, 0x05 }, "二进制")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x80 }, "编码")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xC3, 0x28 }, "UTF-8")]
    public void Decode_RefusesWhatIsNotText_WithAClearMessage(byte[] bytes, string said)
    {
        var ex = Assert.Throws<UnreadableTextException>(() => TextDecoding.Decode(new MemoryStream(bytes)));
        Assert.Contains(said, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_FileOverTheLimit_IsRefusedNamingTheLimit_WithoutReadingItAll()
    {
        // 50 MB of text from a stream that is never held whole: reading stops just past the 10 MB limit.
        using var big = new RepeatingStream(Encoding.UTF8.GetBytes("刘涛强调，一要健全完善机制。\n"), 50L * 1024 * 1024);
        var ex = Assert.Throws<UnreadableTextException>(() => TextDecoding.Decode(big));
        Assert.Contains("10 MB", ex.Message, StringComparison.Ordinal);
        Assert.InRange(big.Position, TextDecoding.DefaultMaxBytes, TextDecoding.DefaultMaxBytes + 100_000);
    }

    [Fact]
    public void Decode_SmallerLimit_IsNamedInKilobytes()
    {
        var ex = Assert.Throws<UnreadableTextException>(() => TextDecoding.Decode(new MemoryStream(new byte[3000]), maxBytes: 2048));
        Assert.Contains("2 KB", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A read-only stream of one pattern repeated to a length, generated as it is read (a 50 MB file
    /// without 50 MB of memory or disk).</summary>
    private sealed class RepeatingStream(byte[] pattern, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = pattern[(position + i) % pattern.Length];
            }

            position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
