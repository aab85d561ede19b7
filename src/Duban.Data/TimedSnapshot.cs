using System.Diagnostics;

namespace Duban.Data;

/// <summary>
/// A value read from the database once and shared by every request for <see cref="Lifetime"/>; one request reads it
/// while the others wait, and <see cref="Invalidate"/> makes the next request read it again (a change made on this
/// instance). Changes made elsewhere (another instance, the command line) are seen within the lifetime.
/// </summary>
public sealed class TimedSnapshot<T>(TimeSpan lifetime)
    where T : class
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Entry? _current;

    private sealed record Entry(T Value, long LoadedAt);

    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>The current value, read by <paramref name="read"/> when there is none or it is older than the lifetime.</summary>
    public async ValueTask<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (Fresh(_current) is { } current)
        {
            return current.Value;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_current) is { } loaded)
            {
                return loaded.Value; // another request read it while this one waited
            }

            var started = Stopwatch.GetTimestamp();
            var value = await read(cancellationToken);
            _current = new Entry(value, started);
            return value;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Forgets the value: the next request reads it again.</summary>
    public void Invalidate() => _current = null;

    private Entry? Fresh(Entry? entry) => entry is not null && Stopwatch.GetElapsedTime(entry.LoadedAt) < Lifetime ? entry : null;
}
