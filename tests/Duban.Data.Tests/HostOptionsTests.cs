using Duban.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary><c>Escalation:*</c>, <c>Portal:*</c> and <c>Similarity:*</c>: defaults as documented, and a malformed value
/// stops start-up with a message that names its key.</summary>
public sealed class HostOptionsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Defaults_SweepEveryMinute_FiveSubmitsAndSixtyLookups_BackfillAThousandPagesOnStart()
    {
        var escalation = EscalationOptions.FromConfiguration(Settings());
        var portal = PortalOptions.FromConfiguration(Settings());
        var similarity = SimilarityOptions.FromConfiguration(Settings());

        Assert.Equal((true, TimeSpan.FromMinutes(1)), (escalation.SweepEnabled, escalation.SweepInterval));
        Assert.Equal(EscalationPolicy.Default.Hours, escalation.Policy.Hours);
        Assert.Equal(new PortalOptions(5, 60), portal);
        Assert.Equal(new SimilarityOptions(true, 1000), similarity);
    }

    [Fact]
    public void ConfiguredValues_AreRead()
    {
        var escalation = EscalationOptions.FromConfiguration(Settings(("Escalation:SweepEnabled", "false"), ("Escalation:SweepInterval", "00:00:30"),
            ("Escalation:WorkingHours", "08:30-17:30")));
        var portal = PortalOptions.FromConfiguration(Settings(("Portal:SubmitPerMinute", "2"), ("Portal:LookupPerMinute", "3")));
        var similarity = SimilarityOptions.FromConfiguration(Settings(("Similarity:BackfillOnStart", "False"), ("Similarity:BackfillMaxPages", "0")));

        Assert.Equal((false, TimeSpan.FromSeconds(30)), (escalation.SweepEnabled, escalation.SweepInterval));
        Assert.Equal(new TimeOnly(8, 30), escalation.Policy.Hours.Opens);
        Assert.Equal(new PortalOptions(2, 3), portal);
        Assert.Equal(new SimilarityOptions(false, 0), similarity);
    }

    [Theory]
    [InlineData("Escalation:SweepEnabled", "yes")]
    [InlineData("Escalation:SweepInterval", "every minute")]
    [InlineData("Escalation:SweepInterval", "00:00:00")]
    [InlineData("Escalation:SweepInterval", "-00:01:00")]
    [InlineData("Escalation:WorkingHours", "9 to 5")]
    [InlineData("Portal:SubmitPerMinute", "0")]
    [InlineData("Portal:SubmitPerMinute", "-5")]
    [InlineData("Portal:SubmitPerMinute", "five")]
    [InlineData("Portal:LookupPerMinute", "1e3")]
    [InlineData("Portal:LookupPerMinute", "100001")]
    [InlineData("Similarity:BackfillOnStart", "no")]
    [InlineData("Similarity:BackfillMaxPages", "-1")]
    [InlineData("Similarity:BackfillMaxPages", "all")]
    [InlineData("Similarity:BackfillMaxPages", "1000001")]
    public void AMalformedValue_NamesItsKey(string key, string value)
    {
        var settings = Settings((key, value));
        Func<object> read = key.Split(':')[0] switch
        {
            "Escalation" => () => EscalationOptions.FromConfiguration(settings),
            "Portal" => () => PortalOptions.FromConfiguration(settings),
            _ => () => SimilarityOptions.FromConfiguration(settings),
        };

        var error = Assert.Throws<FormatException>(read);

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Escalation:SweepInterval", "soon", typeof(EscalationOptions))]
    [InlineData("Portal:LookupPerMinute", "many", typeof(PortalOptions))]
    [InlineData("Similarity:BackfillMaxPages", "all", typeof(SimilarityOptions))]
    public void TheRegisteredOptions_RefuseAMalformedValue_NamingItsKey(string key, string value, Type options)
    {
        using var services = new ServiceCollection().AddSingleton(Settings((key, value))).AddDubanData().BuildServiceProvider();

        var error = Assert.Throws<FormatException>(() => services.GetRequiredService(options));

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadSweepSetting_AlsoStopsTheRules_WhichReadTheChainsThroughTheSameOptions()
    {
        var error = Assert.Throws<FormatException>(() => Rules.FromConfiguration(Settings(("Escalation:SweepInterval", "soon"))));

        Assert.StartsWith("Escalation:SweepInterval:", error.Message, StringComparison.Ordinal);
    }
}
