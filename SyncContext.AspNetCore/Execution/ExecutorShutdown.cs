using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Stops the executor: no new work, then the queue drains until a deadline, then what is still queued is
/// failed with <see cref="WorkRejectedException"/> (not run), and the workers exit.
/// </summary>
internal sealed class ExecutorShutdown
{
    [ThreadStatic]
    private static bool t_abandoning;

    private readonly SyncExecutor _executor;
    private readonly WorkAdmission _admission;
    private readonly WorkerThreads _workers;
    private readonly string _name;
    private readonly ILogger _logger;

    public ExecutorShutdown(SyncExecutor executor, WorkAdmission admission, WorkerThreads workers, string name, ILogger logger)
    {
        _executor = executor;
        _admission = admission;
        _workers = workers;
        _name = name;
        _logger = logger;
    }

    /// <summary>Gets whether the work item running on this thread is being flushed out of the queue, and must not run.</summary>
    public static bool IsAbandoningOnThisThread => t_abandoning;

    /// <summary>Drains until <paramref name="deadline"/> is cancelled, then abandons what is left.</summary>
    public async Task StopAsync(CancellationToken deadline)
    {
        if (!_admission.TryBeginStopping())
        {
            return;
        }

        var drained = true;
        try
        {
            while (_admission.QueueLength + _workers.RunningCount > 0)
            {
                await Task.Delay(10, deadline).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            drained = false;
        }

        _admission.BeginAbandoning();
        var finished = _workers.FinishedWhileStopping;
        var stillRunning = _workers.RunningCount;

        // What is still queued is failed, not run, so no caller waits on a task nobody will complete.
        // Workers stop taking items once the state is abandoning; an item one had already taken runs.
        var abandoned = 0;
        t_abandoning = true;
        try
        {
            while (_workers.TryTakeQueued(out var task))
            {
                // False for an item whose token was cancelled while it waited: nobody waits for its answer.
                if (_executor.Execute(task))
                {
                    abandoned++;
                }
            }
        }
        finally
        {
            t_abandoning = false;
        }

        if (drained)
        {
            Log.Stopped(_logger, _name, finished);
        }
        else
        {
            Log.StoppedAtDeadline(_logger, _name, finished, abandoned, stillRunning);
        }

        _workers.ReleaseAll();
    }
}
