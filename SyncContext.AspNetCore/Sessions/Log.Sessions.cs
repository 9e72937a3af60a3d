using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// The sessions' part of the one Log class, kept beside the feature. Event ids 110-119 are theirs.
internal static partial class Log
{
    [LoggerMessage(110, LogLevel.Error, "The session store {Store} threw while loading session {SessionKey}; the session is unavailable for this request (ISession.IsAvailable is false, or LoadAsync throws).", EventName = "SessionLoadFailed")]
    public static partial void SessionLoadFailed(ILogger logger, string store, string sessionKey, Exception exception);

    [LoggerMessage(111, LogLevel.Error, "The session store {Store} threw while saving session {SessionKey}; this request's session changes are lost, the response is unchanged and other sessions are not affected.", EventName = "SessionSaveFailed")]
    public static partial void SessionSaveFailed(ILogger logger, string store, string sessionKey, Exception exception);

    [LoggerMessage(112, LogLevel.Error, "The session store {Store} threw while refreshing session {SessionKey}; its expiry did not slide forward.", EventName = "SessionRefreshFailed")]
    public static partial void SessionRefreshFailed(ILogger logger, string store, string sessionKey, Exception exception);

    [LoggerMessage(113, LogLevel.Warning, "The executor rejected the session {Operation} of session {SessionKey} ({Reason}); the session store was not called.", EventName = "SessionWorkRejected")]
    public static partial void SessionWorkRejected(ILogger logger, string operation, string sessionKey, WorkRejectionReason reason);
}
