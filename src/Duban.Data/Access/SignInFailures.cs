using Duban.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>One failed sign-in counted against a key: <c>account:NAME</c> (the normalised user name, whether or not
/// such a person exists) or <c>address:IP</c>. Kept in the database so every instance throttles alike.</summary>
public sealed class SignInFailure
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> e)
    {
        e.ToTable("sign_in_failures");
        e.Property(f => f.Key).HasMaxLength(SignInFailures.KeyLength);
        e.HasIndex(f => new { f.Key, f.At });
        e.HasIndex(f => f.At); // forgotten by age
    }
}

/// <summary>
/// Sign-in throttling per user name and per source address (<see cref="SignInThrottle"/>), kept in the database so
/// several instances agree. A throttled attempt is refused before any password is checked and is not itself counted,
/// so the wait after a run of failures is bounded by the policy's cap.
/// </summary>
public sealed class SignInFailures(DubanDbContext db, TimeProvider clock)
{
    /// <summary>The longest key stored; longer user names are cut (they are never real ones).</summary>
    public const int KeyLength = 200;

    private static readonly TimeSpan Remember = SignInThrottle.PerAccount.Window > SignInThrottle.PerAddress.Window
        ? SignInThrottle.PerAccount.Window
        : SignInThrottle.PerAddress.Window;

    /// <summary>How long an attempt for this user name from this address must still wait (zero: go ahead).</summary>
    public async Task<TimeSpan> WaitAsync(string userName, string address, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        string account = AccountKey(userName), source = AddressKey(address);
        var since = now - Remember;
        var rows = await db.SignInFailures.AsNoTracking()
            .Where(f => (f.Key == account || f.Key == source) && f.At > since)
            .Select(f => new { f.Key, f.At }).ToListAsync(cancellationToken);
        var byAccount = SignInThrottle.PerAccount.WaitAt(rows.Where(r => r.Key == account).Select(r => r.At), now);
        var byAddress = SignInThrottle.PerAddress.WaitAt(rows.Where(r => r.Key == source).Select(r => r.At), now);
        return byAccount > byAddress ? byAccount : byAddress;
    }

    /// <summary>Counts a failure against the user name and the address, and forgets failures past the window.</summary>
    public async Task RecordFailureAsync(string userName, string address, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        db.SignInFailures.AddRange(
            new SignInFailure { Key = AccountKey(userName), At = now },
            new SignInFailure { Key = AddressKey(address), At = now });
        await db.SaveChangesAsync(cancellationToken);
        var forget = now - Remember;
        await db.SignInFailures.Where(f => f.At < forget).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A successful sign-in clears the user name's failures (not the address's: signing in to one's own
    /// account must not reset a guesser's count).</summary>
    public async Task ClearAccountAsync(string userName, CancellationToken cancellationToken = default)
    {
        var account = AccountKey(userName);
        await db.SignInFailures.Where(f => f.Key == account).ExecuteDeleteAsync(cancellationToken);
    }

    private static string AccountKey(string userName) => Cut("account:" + (userName ?? string.Empty).Trim().ToUpperInvariant());

    private static string AddressKey(string address) => Cut("address:" + address);

    private static string Cut(string key) => key.Length > KeyLength ? key[..KeyLength] : key;
}
