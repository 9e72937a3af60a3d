using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// The offload's part of the one Log class, kept beside the feature. Event ids 30-39 are its.
internal static partial class Log
{
    [LoggerMessage(30, LogLevel.Warning, "The synchronous handler of endpoint '{Endpoint}' has {Count} parameters, more than the {Max} SyncContext can offload, so it runs inline on the thread pool. Group parameters into a type bound with [AsParameters] to offload it.", EventName = "TooManyParametersToOffload")]
    public static partial void TooManyParametersToOffload(ILogger logger, string endpoint, int count, int max);
}
