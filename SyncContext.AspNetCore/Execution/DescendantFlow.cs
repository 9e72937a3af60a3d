namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Marks the <see cref="ExecutionContext"/> a queued work item runs in, so that everything that flows from
/// it (the continuations of what it awaits, <c>Task.Run</c> inside it) is known to descend from executor
/// work. Such a flow may reach the executor again from a pool thread while a worker blocks on it; queued,
/// it would wait behind its own ancestor, and with every worker blocked that way nothing would ever run.
/// </summary>
/// <remarks>
/// The mark is made on the caller's thread around the task's construction, because the task captures the
/// context there; the caller's own context is restored at once, so the caller's flow (the request awaiting
/// the work, a sibling item it starts) is not marked. Marking costs the new context (two small objects);
/// no cheaper way exists that still flows into the work's continuations.
/// </remarks>
internal readonly ref struct DescendantFlow : IDisposable
{
    private static readonly AsyncLocal<SyncExecutor?> s_executor = new();

    private readonly ExecutionContext? _caller;

    private DescendantFlow(ExecutionContext caller) => _caller = caller;

    /// <summary>Whether the current flow descends from work that <paramref name="executor"/> queued.</summary>
    public static bool DescendsFrom(SyncExecutor executor) => ReferenceEquals(s_executor.Value, executor);

    /// <summary>
    /// Marks the current context until <see cref="Dispose"/>; a task created meanwhile captures the mark.
    /// Does nothing when the flow is suppressed: the task then captures no context to mark.
    /// </summary>
    public static DescendantFlow Mark(SyncExecutor executor)
    {
        var caller = ExecutionContext.Capture();
        if (caller is null)
        {
            return default;
        }

        s_executor.Value = executor;
        return new DescendantFlow(caller);
    }

    /// <summary>Puts the caller's own, unmarked, context back.</summary>
    public void Dispose()
    {
        if (_caller is not null)
        {
            ExecutionContext.Restore(_caller);
        }
    }
}
