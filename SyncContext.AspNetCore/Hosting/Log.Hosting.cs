using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Diagnostics;

// Named executors and their configuration's part of the one Log class, kept beside the feature. Event ids 150-159 are its.
internal static partial class Log
{
    [LoggerMessage(150, LogLevel.Information, "Executor {Executor} applied its reloaded configuration: MaxThreads {MaxThreads}, MinThreads {MinThreads}, QueueLimit {QueueLimit}, CpuBudget {CpuBudget}, IdleTimeout {IdleTimeout}.", EventName = "ExecutorReconfigured")]
    public static partial void ExecutorReconfigured(ILogger logger, string executor, int maxThreads, int minThreads, int queueLimit, int cpuBudget, TimeSpan idleTimeout);

    [LoggerMessage(151, LogLevel.Warning, "Executor {Executor}: the reloaded configuration changes {Options}, which the executor reads only when it starts; it keeps the values it started with until the app restarts.", EventName = "ExecutorOptionsNeedRestart")]
    public static partial void ExecutorOptionsNeedRestart(ILogger logger, string executor, string options);
}
