namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Marks the <see cref="ExecutionContext"/> a work item runs in, so that everything that flows from it (the
/// continuations of what it awaits, <c>Task.Run</c> inside it) is known to descend from executor work. Such a
/// flow may reach the executor again from a pool thread while a worker blocks on it; queued, it would wait
/// behind its own ancestor, and with every worker blocked that way nothing would ever run.
/// </summary>
/// <remarks>
/// <para>
/// The mark is made by the work itself, first thing on the worker, inside the context the task runs in: the
/// context the task captured from the caller is immutable, so the caller's own flow (the request awaiting the
/// work, a sibling item it starts) is never marked, and the worker puts its own context back when the item
/// ends. Marking costs a new context and its map of async-locals (two small objects), made on the worker
/// instead of on the request's thread, and nothing for nested items, whose flow is marked already. No cheaper
/// mark exists that still flows into the work's continuations: the execution context is the only thing that
/// reaches them, and keying on its identity alone would take a request's concurrent sibling calls, which share
/// it, for descendants.
/// </para>
/// <para>
/// A caller that suppressed the flow gives its task no context: the work then runs in the worker's own, which
/// keeps the mark after the item. That only says what is true of every flow started on a worker.
/// </para>
/// <para>
/// A request's handler is the exception: it is marked by its request's key in its worker's slot
/// (<see cref="RunningOperations"/>), not in its context, since every request has one and the two objects would be a
/// good part of what offloading it allocates. Its descendants still carry the request (its <c>HttpContext</c>), which is
/// what the executor looks up.
/// </para>
/// </remarks>
internal static class DescendantFlow
{
    // The executor whose work the flow descends from, or for a thread-affinity executor the item (AffinityItem).
    private static readonly AsyncLocal<object?> s_mark = new();

    /// <summary>Whether the current flow descends from work that <paramref name="executor"/> ran.</summary>
    public static bool DescendsFrom(SyncExecutor executor)
        => s_mark.Value is { } mark && (ReferenceEquals(mark, executor) || (mark is AffinityItem item && ReferenceEquals(item.Executor, executor)));

    /// <summary>Whether the current flow descends from <paramref name="item"/>, run by a thread-affinity executor.</summary>
    public static bool DescendsFromItem(SyncExecutor executor, Task item)
        => s_mark.Value is AffinityItem mark && ReferenceEquals(mark.Item, item) && ReferenceEquals(mark.Executor, executor);

    /// <summary>Marks the flow of the work item running now, unless it is marked already.</summary>
    public static void MarkRunningWork(SyncExecutor executor)
    {
        if (!ReferenceEquals(s_mark.Value, executor))
        {
            s_mark.Value = executor;
        }
    }

    /// <summary>
    /// Marks the flow of the item a thread-affinity executor runs now with the item itself, so that a call from it on
    /// another thread is known to wait for this very item (see <see cref="SyncContextOptions.ThreadAffinity"/>).
    /// </summary>
    public static void MarkAffinityWork(SyncExecutor executor, Task item)
    {
        if (!(s_mark.Value is AffinityItem mark && ReferenceEquals(mark.Item, item) && ReferenceEquals(mark.Executor, executor)))
        {
            s_mark.Value = new AffinityItem(executor, item);
        }
    }

    private sealed record AffinityItem(SyncExecutor Executor, Task Item);
}
