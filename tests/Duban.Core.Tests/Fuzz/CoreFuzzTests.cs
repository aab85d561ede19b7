using System.Globalization;
using System.IO.Compression;
using System.Text;
using Duban.Attachments;
using Duban.Calendar;
using Duban.Tabular;
using Duban.Tests.Attachments;
using Duban.Tests.Text;
using Duban.Text;
using Duban.TimeLimits;
using Xunit.Abstractions;

namespace Duban.Tests.Fuzz;

/// <summary>
/// Fuzzing of the pure core (issue 17 part 5): the text cleaner, the directive extractor, the CSV reader and text
/// decoding, cell values and date parsing, the calendar and time limits, the compound-file (.doc) reader, the
/// attachment classifier and the zip-bomb check. Each target's property: no exception but the documented refusal,
/// and the documented invariants. Together about 45 s of the default 60 (<see cref="Fuzzer"/>).
/// </summary>
public sealed class CoreFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] SpeechSeeds = [Samples.Speech, Samples.NewspaperPage, "市长强调，一要抓落实；二要抓进度。第一，加强领导。第二，压实责任。（一）完善机制（二）强化督查 1.明确 2.落实"];

    [Fact]
    public void TextCleaner_NeverThrows_IsIdempotent_LeavesNoBlankLine_AndNeverGrows() =>
        Fuzzer.Run("text-cleaner", 0.12, Fuzzer.Strings(SpeechSeeds), text =>
        {
            var once = TextCleaner.Clean(text);
            Assert.Equal(once, TextCleaner.Clean(once));
            Assert.DoesNotContain("\n\n", once, StringComparison.Ordinal);
            Assert.True(once.Length <= text.Length, $"{once.Length} > {text.Length}");
        }, Encoding.UTF8.GetBytes, output.WriteLine);

    [Fact]
    public void DirectiveExtractor_NeverThrows_ItemsAreNumberedFromOne_AndHoldTextOfTheInput() =>
        Fuzzer.Run("directive-extractor", 0.12, Fuzzer.Strings(SpeechSeeds), text =>
        {
            var groups = DirectiveExtractor.Extract(text);
            foreach (var group in groups)
            {
                Assert.NotEmpty(group.Items);
                Assert.Equal(Enumerable.Range(1, group.Items.Count), group.Items.Select(i => i.Ordinal));
                Assert.All(group.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Text)));
            }

            Assert.True(groups.Sum(g => g.Items.Sum(i => i.Text.Length)) <= text.Length * 2 + 16);
        }, Encoding.UTF8.GetBytes, output.WriteLine);

    private static readonly byte[] CsvSeed = Encoding.UTF8.GetBytes("标题,内容,区域\r\n\"噪音, 扰民\",\"夜间\"\"施工\"\"\n噪音\",K-T\r\n油烟,餐馆油烟,\r\n");

    [Fact]
    public void CsvReader_NeverThrows_OnAnyDecodedBytes_AndCountsLinesUpward() =>
        Fuzzer.Run("csv-reader", 0.1, Fuzzer.Bytes(CsvSeed, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("标题,内容\r\n甲,乙\r\n")],
            CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes("标题,内容\r\n甲,乙\r\n")), bytes =>
        {
            using var stream = new MemoryStream(bytes);
            Encoding encoding;
            try
            {
                encoding = TextDecoding.Detect(stream);
            }
            catch (FormatException)
            {
                return; // the documented refusal: neither UTF-8 nor GB18030
            }

            using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false);
            var line = 0;
            try
            {
                foreach (var record in Csv.Read(reader))
                {
                    Assert.True(record.Line > line);
                    line = record.Line;
                }
            }
            catch (DecoderFallbackException)
            {
                // UTF-16 found by its mark is not checked byte by byte (a lone surrogate throws while reading):
                // Spreadsheet refuses the file for it, which SpreadsheetFuzzTests holds.
            }
        }, b => b, output.WriteLine);

    [Fact]
    public void Csv_FormatThenRead_GivesTheFieldsBack() =>
        Fuzzer.Run("csv-round-trip", 0.05, random =>
        {
            var strings = Fuzzer.Strings("甲,乙\"丙\r\n丁");
            return Enumerable.Range(0, random.Next(1, 6)).Select(_ => strings(random).Replace("\r", "", StringComparison.Ordinal)).ToArray();
        }, fields =>
        {
            if (fields.Length == 1 && fields[0].Length == 0 || fields[0].StartsWith('\uFEFF'))
            {
                return; // one empty field is a blank line, which the reader skips; a mark at the very start is not data
            }

            var read = Csv.Read(new StringReader(Csv.Format(fields) + "\r\n")).ToList();
            Assert.Single(read);
            Assert.Equal(fields, read[0].Fields);
        }, f => Encoding.UTF8.GetBytes(string.Join("\u241E", f)), output.WriteLine);

    [Fact]
    public void DatesFromPeopleAndFiles_NeverThrow_AndParsedDatesAreInRange() =>
        Fuzzer.Run("dates", 0.06, Fuzzer.Strings("2024-03-01", "2024/3/1 09:00", "2024年3月1日", "9999-12-31T23:59:59", "0001-01-01", "2024-02-30", "45352.375", "7wd", "15d", "48h"), text =>
        {
            if (ChinaTime.TryParseDate(text, out var date))
            {
                Assert.True(ChinaTime.IsInRange(date), date.ToString("O", CultureInfo.InvariantCulture));
            }

            if (ChinaTime.TryParseDeadline(text, out var deadline))
            {
                Assert.True(ChinaTime.IsInRange(ChinaTime.DateOf(deadline)));
            }

            if (ChinaTime.TryParseInstant(text, out var instant))
            {
                Assert.True(ChinaTime.IsInRange(ChinaTime.DateOf(instant)));
            }

            if (CellValues.TryParseInstant(text, out var cell))
            {
                Assert.True(ChinaTime.IsInRange(ChinaTime.DateOf(cell)));
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && CellValues.TryParseInstant(serial, out var fromSerial))
            {
                Assert.True(ChinaTime.IsInRange(ChinaTime.DateOf(fromSerial)));
            }

            _ = CellValues.ColumnIndex(text);
            if (TimeLimit.TryParse(text, out var limit))
            {
                Assert.InRange(limit.Amount, 1, TimeLimit.MaxAmount);
                Assert.Equal(limit, TimeLimit.TryParse(limit.ToString(), out var again) ? again : default);
            }
        }, Encoding.UTF8.GetBytes, output.WriteLine);

    [Fact]
    public void Calendar_AnyStartInRange_AnyLimit_DueIsNotBeforeTheStart() =>
        Fuzzer.Run("calendar", 0.06, random =>
        {
            var span = ChinaTime.LastDate.DayNumber - ChinaTime.FirstDate.DayNumber;
            var day = DateOnly.FromDayNumber(ChinaTime.FirstDate.DayNumber + (random.Next(4) == 0 ? random.Next(span + 1) : random.Next(span - 400, span + 1)));
            var start = ChinaTime.StartOf(day).AddMinutes(random.Next(24 * 60));
            var unit = (LimitUnit)random.Next(3);
            var amount = random.Next(4) == 0 ? TimeLimit.MaxAmount : random.Next(1, TimeLimit.MaxAmount + 1);
            return (start, limit: new TimeLimit(amount, unit));
        }, input =>
        {
            var due = input.limit.DueFrom(input.start, WorkingCalendar.China);
            Assert.True(due.DueAt > input.start);
            Assert.True(input.limit.WindowStartBefore(due.DueAt, WorkingCalendar.China) <= due.DueAt);
            var calendar = WorkingCalendar.China;
            var day = ChinaTime.DateOf(input.start);
            Assert.True(calendar.NextWorkingDayOnOrAfter(day).Date >= day);
            Assert.True(calendar.WorkingDaysBetween(day, ChinaTime.DateOf(due.DueAt)) >= 0);
        }, i => Encoding.UTF8.GetBytes(FormattableString.Invariant($"{i.start:O} {i.limit}")), output.WriteLine);

    [Fact]
    public void CompoundFileAndClassifier_NeverThrow_ButTheDocumentedRefusal() =>
        Fuzzer.Run("compound-file", 0.1, Fuzzer.Bytes(SampleFiles.Doc, SampleFiles.Xls, SampleFiles.DocWithMacros, SampleFiles.XlsWithMacros, SampleFiles.Docx, SampleFiles.Xlsx, SampleFiles.Pdf), bytes =>
        {
            using var stream = new MemoryStream(bytes);
            _ = CompoundFile.EntryNames(stream);
            Assert.Equal(0, stream.Position);
            foreach (var name in (string[])["a.doc", "a.xls", "a.docx", "a.xlsx", "a.txt", "a.pdf"])
            {
                try
                {
                    AttachmentPolicy.Classify(name, stream);
                }
                catch (AttachmentRefusedException)
                {
                    // the documented refusal
                }
            }
        }, b => b, output.WriteLine);

    private static readonly byte[] SmallXlsx = Zipped(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"), ("xl/worksheets/sheet1.xml", new string('x', 5000)));

    private static byte[] Zipped(params (string Name, string Text)[] parts)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in parts)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public void ZipBombCheck_NeverThrows_OnAnyDamage() =>
        Fuzzer.Run("zip-bombs", 0.09, Fuzzer.Bytes(SmallXlsx, SampleFiles.Docx, SampleFiles.Docm), bytes =>
        {
            using var stream = new MemoryStream(bytes);
            _ = ZipBombs.Reason(stream, 64L << 20, 200);
            Assert.Equal(0, stream.Position);
        }, b => b, output.WriteLine);

    // Regressions: each crash the fuzzing found, by name.

    /// <summary>A zip whose local header is cut short escaped <see cref="ZipBombs.Reason"/> as an EndOfStreamException
    /// (a 500 on upload); it is now the refusal of a damaged file.</summary>
    [Fact]
    public void ZipBombs_LocalHeaderCutShort_IsDamaged_NotAnException()
    {
        // The fuzzer's input (zip-bombs, seed 75091241): a small workbook whose last local header runs past the end.
        using var cut = new MemoryStream(Convert.FromBase64String(
            "UEsDBBQAAAAIABJrhV3HHBc8CgAAAAgAAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbLMJqSxILda3AwBQSwMEFAAAAAgAEmuFXc6emBMNAAAACwAAAA8AAAB4bC93b3JrYm9vay54bWyzKc8vyk7Kz8/WtwMAUEsDBBQAAAAIABJrhV0m8NsAFgAAAIgTAAAY////f2wvd29ya3NoZWV0cy9zaGVldDEueG1s7cExAQAAAMKg2otvCj+gAAAAAIDOBlBLAQIUAxQAAAAIABJrhV3HHBc8CgAAAAgAAAATAAAAAAAAAAAAAACkgQAAAABbQ29udGVudF9UeXBlc10ueG1sUEsBAhQDFAAAAAgAEmuFXc6emBMNAAAACwAAAA8AAAAAAAAAAAAAAKSBOwAAAHhsL3dvcmtib29rLnhtbFBLAQIUAxQAAAAIABJrhV0m8NsAFgAAAIgTAAAYAAAAAAAAAAAAYEMwYx97twxhPYuAoAAApIF1AAAAeGwvd29ya3NoZWV0cy9zaGVldDEueG1sUEsFBgAAAAADAAMAxAAAAMEAAAAAAA=="));
        Assert.NotNull(ZipBombs.Reason(cut, 64L << 20, 200));
    }

    /// <summary>Spreadsheet serials at the ends (1 is 1899-12-31, 2958465 is 9999-12-31) were taken as dates outside
    /// 1900–2199, the range every other way in refuses.</summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(2958465.0)]
    [InlineData(109575.0)] // 2199-12-31 + 1 day and more
    public void CellSerials_OutsideTheDateRange_AreNotDates(double serial)
    {
        Assert.False(CellValues.TryParseInstant(serial, out _));
        Assert.False(CellValues.TryParseInstant(serial.ToString(CultureInfo.InvariantCulture), out _));
    }

    /// <summary>Regression (found by the fuzzer, seed 75973233): a numbering word at the very end ("二要") made an item
    /// with no text, which would become a task with an empty title.</summary>
    [Fact]
    public void DirectiveExtractor_NumberingWordAtTheEnd_IsNoEmptyItem()
    {
        var groups = DirectiveExtractor.Extract("市长强调，一要抓落实；二要");
        Assert.All(groups.SelectMany(g => g.Items), i => Assert.False(string.IsNullOrWhiteSpace(i.Text)));
    }
}
