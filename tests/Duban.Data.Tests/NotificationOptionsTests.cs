using Duban.Data;
using Microsoft.Extensions.Configuration;

namespace Duban.Tests;

public sealed class NotificationOptionsTests
{
    private static NotificationOptions Read(params (string Key, string Value)[] settings) =>
        NotificationOptions.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Defaults_BackOffOneTwoFour_CappedAtAnHour_AndLinkToTheLocalApp()
    {
        var options = Read();

        Assert.Equal(8, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.False(options.Email.Enabled);
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(a => options.Backoff(a).TotalMinutes));
        Assert.Equal("http://127.0.0.1:5080/matters/5", options.Link("/matters/5"));
        Assert.True(options.ClaimLease > options.Timeout);
    }

    [Fact]
    public void APublicUrlWithAPath_KeepsItsPath()
    {
        Assert.Equal("https://gov.example.test/duban/matters/5", Read(("Duban:PublicUrl", "https://gov.example.test/duban/")).Link("/matters/5"));
    }

    [Theory]
    [InlineData("Delivery:MaxAttempts", "0")]
    [InlineData("Delivery:MaxAttempts", "many")]
    [InlineData("Delivery:RetryBase", "1m")]
    [InlineData("Delivery:Timeout", "-00:00:01")]
    [InlineData("Duban:PublicUrl", "duban.example.test")]
    [InlineData("Email:Port", "70000")]
    [InlineData("Email:From", "not an address")]
    [InlineData("Email:Security", "maybe")]
    [InlineData("Email:Enabled", "yes")]
    public void AMalformedValue_NamesItsKey(string key, string value)
    {
        var error = Assert.Throws<FormatException>(() => Read((key, value)));

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailEnabled_NeedsAHostAndASender()
    {
        Assert.StartsWith("Email:Host:", Assert.Throws<FormatException>(() => Read(("Email:Enabled", "true"), ("Email:From", "a@b.test"))).Message, StringComparison.Ordinal);
        Assert.StartsWith("Email:From:", Assert.Throws<FormatException>(() => Read(("Email:Enabled", "true"), ("Email:Host", "smtp.b.test"))).Message, StringComparison.Ordinal);
        Assert.Equal("smtp.b.test", Read(("Email:Enabled", "true"), ("Email:Host", "smtp.b.test"), ("Email:From", "督办 <a@b.test>")).Email.Host);
    }
}
