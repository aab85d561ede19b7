using Duban.Appeals;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Appeals;

public sealed class TrackingCodeTests
{
    [Fact]
    public void New_Is12CharactersOfTheUnambiguousAlphabet_AndDiffersEachTime()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => TrackingCode.New()).ToList();

        Assert.All(codes, c => Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{12}$", c));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(codes, c => c.IndexOfAny(['0', 'O', '1', 'I', 'L', 'U']) >= 0);
    }

    [Fact]
    public void New_UsesEveryCharacterOfTheAlphabet_RoughlyEvenly()
    {
        var counts = string.Concat(Enumerable.Range(0, 5000).Select(_ => TrackingCode.New()))
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(TrackingCode.Alphabet.Length, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 1500, 2500)); // expected 2000 each (60,000 / 30)
    }

    [Theory]
    [InlineData("K7QM-9XHT-3RPW", "K7QM9XHT3RPW")]
    [InlineData("k7qm9xht3rpw", "K7QM9XHT3RPW")]
    [InlineData(" K7QM 9XHT 3RPW ", "K7QM9XHT3RPW")]
    [InlineData("K7QM–9XHT—3RPW", "K7QM9XHT3RPW")]
    public void TryParse_IgnoresCaseDashesAndSpaces(string typed, string bare)
    {
        Assert.True(TrackingCode.TryParse(typed, out var code));
        Assert.Equal(bare, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("K7QM-9XHT-3RP")]
    [InlineData("K7QM-9XHT-3RPWX")]
    [InlineData("K7QM-9XHT-3RP0")]
    [InlineData("' OR 1=1 --")]
    public void TryParse_RefusesWhatCannotBeACode(string? typed) => Assert.False(TrackingCode.TryParse(typed, out _));

    [Property(MaxTest = 300)]
    public Property FormatThenParse_RoundTrips() => Prop.ForAll(Arb.From(Gen.Fresh(TrackingCode.New)), code =>
        TrackingCode.TryParse(TrackingCode.Format(code), out var parsed) && parsed == code
        && TrackingCode.TryParse(TrackingCode.Format(code).ToLowerInvariant(), out var lower) && lower == code);
}
