using System.Globalization;
using Duban.Data;

namespace Duban.Web.Security;

/// <summary>
/// The one place sign-in events are written: success, failure, throttling, logout and a session refused after it
/// ended. Structured log events with fixed ids (user name and source address, never a password); sign-ins, failed
/// sign-ins and logouts are also records of the audit chain (<see cref="AuditTrail"/>). Throttled attempts and
/// refused cookies are only logged: they cost an attacker nothing, and each would otherwise add a record.
/// </summary>
public sealed partial class SecurityEvents(ILogger<SecurityEvents> logger, DubanDbContext db)
{
    /// <summary>Event ids, stable for log searches and alerts.</summary>
    public static class Ids
    {
        public const int SignedIn = 1700, SignInFailed = 1701, SignInThrottled = 1702, SignedOut = 1703, SessionRejected = 1704;
    }

    /// <summary>The longest user name written (a typed name can be anything; longer is cut).</summary>
    private const int NameLength = 64;

    public async Task SignedInAsync(User user, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = Cut(user.UserName);
        LogSignedIn(logger, name, address);
        await AuditAsync(new AuditActor("user:" + user.Id.ToString(CultureInfo.InvariantCulture), user.DisplayName, user.UnitId, address),
            "sign-in", name, cancellationToken);
    }

    public async Task SignInFailedAsync(string userName, string address, CancellationToken cancellationToken)
    {
        var name = Cut(userName);
        LogSignInFailed(logger, name, address);
        await AuditAsync(new AuditActor("anonymous", "公众", null, address), "sign-in-failed", name, cancellationToken);
    }

    public void SignInThrottled(string userName, string address, TimeSpan wait) =>
        LogSignInThrottled(logger, Cut(userName), address, (int)Math.Ceiling(wait.TotalSeconds));

    public async Task SignedOutAsync(string userName, string address, CancellationToken cancellationToken)
    {
        var name = Cut(userName);
        LogSignedOut(logger, name, address);
        await AuditAsync(AuditActor.Current, "sign-out", name, cancellationToken);
    }

    public void SessionRejected(string userId, string address) => LogSessionRejected(logger, userId, address);

    /// <summary>An audit record of the account's event, by the given actor.</summary>
    private async Task AuditAsync(AuditActor actor, string action, string userName, CancellationToken cancellationToken)
    {
        using (AuditActor.Use(actor))
        {
            await AuditTrail.RecordAsync(db, action, "account", userName, null, [], cancellationToken);
        }
    }

    private static string Cut(string? name) => name is null ? string.Empty : name.Length > NameLength ? name[..NameLength] : name;

    [LoggerMessage(EventId = Ids.SignedIn, EventName = "SignedIn", Level = LogLevel.Information,
        Message = "Sign-in succeeded for {UserName} from {Address}")]
    private static partial void LogSignedIn(ILogger logger, string userName, string address);

    [LoggerMessage(EventId = Ids.SignInFailed, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in failed for {UserName} from {Address}")]
    private static partial void LogSignInFailed(ILogger logger, string userName, string address);

    [LoggerMessage(EventId = Ids.SignInThrottled, EventName = "SignInThrottled", Level = LogLevel.Warning,
        Message = "Sign-in throttled for {UserName} from {Address}: {WaitSeconds} s to wait")]
    private static partial void LogSignInThrottled(ILogger logger, string userName, string address, int waitSeconds);

    [LoggerMessage(EventId = Ids.SignedOut, EventName = "SignedOut", Level = LogLevel.Information,
        Message = "Signed out {UserName} from {Address}; the person's sessions are ended")]
    private static partial void LogSignedOut(ILogger logger, string userName, string address);

    [LoggerMessage(EventId = Ids.SessionRejected, EventName = "SessionRejected", Level = LogLevel.Information,
        Message = "A session cookie of user {UserId} from {Address} was refused: the session had ended")]
    private static partial void LogSessionRejected(ILogger logger, string userId, string address);
}
