namespace Duban.Web.Security;

/// <summary>
/// The one place sign-in events are written: success, failure, throttling, logout and a session refused after it
/// ended. Structured log events with fixed ids (user name and source address, never a password); the audit chain
/// writes these same events as audit records through this seam.
/// </summary>
public sealed partial class SecurityEvents(ILogger<SecurityEvents> logger)
{
    /// <summary>Event ids, stable for log searches and alerts.</summary>
    public static class Ids
    {
        public const int SignedIn = 1700, SignInFailed = 1701, SignInThrottled = 1702, SignedOut = 1703, SessionRejected = 1704;
    }

    /// <summary>The longest user name written (a typed name can be anything; longer is cut).</summary>
    private const int NameLength = 64;

    public void SignedIn(string userName, string address) => LogSignedIn(logger, Cut(userName), address);

    public void SignInFailed(string userName, string address) => LogSignInFailed(logger, Cut(userName), address);

    public void SignInThrottled(string userName, string address, TimeSpan wait) =>
        LogSignInThrottled(logger, Cut(userName), address, (int)Math.Ceiling(wait.TotalSeconds));

    public void SignedOut(string userName, string address) => LogSignedOut(logger, Cut(userName), address);

    public void SessionRejected(string userId, string address) => LogSessionRejected(logger, userId, address);

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
