using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// The error handlers' part of the one Log class, kept beside the feature. Event ids 20-29 are theirs;
// names and levels match ASP.NET Core's exception handler, so existing log filters and alerts still apply.
internal static partial class Log
{
    [LoggerMessage(20, LogLevel.Error, "An unhandled exception has occurred while executing the request.", EventName = "UnhandledException")]
    public static partial void UnhandledException(ILogger logger, Exception exception);

    [LoggerMessage(21, LogLevel.Warning, "The response has already started, the error handler will not be executed.", EventName = "ResponseStarted")]
    public static partial void ErrorHandlerResponseStarted(ILogger logger);

    [LoggerMessage(22, LogLevel.Error, "An exception was thrown attempting to execute the error handler.", EventName = "Exception")]
    public static partial void ErrorHandlerException(ILogger logger, Exception exception);

    [LoggerMessage(23, LogLevel.Debug, "The request was aborted by the client.", EventName = "RequestAborted")]
    public static partial void ErrorHandlerRequestAborted(ILogger logger);
}
