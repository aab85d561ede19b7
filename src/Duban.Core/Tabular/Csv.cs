using System.Text;

namespace Duban.Tabular;

/// <summary>One CSV record and the line of the file where it starts (1-based), for row-by-row reports.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV, streamed: quoted fields may hold commas, doubled quotes and line breaks (appeal bodies do).
/// A leading byte-order mark is dropped; a record of one empty field (a blank line) is skipped.
/// </summary>
public static class Csv
{
    /// <summary>The records of a CSV text, read lazily.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldStarted = false;
        var first = true;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            var c = (char)next;
            if (first)
            {
                first = false;
                if (c == '\uFEFF')
                {
                    continue;
                }
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r':
                    break; // CRLF or a stray CR: the LF (if any) ends the record
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    if (fields.Count > 1 || fields[0].Length > 0)
                    {
                        yield return new CsvRecord(recordLine, fields.ToArray());
                    }

                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (fields.Count > 0 || field.Length > 0 || fieldStarted)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }

    /// <summary>One field, quoted when it must be.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>One record as a line (without the line break).</summary>
    public static string Format(IEnumerable<string> fields) => string.Join(',', fields.Select(Escape));

    /// <summary>The position of a named column in a header record, or a message naming the columns there are.</summary>
    public static int Column(IReadOnlyList<string> header, string name)
    {
        ArgumentNullException.ThrowIfNull(header);
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name.Trim(), StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new FormatException($"找不到列“{name}”；表头有：{string.Join("、", header)} / no column '{name}'");
    }
}
