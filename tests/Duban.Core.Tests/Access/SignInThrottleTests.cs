using Duban.Access;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Access;

/// <summary>Failure times as seconds before "now" (0..3600), and an attempt some seconds later.</summary>
public sealed record FailureHistory(int[] SecondsAgo, int Later);

public static class FailureHistoryArbitrary
{
    public static Arbitrary<FailureHistory> Histories() => Arb.From(
        from count in Gen.Choose(0, 40)
        from ago in Gen.ArrayOf(Gen.Choose(0, 3600), count)
        from later in Gen.Choose(0, 2000)
        select new FailureHistory(ago, later));
}

[Properties(Arbitrary = [typeof(FailureHistoryArbitrary)], MaxTest = 500)]
public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset Now = new(2024, 2, 8, 2, 0, 0, TimeSpan.Zero);
    private static readonly SignInThrottle Account = SignInThrottle.PerAccount;

    private static DateTimeOffset[] Times(FailureHistory h) => [.. h.SecondsAgo.Select(s => Now.AddSeconds(-s))];

    [Fact]
    public void FiveFailures_AreFree_TheSixthAttemptWaitsTwoSeconds_TheNextFour()
    {
        var failures = Enumerable.Range(0, 4).Select(i => Now.AddSeconds(-10 + i)).ToList();
        Assert.Equal(TimeSpan.Zero, Account.WaitAt(failures, Now));
        failures.Add(Now);
        Assert.Equal(TimeSpan.FromSeconds(2), Account.WaitAt(failures, Now));
        Assert.Equal(TimeSpan.FromSeconds(1), Account.WaitAt(failures, Now.AddSeconds(1)));
        Assert.Equal(TimeSpan.Zero, Account.WaitAt(failures, Now.AddSeconds(2)));
        failures.Add(Now.AddSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(4), Account.WaitAt(failures, Now.AddSeconds(2)));
    }

    [Fact]
    public void TheWait_StopsGrowing_AtTheCap_AndOldFailuresAreForgotten()
    {
        var many = Enumerable.Range(0, 60).Select(i => Now.AddSeconds(-i)).ToList();
        Assert.Equal(TimeSpan.FromMinutes(5), Account.WaitAt(many, Now));
        Assert.Equal(TimeSpan.Zero, Account.WaitAt(many, Now.AddMinutes(16)));
        Assert.Equal(TimeSpan.FromMinutes(15), SignInThrottle.PerAddress.WaitAfter(40));
    }

    [Fact]
    public void ForeignClockAhead_CountsAsNow()
    {
        var ahead = Enumerable.Repeat(Now.AddMinutes(3), 5);
        Assert.Equal(TimeSpan.FromSeconds(2), Account.WaitAt(ahead, Now));
    }

    [Fact]
    public void RetryAfter_RoundsUp() =>
        Assert.Equal([1, 1, 2, 300], new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1.2), TimeSpan.FromMinutes(5) }
            .Select(SignInThrottle.RetryAfterSeconds));

    [Property]
    public bool FewerThanTheFreeFailures_InTheWindow_NeverWait(FailureHistory h)
    {
        var recent = h.SecondsAgo.Count(s => TimeSpan.FromSeconds(s) < Account.Window);
        return recent >= Account.FreeFailures || Account.WaitAt(Times(h), Now) == TimeSpan.Zero;
    }

    [Property]
    public bool TheWait_NeverExceedsTheCap(FailureHistory h) => Account.WaitAt(Times(h), Now) <= Account.MaxWait;

    [Property]
    public bool AnotherFailureNow_NeverShortensTheWait(FailureHistory h) =>
        Account.WaitAt([.. Times(h), Now], Now) >= Account.WaitAt(Times(h), Now);

    [Property]
    public bool AfterWaitingTheWait_TheAttemptGoesAhead(FailureHistory h)
    {
        var wait = Account.WaitAt(Times(h), Now);
        return Account.WaitAt(Times(h), Now + wait) == TimeSpan.Zero;
    }

    [Property]
    public bool LaterNeverWaitsLonger_ThanTheWaitLeft(FailureHistory h)
    {
        var wait = Account.WaitAt(Times(h), Now);
        var later = Now.AddSeconds(h.Later);
        var left = wait - TimeSpan.FromSeconds(h.Later);
        return Account.WaitAt(Times(h), later) <= (left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    [Property]
    public bool FailuresOutsideTheWindow_ChangeNothing(FailureHistory h)
    {
        var old = Enumerable.Range(0, 30).Select(i => Now - Account.Window - TimeSpan.FromSeconds(i));
        return Account.WaitAt([.. Times(h), .. old], Now) == Account.WaitAt(Times(h), Now);
    }
}
