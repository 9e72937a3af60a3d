using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// Background work's part of the one Log class, kept beside the feature. Event ids 80-89 are theirs.
internal static partial class Log
{
    [LoggerMessage(80, LogLevel.Error, "Background work {Work} threw.", EventName = "BackgroundWorkFailed")]
    public static partial void BackgroundWorkFailed(ILogger logger, string work, Exception exception);

    [LoggerMessage(81, LogLevel.Error, "The shutdown timeout ran out with {Count} background items left ({Running} started): {Work}.", EventName = "BackgroundWorkAbandoned")]
    public static partial void BackgroundWorkAbandoned(ILogger logger, int count, int running, string work);
}
