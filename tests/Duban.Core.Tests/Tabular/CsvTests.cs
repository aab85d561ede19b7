using Duban.Tabular;
using FsCheck.Xunit;

namespace Duban.Tests.Tabular;

public class CsvTests
{
    [Fact]
    public void Quoted_fields_hold_commas_quotes_and_line_breaks_and_records_know_their_first_line()
    {
        const string text = "\uFEFF留言编号,留言详情\r\n1,\"第一行\r\n第二行，含\"\"引号\"\"\"\r\n\r\n2,\"a,b\"\n3,";
        var records = Csv.Read(new StringReader(text)).ToList();

        Assert.Equal(["留言编号", "留言详情"], records[0].Fields);
        Assert.Equal(["1", "第一行\r\n第二行，含\"引号\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["2", "a,b"], records[2].Fields);
        Assert.Equal(5, records[2].Line); // the blank line 4 is skipped but still counted
        Assert.Equal(["3", ""], records[3].Fields);
        Assert.Equal(4, records.Count);
    }

    [Fact]
    public void A_missing_column_is_named_with_the_columns_that_exist()
    {
        var ex = Assert.Throws<FormatException>(() => Csv.Column(["标题", "内容"], "分类"));
        Assert.Contains("分类", ex.Message, StringComparison.Ordinal);
        Assert.Contains("标题、内容", ex.Message, StringComparison.Ordinal);
    }

    [Property]
    public bool Formatted_records_read_back_unchanged(string[][] rows)
    {
        // Records with one empty field are blank lines, which the reader skips by design.
        var kept = rows.Where(r => r is not null)
            .Select(r => r.Select(f => (f ?? "").Replace("\r", "", StringComparison.Ordinal)).ToArray())
            .Where(r => r.Length > 1 || (r.Length == 1 && r[0].Length > 0))
            .ToList();
        var text = string.Join("\n", kept.Select(Csv.Format));
        var read = Csv.Read(new StringReader(text)).Select(r => r.Fields).ToList();
        return read.Count == kept.Count && read.Zip(kept).All(p => p.First.SequenceEqual(p.Second));
    }
}
