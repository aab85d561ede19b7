using System.Security.Cryptography;
using Duban.Data;
using Microsoft.AspNetCore.Identity;

namespace Duban.Web.Security;

/// <summary>What a sign-in attempt came to. Every failure is shown with the same <see cref="PasswordSignIn.Refusal"/>.</summary>
public enum SignInOutcome
{
    SignedIn,
    Refused,
    Throttled,
}

/// <summary>
/// Signing in with a user name and password, so that it can be used neither to lock others out nor to find user
/// names: no hard lockout (back-off per user name and per source address instead, <see cref="SignInFailures"/>),
/// one message for every failure, and an unknown user name costs the same password-hash check as a known one.
/// An administrator's 停用 (a lock with no end) still refuses, with the same message.
/// </summary>
public sealed class PasswordSignIn(UserManager<User> users, SignInManager<User> signIn, SignInFailures failures, SecurityEvents events,
    DummyPasswordHash dummy)
{
    /// <summary>The one message for a wrong user name, a wrong password, a disabled account or too many attempts.</summary>
    public const string Refusal = "用户名或密码错误，或尝试过于频繁，请稍后再试。";

    /// <summary>Tries the password; on success the sign-in cookie is issued. The wait is how long a
    /// throttled attempt must still wait.</summary>
    public async Task<(SignInOutcome Outcome, TimeSpan Wait)> TryAsync(HttpContext http, string userName, string password,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        userName = (userName ?? string.Empty).Trim();
        password ??= string.Empty;
        var address = ClientAddress.Of(http);
        // A throttled attempt is refused before any hash is computed: cheap, and it tells nothing about the name.
        var wait = await failures.WaitAsync(userName, address, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            events.SignInThrottled(userName, address, wait);
            return (SignInOutcome.Throttled, wait);
        }

        var user = userName.Length == 0 ? null : await users.FindByNameAsync(userName);
        bool passwordRight;
        if (user is null)
        {
            // The same PBKDF2 work as a real check, against a hash no password matches.
            dummy.Verify(password);
            passwordRight = false;
        }
        else
        {
            passwordRight = await users.CheckPasswordAsync(user, password);
        }

        if (user is null || !passwordRight || await users.IsLockedOutAsync(user))
        {
            await failures.RecordFailureAsync(userName, address, cancellationToken);
            await events.SignInFailedAsync(userName, address, cancellationToken);
            return (SignInOutcome.Refused, TimeSpan.Zero);
        }

        await failures.ClearAccountAsync(userName, cancellationToken);
        await signIn.SignInAsync(user, isPersistent: false);
        await events.SignedInAsync(user, address, cancellationToken);
        return (SignInOutcome.SignedIn, TimeSpan.Zero);
    }
}

/// <summary>A password hash made once per process from random bytes, with the same hasher (and so the same cost)
/// as real accounts; checking a password against it takes as long as checking a real one.</summary>
public sealed class DummyPasswordHash(IPasswordHasher<User> hasher)
{
    private static readonly User Nobody = new() { DisplayName = string.Empty };
    private static readonly Lock Gate = new();
    private static string? _hash;

    public void Verify(string password)
    {
        string hash;
        lock (Gate)
        {
            hash = _hash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        }

        _ = hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
