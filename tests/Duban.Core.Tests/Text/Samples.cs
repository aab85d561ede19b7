namespace Duban.Tests.Text;

/// <summary>The sample documents copied beside the tests (real extracted text, see Samples/README.md).</summary>
internal static class Samples
{
    /// <summary>A district leader's speech from a document-sharing site: an advertising header, 第一，…第四，….</summary>
    public static string Speech => Read("001_ccca6c0d88b9b88c.txt");

    /// <summary>A city daily's page in PDF column order with three meeting reports.</summary>
    public static string NewspaperPage => Read("003_5e687cdc2cbc55ee.txt");

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Text", "Samples", name));
}
