using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Brings the continuations of an endpoint that runs on the executor (<see cref="EndpointOnExecutor"/>) back to the
/// executor: an <c>await</c> inside the endpoint's request delegate (a body read that did not complete at once, a
/// response write under back-pressure) resumes on a <c>SyncContext #n</c> thread, so the handler after it does too.
/// </summary>
/// <remarks>
/// Each continuation is queued as ordinary executor work, with the context its <c>await</c> captured. One that the
/// executor refuses (its queue is full, or it is stopping) belongs to a request already under way: it runs on the thread
/// pool rather than leave that request hanging.
/// </remarks>
internal sealed class ExecutorSynchronizationContext(SyncExecutor executor) : SynchronizationContext
{
    private static readonly Action<Continuation> s_run = static c => c.Context.Run(c.Callback, c.State);

    private static readonly Action<Task, object?> s_runRefused = static (_, state) =>
        ThreadPool.UnsafeQueueUserWorkItem(s_run, (Continuation)state!, preferLocal: false);

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state)
    {
        var continuation = new Continuation(this, d, state);
        Task posted;
        try
        {
            posted = executor.RunAsync(s_run, continuation);
        }
        catch (InvalidOperationException)
        {
            // A thread-affinity executor refuses a call that would wait for the item its thread runs now (the item
            // blocks on what this continuation completes): run it on the pool, as a refused one, rather than deadlock.
            ThreadPool.UnsafeQueueUserWorkItem(s_run, continuation, preferLocal: false);
            return;
        }

        posted.ContinueWith(
            s_runRefused, continuation, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="callback"/> with this context current, so that its own awaits come back here too.</summary>
    public void Run(SendOrPostCallback callback, object? state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            callback(state);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Runs <paramref name="start"/> with this context current and hands back what it returned.</summary>
    public Task Start(Func<object?, Task> start, object? state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return start(state);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private sealed record Continuation(ExecutorSynchronizationContext Context, SendOrPostCallback Callback, object? State);
}
