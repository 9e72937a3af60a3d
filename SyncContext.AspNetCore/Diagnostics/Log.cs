using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Worker {ThreadName} started; {ThreadCount} workers alive.")]
    public static partial void WorkerStarted(ILogger logger, string? threadName, int threadCount);

    [LoggerMessage(2, LogLevel.Debug, "Worker {ThreadName} retired after idling; {ThreadCount} workers alive.")]
    public static partial void WorkerRetired(ILogger logger, string? threadName, int threadCount);

    [LoggerMessage(3, LogLevel.Warning, "Executor {Executor} rejected {Count} work items since its last such warning (at most one a second), the latest because of {Reason}; queue limit {QueueLimit}. Requests got 503 with Retry-After.")]
    public static partial void Rejected(ILogger logger, string executor, int count, WorkRejectionReason reason, int queueLimit);

    [LoggerMessage(4, LogLevel.Information, "Executor {Executor} stopped with all work finished: {Finished} work items finished after shutdown began.")]
    public static partial void Stopped(ILogger logger, string executor, int finished);

    [LoggerMessage(5, LogLevel.Warning, "Executor {Executor} stopped at its shutdown deadline: {Finished} work items finished after shutdown began, {Abandoned} queued items were abandoned without running (failed as Stopping; HTTP requests answered 503 with Retry-After), {Running} were still running.")]
    public static partial void StoppedAtDeadline(ILogger logger, string executor, int finished, int abandoned, int running);
}
