using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// The hooks' part of the one Log class, kept beside the feature. Event ids 60-69 are theirs.
internal static partial class Log
{
    [LoggerMessage(60, LogLevel.Debug, "A before-request hook answered the request for {Path}; the endpoint did not run.", EventName = "BeforeRequestShortCircuited")]
    public static partial void BeforeRequestShortCircuited(ILogger logger, string? path);

    [LoggerMessage(61, LogLevel.Error, "The teardown-request hook {Hook} threw; the remaining teardown hooks still run.", EventName = "TeardownRequestHookFailed")]
    public static partial void TeardownRequestHookFailed(ILogger logger, string hook, Exception exception);

    [LoggerMessage(62, LogLevel.Debug, "The status-code handler for {StatusCode} answered the request for {Path}.", EventName = "StatusCodeHandled")]
    public static partial void StatusCodeHandled(ILogger logger, int statusCode, string? path);

    [LoggerMessage(63, LogLevel.Debug, "A before-websocket hook refused the WebSocket upgrade for {Path}; the endpoint did not run.", EventName = "BeforeWebSocketRejected")]
    public static partial void BeforeWebSocketRejected(ILogger logger, string? path);

    [LoggerMessage(64, LogLevel.Error, "The teardown-websocket hook {Hook} threw; the remaining teardown hooks still run.", EventName = "TeardownWebSocketHookFailed")]
    public static partial void TeardownWebSocketHookFailed(ILogger logger, string hook, Exception exception);
}
