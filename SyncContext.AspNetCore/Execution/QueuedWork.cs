using System.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>A work item as it waits for a worker: the task, when it was queued, and the trace it was queued from.</summary>
/// <param name="Task">The work item.</param>
/// <param name="QueuedAt">The executor clock's timestamp when the item was queued.</param>
/// <param name="Caller">
/// The activity current where the item was queued, when the SyncContext activity source has a listener, so that the
/// item's queue wait is shown in that trace; otherwise <see langword="null"/>.
/// </param>
internal readonly record struct QueuedWork(Task Task, long QueuedAt, Activity? Caller = null);
