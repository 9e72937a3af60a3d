using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Stops the executor: no new work, then the queue drains until a deadline, then what is still queued is
/// failed with <see cref="WorkRejectedException"/> (not run), and the workers exit.
/// </summary>
internal sealed class ExecutorShutdown
{
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
        while (_workers.TryTakeQueued(out var task))
        {
            var rejection = _admission.Stopped("The SyncContext executor stopped before this work started: the host's shutdown timeout ran out while it was queued.");
            if (_executor.ExecuteRejected(task, rejection))
            {
                abandoned++;
            }
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
