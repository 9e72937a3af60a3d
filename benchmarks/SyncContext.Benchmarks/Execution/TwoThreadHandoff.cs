using System.Threading.Tasks.Sources;

namespace SyncContext.Benchmarks.Execution;

/// <summary>
/// The floor for a cross-thread round trip: one dedicated thread, one slot, one reusable
/// <see cref="IValueTaskSource{TResult}"/>, and the same idle policy as the executor (spin, then park on a
/// semaphore) and the same continuation policy (the caller resumes on the thread pool). It allocates nothing
/// per call and does nothing the executor must do (queue, limits, execution context, cancellation), so the
/// executor's cost above it is the price of those.
/// </summary>
/// <remarks>One call at a time: the caller awaits each result before it posts the next.</remarks>
internal sealed class TwoThreadHandoff : IValueTaskSource<int>, IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Thread _thread;
    private readonly int _spinCount;
    private ManualResetValueTaskSourceCore<int> _core = new() { RunContinuationsAsynchronously = true };
    private Func<int>? _slot;
    private TaskCompletionSource<int>? _completion;
    private int _parked;
    private volatile bool _stopping;

    public TwoThreadHandoff(int spinCount)
    {
        _spinCount = spinCount;
        _thread = new Thread(Loop) { IsBackground = true, Name = "Handoff floor" };
        _thread.UnsafeStart();
    }

    public ValueTask<int> RunAsync(Func<int> work)
    {
        _core.Reset();
        Volatile.Write(ref _slot, work);
        if (Interlocked.CompareExchange(ref _parked, 0, 1) == 1)
        {
            _wake.Release();
        }

        return new ValueTask<int>(this, _core.Version);
    }

    /// <summary>The same handoff completing a fresh <see cref="TaskCompletionSource{TResult}"/> per call.</summary>
    public Task<int> RunWithTaskCompletionSourceAsync(Func<int> work)
    {
        var completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _completion = completion;
        _ = RunAsync(work);
        return completion.Task;
    }

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _stopping = true;
        Volatile.Write(ref _slot, static () => 0);
        if (Interlocked.CompareExchange(ref _parked, 0, 1) == 1)
        {
            _wake.Release();
        }

        _thread.Join();
        _wake.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            var work = Take();
            if (_stopping)
            {
                return;
            }

            var result = work();
            if (_completion is { } completion)
            {
                _completion = null;
                completion.SetResult(result);
            }
            else
            {
                _core.SetResult(result);
            }
        }
    }

    private Func<int> Take()
    {
        while (true)
        {
            for (var i = 0; i < _spinCount; i++)
            {
                if (Interlocked.Exchange(ref _slot, null) is { } work)
                {
                    return work;
                }

                Thread.SpinWait(20);
            }

            Volatile.Write(ref _parked, 1);
            if (Interlocked.Exchange(ref _slot, null) is { } posted)
            {
                // Posted between the spin and the park: if the poster saw us parked, it released a permit to take.
                if (Interlocked.CompareExchange(ref _parked, 0, 1) != 1)
                {
                    _wake.Wait();
                }

                return posted;
            }

            _wake.Wait();
        }
    }
}
