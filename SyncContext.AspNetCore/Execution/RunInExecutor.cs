namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// <see cref="IRunInExecutor"/>: the executor's own <see cref="IRunSync"/>, called with the caller's context kept
/// out, so the work runs through the one seam every offload uses, only in an empty context.
/// </summary>
/// <remarks>
/// Queued work captures no context when flow is suppressed around the call, and the workers themselves carry none
/// (they are started without one). Work that runs inline (a call from an executor thread) would still run in the
/// caller's context, so every call is also run inside an empty context of its own.
/// </remarks>
internal sealed class RunInExecutor(IRunSync executor) : IRunInExecutor
{
    private static readonly ContextCallback s_runCall = static call => ((ContextFreeCall)call!).Run();

    public Task RunAsync(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(static w => w(), work, cancellationToken);
    }

    public Task<TResult> RunAsync<TResult>(Func<TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(static w => w(), work, cancellationToken);
    }

    public Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var flow = SuppressFlow();
        try
        {
            return executor.RunAsync(static call => call.Invoke(), new ContextFreeAction<TState>(work, state), cancellationToken);
        }
        finally
        {
            flow?.Undo();
        }
    }

    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var flow = SuppressFlow();
        try
        {
            return executor.RunAsync(static call => call.Invoke(), new ContextFreeFunc<TState, TResult>(work, state), cancellationToken);
        }
        finally
        {
            flow?.Undo();
        }
    }

    /// <summary>Keeps the caller's context out of the task the executor creates; the caller's flow may already be suppressed.</summary>
    private static AsyncFlowControl? SuppressFlow()
        => ExecutionContext.IsFlowSuppressed() ? null : ExecutionContext.SuppressFlow();

    /// <summary>One call, run inside <see cref="EmptyContext.Instance"/> wherever it runs.</summary>
    private abstract class ContextFreeCall
    {
        protected void RunInEmptyContext() => ExecutionContext.Run(EmptyContext.Instance, s_runCall, this);

        public abstract void Run();
    }

    private sealed class ContextFreeAction<TState>(Action<TState> work, TState state) : ContextFreeCall
    {
        public void Invoke() => RunInEmptyContext();

        public override void Run() => work(state);
    }

    private sealed class ContextFreeFunc<TState, TResult>(Func<TState, TResult> work, TState state) : ContextFreeCall
    {
        private TResult? _result;

        public TResult Invoke()
        {
            RunInEmptyContext();
            return _result!;
        }

        public override void Run() => _result = work(state);
    }
}
