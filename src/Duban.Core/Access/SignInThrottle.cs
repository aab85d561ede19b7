namespace Duban.Access;

/// <summary>
/// Back-off for failed sign-ins, in place of a lock anyone could trigger: the first <see cref="FreeFailures"/>
/// failures within <see cref="Window"/> cost nothing; after that, the next attempt must wait 2^n seconds after the
/// latest failure (n = failures beyond the free ones, so 2 s, 4 s, 8 s, …), never more than <see cref="MaxWait"/>.
/// Failures older than the window are forgotten. The same policy serves a user name and a source address, with
/// different numbers.
/// </summary>
/// <param name="FreeFailures">How many failures within the window cost nothing (at least 1).</param>
/// <param name="Window">How long a failure is remembered.</param>
/// <param name="MaxWait">The longest wait ever asked for.</param>
public sealed record SignInThrottle(int FreeFailures, TimeSpan Window, TimeSpan MaxWait)
{
    /// <summary>Per user name: 5 failures in 15 minutes are free; the wait stops growing at 5 minutes, so someone
    /// failing on purpose can slow an account's owner down but never lock them out for long.</summary>
    public static SignInThrottle PerAccount { get; } = new(5, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5));

    /// <summary>Per source address: 20 failures in 15 minutes are free (an office behind one address has many
    /// people), then the wait grows up to 15 minutes.</summary>
    public static SignInThrottle PerAddress { get; } = new(20, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));

    /// <summary>How long an attempt at <paramref name="now"/> must still wait, given the failure times (any order;
    /// times after <paramref name="now"/>, from a clock slightly ahead on another instance, count as now).
    /// <see cref="TimeSpan.Zero"/> when it may go ahead.</summary>
    public TimeSpan WaitAt(IEnumerable<DateTimeOffset> failures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var count = 0;
        var latest = DateTimeOffset.MinValue;
        foreach (var failure in failures)
        {
            var at = failure > now ? now : failure;
            if (now - at >= Window)
            {
                continue;
            }

            count++;
            latest = at > latest ? at : latest;
        }

        if (count < Math.Max(1, FreeFailures))
        {
            return TimeSpan.Zero;
        }

        var wait = WaitAfter(count - Math.Max(1, FreeFailures) + 1);
        var until = latest + wait;
        return until > now ? until - now : TimeSpan.Zero;
    }

    /// <summary>The wait after the n-th failure beyond the free ones: 2^n seconds, at most <see cref="MaxWait"/>.</summary>
    public TimeSpan WaitAfter(int beyondFree)
    {
        if (beyondFree <= 0)
        {
            return TimeSpan.Zero;
        }

        // 2^30 s is far past any sensible cap; stop doubling there so nothing overflows.
        var seconds = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(beyondFree, 30)));
        return seconds < MaxWait ? seconds : MaxWait;
    }

    /// <summary>A wait as whole seconds for <c>Retry-After</c> (rounded up, at least 1).</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
