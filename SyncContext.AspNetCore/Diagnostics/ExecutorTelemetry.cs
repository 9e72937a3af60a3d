using System.Diagnostics;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Diagnostics;

/// <summary>
/// What one executor reports about the items it runs: their queue and run times on the meter, and their queue wait as
/// an activity in the trace they were queued from. Every report first asks whether anyone listens, so it costs a
/// flag check when nobody does.
/// </summary>
internal sealed class ExecutorTelemetry
{
    private static readonly ActivitySource s_source = new(SyncContextActivity.SourceName);

    private readonly string _executor;
    private readonly SyncContextMetrics? _metrics;

    /// <summary>Creates the executor's telemetry.</summary>
    /// <param name="executor">The executor's name, the <c>synccontext.executor.name</c> tag.</param>
    /// <param name="metrics">The instruments, or <see langword="null"/> for none.</param>
    /// <param name="clock">The executor's clock.</param>
    public ExecutorTelemetry(string executor, SyncContextMetrics? metrics, TimeProvider clock)
    {
        _executor = executor;
        _metrics = metrics;
        Clock = clock;
    }

    /// <summary>Gets the executor's clock: items are stamped with its timestamps, and their waits measured by it.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Gets the activity an item queued now should report its wait to, or <see langword="null"/> when no tracer listens.</summary>
    public Activity? CallerToTrace() => s_source.HasListeners() ? Activity.Current : null;

    /// <summary>Reports that a worker took <paramref name="item"/> after it waited <paramref name="waited"/>.</summary>
    public void Taken(in QueuedWork item, TimeSpan waited, WorkResult result)
    {
        if (item.Caller is { } caller)
        {
            TraceQueueWait(caller, item.Task, waited, result);
        }

        if (_metrics is { } metrics && metrics.QueueDurationEnabled)
        {
            metrics.QueueDuration(_executor, RouteOf(item.Task), waited, result);
        }
    }

    /// <summary>Reports that <paramref name="task"/> finished after running for <paramref name="ranFor"/>.</summary>
    public void Ran(Task task, TimeSpan ranFor)
    {
        if (_metrics is { } metrics && metrics.RunEnabled)
        {
            metrics.Ran(_executor, RouteOf(task), ranFor);
        }
    }

    /// <summary>Counts a rejection.</summary>
    public void Rejected(WorkRejectionReason reason) => _metrics?.Rejected(_executor, reason);

    private static string? RouteOf(Task task) => (task.AsyncState as IKeyedWork)?.Route;

    private void TraceQueueWait(Activity caller, Task task, TimeSpan waited, WorkResult result)
    {
        var now = Clock.GetUtcNow();
        var activity = s_source.StartActivity(SyncContextActivity.QueueActivityName, ActivityKind.Internal, caller.Context, startTime: now - waited);
        if (activity is null)
        {
            return; // not sampled
        }

        activity.SetTag(SyncContextMetrics.ExecutorTag, _executor);
        if (RouteOf(task) is { } route)
        {
            activity.SetTag("http.route", route);
        }

        activity.SetTag(SyncContextMetrics.ResultTag, SyncContextMetrics.ResultName(result));
        if (result == WorkResult.QueueTimeout)
        {
            activity.SetTag("error.type", "queue_timeout");
            activity.SetStatus(ActivityStatusCode.Error, "The work waited longer than MaxQueueTime and did not run.");
        }

        activity.SetEndTime(now.UtcDateTime);
        activity.Stop();
    }
}
