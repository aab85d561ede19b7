namespace Duban.Tests;

/// <summary>
/// A clock tests set to any instant, backwards too, for fixtures shared by tests that run in any order.
/// (FakeTimeProvider refuses to go back; use it where timers must fire.)
/// </summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private long _utcTicks = now.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void SetUtcNow(DateTimeOffset value) => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
