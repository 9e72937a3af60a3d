using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Benchmarks.Execution;

/// <summary>
/// One round trip: a thread-pool thread hands a trivial function to another thread and awaits its result,
/// resuming on the pool, as a request does. Each invocation runs <see cref="Calls"/> round trips in one async
/// loop, so the benchmark's own await and state machine are spread over them.
/// </summary>
/// <remarks>
/// <c>Warm</c>: the receiving thread is spinning when the work arrives (back-to-back calls).
/// <c>NoSpin</c>: SpinCount 0, so the receiver goes straight to its semaphore between calls (which still spins
/// briefly inside <see cref="SemaphoreSlim"/> before it blocks). <see cref="IdleRoundTripBenchmarks"/> measures
/// a call after the receiver has really parked.
/// </remarks>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RoundTripBenchmarks
{
    public const int Calls = 1000;

    private static readonly Func<int> s_work = static () => 42;

    private readonly CancellationTokenSource _aborted = new();
    private SyncExecutor _executor = null!;
    private TwoThreadHandoff _floor = null!;

    [Params(Workers.Warm, Workers.NoSpin)]
    public Workers State { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var spinCount = State == Workers.Warm ? new SyncContextOptions().SpinCount : 0;
        _executor = new SyncExecutor(Options.Create(new SyncContextOptions { SpinCount = spinCount }));
        _floor = new TwoThreadHandoff(spinCount);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _executor.Dispose();
        _floor.Dispose();
        _aborted.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "Floor: 2 threads, reusable IValueTaskSource")]
    public async Task<int> Floor()
    {
        await Task.Yield(); // start on the pool, as a request does
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await _floor.RunAsync(s_work);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Floor: 2 threads, new TaskCompletionSource")]
    public async Task<int> FloorWithTaskCompletionSource()
    {
        await Task.Yield();
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await _floor.RunWithTaskCompletionSourceAsync(s_work);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "SyncExecutor.RunAsync(Func<int>)")]
    public async Task<int> Executor()
    {
        await Task.Yield();
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await _executor.RunAsync(s_work);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "SyncExecutor.RunAsync(static s => .., state)")]
    public async Task<int> ExecutorWithState()
    {
        await Task.Yield();
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await _executor.RunAsync(static s => s + 1, 41);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "SyncExecutor.RunAsync(Func<int>, a request's RequestAborted)")]
    public async Task<int> ExecutorWithCancellableToken()
    {
        await Task.Yield();
        var sum = 0;
        var token = _aborted.Token; // cancellable, as Kestrel's RequestAborted is: the task registers with it
        for (var i = 0; i < Calls; i++)
        {
            sum += await _executor.RunAsync(s_work, token);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Task.Run(Func<int>)")]
    public async Task<int> TaskRun()
    {
        await Task.Yield();
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await Task.Run(s_work);
        }

        return sum;
    }

    public enum Workers
    {
        Warm,
        NoSpin,
    }
}
