using System.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// A work item as it waits for a worker: the task, when it was queued, the trace it was queued from, and the token that
/// abandons it when its task was not created with one.
/// </summary>
/// <param name="Task">The work item.</param>
/// <param name="QueuedAt">The executor clock's timestamp when the item was queued.</param>
/// <param name="Caller">
/// The activity current where the item was queued, when the SyncContext activity source has a listener, so that the
/// item's queue wait is shown in that trace; otherwise <see langword="null"/>.
/// </param>
/// <param name="Abandon">
/// The request's <c>RequestAborted</c> for an item queued by <see cref="SyncExecutor.DispatchOperation{TResult}"/>: checked
/// when a worker takes the item, which then fails it instead of running it; <see langword="default"/> otherwise.
/// </param>
internal readonly record struct QueuedWork(Task Task, long QueuedAt, Activity? Caller = null, CancellationToken Abandon = default)
{
    /// <summary>Gets whether nobody waits for the item's answer any more: its task was cancelled, or its request aborted.</summary>
    public bool IsAbandoned => Task.IsCompleted || Abandon.IsCancellationRequested;
}
