using System.Globalization;

namespace Duban.Tests;

/// <summary>
/// Runs a test class under one culture, set for each test and restored after it. The calendar and label tests run
/// twice, as <c>_ZhCN</c> (how the office's machines are set) and <c>_Invariant</c> (a server's default), so no answer
/// depends on the culture of the machine that runs them.
/// </summary>
public abstract class CulturePinned : IDisposable
{
    public const string ZhCN = "zh-CN", Invariant = "";

    private readonly CultureInfo _previous = CultureInfo.CurrentCulture;
    private readonly CultureInfo _previousUi = CultureInfo.CurrentUICulture;

    protected CulturePinned(string culture)
    {
        Culture = CultureInfo.GetCultureInfo(culture);
        CultureInfo.CurrentCulture = Culture;
        CultureInfo.CurrentUICulture = Culture;
    }

    protected CultureInfo Culture { get; }

    [Fact]
    public void TheTestRunsUnderThePinnedCulture()
    {
        Assert.Equal(Culture, CultureInfo.CurrentCulture);
        Assert.Equal(Culture, CultureInfo.CurrentUICulture);
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _previous;
        CultureInfo.CurrentUICulture = _previousUi;
        GC.SuppressFinalize(this);
    }
}
