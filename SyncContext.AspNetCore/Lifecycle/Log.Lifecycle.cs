using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// The app hooks' part of the one Log class, kept beside the feature. Event ids 70-79 are theirs.
internal static partial class Log
{
    [LoggerMessage(70, LogLevel.Error, "The app hook {Hook} threw while the host was stopping; the remaining hooks still run.", EventName = "AppHookFailed")]
    public static partial void AppHookFailed(ILogger logger, string hook, Exception exception);
}
