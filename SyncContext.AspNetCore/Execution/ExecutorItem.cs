namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// A work item that is its own task: what it runs lives in the derived class's fields, and the caller's execution
/// context in this one's, so queuing it allocates one object. A plain <see cref="Task{TResult}"/> created in a request's
/// flow allocates two (the task, and the contingent properties where it keeps any context that is not the default one)
/// plus its state; this one is created in the default context and enters the caller's itself when it runs.
/// </summary>
/// <remarks>
/// The task's delegate finds the item through <see cref="SyncExecutor.CurrentItem"/>, which the executor sets around
/// every item it runs; a task has one state slot, taken here by the kind of work for the executor's profiles and
/// telemetry. Only <see cref="SyncExecutor"/> may run it.
/// </remarks>
/// <typeparam name="TResult">What the work returns.</typeparam>
internal abstract class ExecutorItem<TResult> : Task<TResult>
{
    private static readonly Func<object?, TResult> s_run = static _ => ((ExecutorItem<TResult>)SyncExecutor.CurrentItem!).RunInCallersContext();
    private static readonly ContextCallback s_runInContext = static item => ((ExecutorItem<TResult>)item!).RunAndKeepResult();

    private readonly ExecutionContext? _caller;
    private TResult? _result;

    /// <param name="kind">
    /// The kind of work, the task's state: keys the executor's profile of it (<see cref="WorkProfiles.KeyOf"/>: an
    /// <see cref="IKeyedWork"/>'s key, or the object's type).
    /// </param>
    protected ExecutorItem(object kind)
        : this(kind, LeaveCallersContext())
    {
    }

    private ExecutorItem(object kind, ExecutionContext? caller)
        : base(s_run, kind, SyncExecutor.WorkOptions)
    {
        // The task was created in the default context, and so captured none: back to the caller's.
        _caller = caller;
        if (caller is not null)
        {
            ExecutionContext.Restore(caller);
        }
    }

    /// <summary>The work, run in the caller's execution context on the thread that runs the item.</summary>
    protected abstract TResult Run();

    /// <summary>
    /// Captures the caller's context and, when it is not the default one, leaves it for the default one until the task
    /// is created (the constructor above restores it): a task keeps no context it did not capture.
    /// </summary>
    private static ExecutionContext? LeaveCallersContext()
    {
        var caller = ExecutionContext.Capture();
        if (caller is null || ReferenceEquals(caller, EmptyContext.Instance))
        {
            return null; // flow suppressed, or nothing to carry: the work runs in whatever context runs it
        }

        ExecutionContext.Restore(EmptyContext.Instance);
        return caller;
    }

    private TResult RunInCallersContext()
    {
        if (_caller is null)
        {
            return Run();
        }

        ExecutionContext.Run(_caller, s_runInContext, this);
        var result = _result!;
        _result = default;
        return result;
    }

    private void RunAndKeepResult() => _result = Run();
}
