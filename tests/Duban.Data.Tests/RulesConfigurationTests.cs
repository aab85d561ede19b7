using Duban.Data;
using Duban.TimeLimits;
using Microsoft.Extensions.Configuration;

namespace Duban.Tests;

public sealed class RulesConfigurationTests
{
    private static Rules Read(params (string Key, string Value)[] settings) =>
        Rules.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Defaults_AreTheShippedProfiles()
    {
        var rules = Read();

        Assert.Equal(["13710", "13710-days", "13710-month", "petition", "urgent"], rules.Profiles.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TimeLimit.WorkingDays(5), rules.LifecycleOptions.RatingWindow);
    }

    [Fact]
    public void AConfiguredProfile_ReplacesAShippedOneOfItsName_AndIsUsableByTheLifecycle()
    {
        var rules = Read(
            ("TimeLimits:Profiles:petition:DisplayName", "信访件"),
            ("TimeLimits:Profiles:petition:Stages:acknowledge:Limit", "3wd"),
            ("TimeLimits:Profiles:petition:Stages:feedback:Limit", "15d"),
            ("TimeLimits:Profiles:petition:Stages:complete:Limit", "60d"),
            ("TimeLimits:Profiles:petition:Stages:complete:DueSoon", "5wd"),
            ("TimeLimits:RatingWindow", "10wd"));

        var petition = Assert.Single(rules.Profiles, p => p.Name == "petition");
        Assert.Equal("信访件", petition.DisplayName);
        Assert.Equal(TimeLimit.CalendarDays(60), petition.For(Stage.Complete).Limit);
        Assert.Equal(TimeLimit.WorkingDays(5), petition.For(Stage.Complete).DueSoonWindow);
        Assert.Equal(TimeLimit.WorkingDays(10), rules.LifecycleOptions.RatingWindow);
        Assert.True(rules.Lifecycle().Profiles.ContainsKey("petition"));
    }

    [Theory]
    [InlineData("TimeLimits:Profiles:x:Stages:complete:Limit", "7 weeks", "TimeLimits:Profiles:x:Stages:complete:Limit")]
    [InlineData("TimeLimits:Profiles:x:Stages:acknowledge:DueSoon", "soon", "TimeLimits:Profiles:x:Stages:acknowledge:DueSoon")]
    [InlineData("TimeLimits:RatingWindow", "a while", "TimeLimits:RatingWindow")]
    public void AMalformedValue_StopsStartUp_NamingTheKey(string key, string value, string named)
    {
        var settings = new List<(string, string)> { (key, value) };
        if (key.Contains(":x:", StringComparison.Ordinal))
        {
            foreach (var stage in new[] { "acknowledge", "feedback", "complete" })
            {
                if (!key.Contains($":{stage}:Limit", StringComparison.Ordinal))
                {
                    settings.Add(($"TimeLimits:Profiles:x:Stages:{stage}:Limit", "3wd"));
                }
            }
        }

        var error = Assert.Throws<FormatException>(() => Read([.. settings]));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProfileMissingAStage_StopsStartUp_NamingTheStage()
    {
        var error = Assert.Throws<FormatException>(() => Read(("TimeLimits:Profiles:x:Stages:complete:Limit", "7wd")));

        Assert.Contains("TimeLimits:Profiles:x:Stages:acknowledge", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("sqlserver")]
    public void AnUnknownDatabaseProvider_StopsStartUp_NamingTheKey(string provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Database:Provider", provider)]).Build();

        var error = Assert.Throws<InvalidOperationException>(() => DatabaseOptions.From(configuration));

        Assert.Contains("Database:Provider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfiguredChain_ReplacesOnlyTheRungsItNames()
    {
        var rules = Read(
            ("Escalation:Chains:13710:acknowledge:Supervise", "0"),
            ("Escalation:Chains:13710:acknowledge:Accountability", "3"),
            ("Escalation:Chains:13710:complete:Warning", "off"),
            ("Escalation:WorkingHours", "08:30-17:30"));

        var acknowledge = rules.Escalation.ChainFor("13710", Stage.Acknowledge, Duban.Escalation.SupervisionLevel.None);
        var complete = rules.Escalation.ChainFor("13710", Stage.Complete, Duban.Escalation.SupervisionLevel.None);
        var feedback = rules.Escalation.ChainFor("13710", Stage.Feedback, Duban.Escalation.SupervisionLevel.None);

        Assert.Equal([0, 0, 0, 3], acknowledge.Steps.Select(st => st.WorkingDaysAfterDue));
        Assert.DoesNotContain(complete.Steps, st => st.Kind == Duban.Escalation.EscalationKind.Warning);
        Assert.Same(Duban.Escalation.EscalationChain.Default, feedback);
        Assert.Equal(new TimeOnly(8, 30), rules.Escalation.Hours.Opens);
    }

    [Theory]
    [InlineData("Escalation:Chains:13710:acknowledge:Supervise", "tomorrow", "Escalation:Chains:13710:acknowledge:Supervise")]
    [InlineData("Escalation:Chains:13710:sign:Urge", "0", "Escalation:Chains:13710:sign")]
    [InlineData("Escalation:WorkingHours", "9 to 5", "Escalation:WorkingHours")]
    [InlineData("TimeLimits:ExtensionNoticeWorkingDays", "-1", "TimeLimits:ExtensionNoticeWorkingDays")]
    public void AMalformedEscalationSetting_StopsStartUp_NamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<FormatException>(() => Read((key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
