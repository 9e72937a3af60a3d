using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

internal static class ExecutorFactory
{
    public static SyncExecutor Create(int maxThreads = 4, int minThreads = 0, int queueLimit = 1024, TimeSpan? idleTimeout = null, int spinCount = 0)
        => new(Options.Create(new SyncContextOptions
        {
            MaxThreads = maxThreads,
            MinThreads = minThreads,
            QueueLimit = queueLimit,
            IdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30),
            SpinCount = spinCount,
        }));

    /// <summary>Occupies one worker until the returned gate is set; returns once the work is running.</summary>
    public static async Task<(Task Work, ManualResetEventSlim Gate)> BlockOneWorkerAsync(SyncExecutor executor)
    {
        var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var work = executor.RunAsync(() =>
        {
            started.Set();
            gate.Wait(TestHosts.HangGuard);
        });
        await TestHosts.WaitUntilAsync(() => started.IsSet, "the blocking work to start");
        return (work, gate);
    }
}
